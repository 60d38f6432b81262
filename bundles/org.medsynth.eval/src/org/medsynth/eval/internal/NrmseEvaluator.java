package org.medsynth.eval.internal;

import org.medsynth.core.api.ParameterValues;
import org.medsynth.eval.ImageMetrics;
import org.medsynth.eval.ImageMetrics.Normalization;
import org.medsynth.eval.Voxels;

/** Normalised root mean squared error, scikit-image's normalized_root_mse. */
public final class NrmseEvaluator extends PairedEvaluator {
    @Override
    double compute(Voxels reference, Voxels candidate, ParameterValues parameters) {
        return ImageMetrics.nrmse(reference.values(), candidate.values(),
                Normalization.of(parameters.getString("normalization")));
    }
}
