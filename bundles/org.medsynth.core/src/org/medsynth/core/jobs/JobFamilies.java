package org.medsynth.core.jobs;

/** Job families, so that the GUI and the CLI can find, wait for and cancel MedSynth jobs by kind. */
public final class JobFamilies {
    /** Every MedSynth job. */
    public static final Object ALL = "org.medsynth.jobs";
    public static final Object GENERATION = "org.medsynth.jobs.generation";
    public static final Object EVALUATION = "org.medsynth.jobs.evaluation";
    public static final Object TRAINING = "org.medsynth.jobs.training";

    private JobFamilies() {
    }
}
