package org.medsynth.eval.internal;

import java.util.List;

import org.medsynth.core.api.ParameterValues;
import org.medsynth.eval.DistributionMetrics;
import org.medsynth.eval.DistributionMetrics.Value;

/** Kernel Inception Distance on seeded random subsets; the subset size is clipped to the smaller sample. */
public final class KidEvaluator extends DistributionEvaluator {
    @Override
    Value compute(double[][] x, double[][] y, ParameterValues parameters, List<String> warnings) {
        int requested = parameters.getInt("subset-size");
        int size = Math.min(requested, Math.min(x.length, y.length));
        if (size < requested) {
            warnings.add("KID subset size " + requested + " clipped to " + size + ", the smaller sample ("
                    + x.length + " reference, " + y.length + " candidate images)");
        }
        int subsets = parameters.getInt("subsets");
        long seed = parameters.getInt("seed");
        // different streams for the two samples, so equal sample sizes do not give the same index lists
        return DistributionMetrics.kernelInceptionDistance(x, y,
                DistributionMetrics.randomSubsets(x.length, subsets, size, seed),
                DistributionMetrics.randomSubsets(y.length, subsets, size, seed + 1));
    }
}
