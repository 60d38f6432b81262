package org.medsynth.core.api;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Input of one training run.
 *
 * @param outputDir     staging folder for the final weights and model card (moved into place when the job succeeds)
 * @param checkpointDir folder for checkpoints, kept across runs so a later run can resume
 * @param resume        whether to continue from the newest checkpoint in {@code checkpointDir}
 * @param progress      where to report losses and samples as training goes on
 */
public record TrainingRequest(Contribution contribution, ParameterValues parameters, long seed, Path outputDir,
        Path checkpointDir, boolean resume, String device, TrainingProgress progress) {
    /** A request whose progress nobody watches. */
    public TrainingRequest(Contribution contribution, ParameterValues parameters, long seed, Path outputDir,
            Path checkpointDir, boolean resume, String device) {
        this(contribution, parameters, seed, outputDir, checkpointDir, resume, device, TrainingProgress.NONE);
    }

    public TrainingRequest {
        Objects.requireNonNull(contribution, "contribution");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(outputDir, "outputDir");
        Objects.requireNonNull(checkpointDir, "checkpointDir");
        device = Objects.requireNonNullElse(device, "cpu");
        progress = Objects.requireNonNullElse(progress, TrainingProgress.NONE);
    }
}
