package org.medsynth.eval.internal;

import org.medsynth.core.api.ParameterValues;
import org.medsynth.eval.ImageMetrics;
import org.medsynth.eval.Voxels;

/** Structural dissimilarity (1 − SSIM) / 2, 2D or 3D, with the SSIM evaluator's options. */
public final class DssimEvaluator extends PairedEvaluator {
    @Override
    double compute(Voxels reference, Voxels candidate, ParameterValues parameters) {
        return ImageMetrics.dssim(reference.values(), candidate.values(), reference.dims(),
                dataRange(parameters, reference), SsimEvaluator.options(parameters));
    }
}
