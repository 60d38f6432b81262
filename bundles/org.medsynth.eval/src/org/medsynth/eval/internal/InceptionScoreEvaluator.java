package org.medsynth.eval.internal;

import java.util.List;

import org.medsynth.core.api.ParameterValues;
import org.medsynth.eval.DistributionMetrics;
import org.medsynth.eval.DistributionMetrics.Value;

/**
 * Inception Score of the candidates: the model's outputs are class logits, turned into probabilities by softmax. The
 * references are not used.
 */
public final class InceptionScoreEvaluator extends DistributionEvaluator {
    @Override
    Value compute(double[][] x, double[][] y, ParameterValues parameters, List<String> warnings) {
        int requested = parameters.getInt("splits");
        int splits = Math.min(requested, y.length);
        if (splits < requested) {
            warnings.add("Inception Score splits reduced from " + requested + " to " + splits + ", the number of "
                    + "candidate images");
        }
        return DistributionMetrics.inceptionScore(DistributionMetrics.softmax(y), splits);
    }

    @Override
    boolean usesReferences() {
        return false;
    }

    @Override
    boolean needsClassifier() {
        return true;
    }
}
