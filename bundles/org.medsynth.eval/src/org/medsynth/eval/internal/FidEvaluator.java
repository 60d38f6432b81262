package org.medsynth.eval.internal;

import java.util.List;

import org.medsynth.core.api.ParameterValues;
import org.medsynth.eval.DistributionMetrics;
import org.medsynth.eval.DistributionMetrics.Value;

/** Fréchet distance between Gaussians fitted to the reference and candidate features (FID). */
public final class FidEvaluator extends DistributionEvaluator {
    @Override
    Value compute(double[][] x, double[][] y, ParameterValues parameters, List<String> warnings) {
        return DistributionMetrics.frechetDistance(x, y);
    }
}
