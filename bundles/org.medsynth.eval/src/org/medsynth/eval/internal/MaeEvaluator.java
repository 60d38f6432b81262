package org.medsynth.eval.internal;

import org.medsynth.core.api.ParameterValues;
import org.medsynth.eval.ImageMetrics;
import org.medsynth.eval.Voxels;

/** Mean absolute error, in the images' intensity unit. */
public final class MaeEvaluator extends PairedEvaluator {
    @Override
    double compute(Voxels reference, Voxels candidate, ParameterValues parameters) {
        return ImageMetrics.mae(reference.values(), candidate.values());
    }
}
