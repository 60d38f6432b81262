package org.medsynth.core.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A metric's values: one summary value (e.g. the mean over cases) and, for paired metrics, the value per case.
 *
 * @param metric       metric name, e.g. {@code psnr}
 * @param value        summary value
 * @param perCase      case id → value, in case order (empty for distribution metrics)
 * @param warnings     notes the user must see next to the number (e.g. tiny sample count)
 * @param measurements for metrics that compare one quantity measured on reference and candidate (a Cobb angle, an
 *                     SUV in an ROI): case id → the two measurements, in case order; empty otherwise
 */
public record EvaluationResult(String metric, double value, Map<String, Double> perCase, List<String> warnings,
        Map<String, Measurement> measurements) {

    /** One quantity measured on the reference and on the candidate of a case. */
    public record Measurement(double reference, double candidate) {
    }

    public EvaluationResult {
        Objects.requireNonNull(metric, "metric");
        perCase = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNullElse(perCase, Map.of())));
        warnings = List.copyOf(Objects.requireNonNullElse(warnings, List.of()));
        measurements = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNullElse(measurements,
                Map.of())));
    }

    /** A result without measured-vs-reference values. */
    public EvaluationResult(String metric, double value, Map<String, Double> perCase, List<String> warnings) {
        this(metric, value, perCase, warnings, Map.of());
    }

    public EvaluationResult withMeasurements(Map<String, Measurement> measured) {
        return new EvaluationResult(metric, value, perCase, warnings, measured);
    }
}
