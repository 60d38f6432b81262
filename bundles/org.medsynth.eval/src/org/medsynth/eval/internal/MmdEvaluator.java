package org.medsynth.eval.internal;

import java.util.List;

import org.medsynth.core.api.ParameterValues;
import org.medsynth.eval.DistributionMetrics;
import org.medsynth.eval.DistributionMetrics.Value;

/** Unbiased MMD² with a Gaussian kernel; bandwidth given, or the median pairwise distance. */
public final class MmdEvaluator extends DistributionEvaluator {
    @Override
    Value compute(double[][] x, double[][] y, ParameterValues parameters, List<String> warnings) {
        String text = parameters.getString("bandwidth");
        double bandwidth;
        if (text.equalsIgnoreCase("median")) {
            bandwidth = DistributionMetrics.medianBandwidth(x, y);
        } else {
            try {
                bandwidth = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bandwidth '" + text + "' is neither a positive number nor 'median'");
            }
        }
        return DistributionMetrics.gaussianMmd(x, y, bandwidth);
    }
}
