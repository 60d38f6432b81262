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

    /**
     * The training speed after {@code step} of {@code totalSteps} steps: steps per second so far in this run and the
     * estimated seconds to the end.
     */
    default void rate(int step, int totalSteps, double stepsPerSecond, double secondsLeft) {
    }

    /** A sample of what the model produces after {@code step} steps, e.g. a held-out image through the model. */
    default void sample(int step, String description, MedicalImage<?> image) {
    }
}
