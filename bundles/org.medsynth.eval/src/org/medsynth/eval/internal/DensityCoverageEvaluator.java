package org.medsynth.eval.internal;

import java.util.List;

import org.medsynth.core.api.ParameterValues;
import org.medsynth.eval.DistributionMetrics;
import org.medsynth.eval.DistributionMetrics.Value;

/** Density (the value) and coverage (a component) with reference k-NN balls. */
public final class DensityCoverageEvaluator extends DistributionEvaluator {
    @Override
    Value compute(double[][] x, double[][] y, ParameterValues parameters, List<String> warnings) {
        return DistributionMetrics.densityCoverage(x, y, parameters.getInt("k"));
    }
}
