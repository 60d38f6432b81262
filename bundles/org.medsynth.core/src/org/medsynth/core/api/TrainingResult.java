package org.medsynth.core.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Output of one training run.
 *
 * @param steps          optimisation steps done in total (including those before a resume)
 * @param lossCurve      loss per recorded step
 * @param modelCardId    id of the written model card
 * @param weightSha256   sha256 of the written weight file
 * @param metrics        final validation metrics
 * @param engineVersions versions of engines used
 */
public record TrainingResult(int steps, List<Double> lossCurve, String modelCardId, String weightSha256,
        Map<String, Double> metrics, Map<String, String> engineVersions) {
    public TrainingResult {
        lossCurve = List.copyOf(lossCurve);
        modelCardId = Objects.requireNonNullElse(modelCardId, "");
        weightSha256 = Objects.requireNonNullElse(weightSha256, "");
        metrics = Map.copyOf(Objects.requireNonNullElse(metrics, Map.of()));
        engineVersions = Map.copyOf(Objects.requireNonNullElse(engineVersions, Map.of()));
    }
}
