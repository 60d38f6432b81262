package org.medsynth.core.api;

import java.util.List;
import java.util.Objects;

import org.medsynth.core.image.MedicalImage;

/**
 * Input of one generation run.
 *
 * @param contribution the generator's declaration
 * @param parameters   validated parameter values
 * @param seed         random seed: equal seeds and parameters give equal outputs
 * @param count        number of samples to produce
 * @param inputs       conditioning images (masks, source images), empty for unconditional generators
 * @param device       device the job's scheduling rule holds, e.g. {@code cpu} or {@code gpu:0}
 */
public record GenerationRequest(Contribution contribution, ParameterValues parameters, long seed, int count,
        List<MedicalImage<?>> inputs, String device) {
    public GenerationRequest {
        Objects.requireNonNull(contribution, "contribution");
        Objects.requireNonNull(parameters, "parameters");
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, got " + count);
        }
        inputs = List.copyOf(Objects.requireNonNullElse(inputs, List.of()));
        device = Objects.requireNonNullElse(device, "cpu");
    }
}
