package org.medsynth.core.api;

import org.medsynth.core.image.MedicalImage;

/**
 * What a trainer reports while it trains, for monitors such as the workbench's training monitor. Called on the
 * training thread: implementations return quickly and never block it.
 */
public interface TrainingProgress {
    /** Reports nothing. */
    TrainingProgress NONE = new TrainingProgress() {
    };

    /** The loss of optimisation step {@code step} (counted from 1, including steps before a resume). */
    default void step(int step, double loss) {
    }

    /** A sample of what the model produces after {@code step} steps, e.g. a held-out image through the model. */
    default void sample(int step, String description, MedicalImage<?> image) {
    }
}
