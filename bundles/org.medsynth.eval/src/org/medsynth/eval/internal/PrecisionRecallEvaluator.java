package org.medsynth.eval.internal;

import java.util.List;

import org.medsynth.core.api.ParameterValues;
import org.medsynth.eval.DistributionMetrics;
import org.medsynth.eval.DistributionMetrics.Value;

/** Improved precision (the value) and recall (a component) with k-NN manifolds. */
public final class PrecisionRecallEvaluator extends DistributionEvaluator {
    @Override
    Value compute(double[][] x, double[][] y, ParameterValues parameters, List<String> warnings) {
        return DistributionMetrics.precisionRecall(x, y, parameters.getInt("k"));
    }
}
