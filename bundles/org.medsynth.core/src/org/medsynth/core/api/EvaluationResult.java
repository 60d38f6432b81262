package org.medsynth.core.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A metric's values: one summary value (e.g. the mean over cases) and, for paired metrics, the value per case.
 *
 * @param metric   metric name, e.g. {@code psnr}
 * @param value    summary value
 * @param perCase  case id → value, in case order (empty for distribution metrics)
 * @param warnings notes the user must see next to the number (e.g. tiny sample count)
 */
public record EvaluationResult(String metric, double value, Map<String, Double> perCase, List<String> warnings) {
    public EvaluationResult {
        Objects.requireNonNull(metric, "metric");
        perCase = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNullElse(perCase, Map.of())));
        warnings = List.copyOf(Objects.requireNonNullElse(warnings, List.of()));
    }
}
