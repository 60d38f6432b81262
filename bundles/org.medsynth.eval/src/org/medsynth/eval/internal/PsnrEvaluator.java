package org.medsynth.eval.internal;

import org.medsynth.core.api.ParameterValues;
import org.medsynth.eval.ImageMetrics;
import org.medsynth.eval.Voxels;

/** Peak signal-to-noise ratio, dB. */
public final class PsnrEvaluator extends PairedEvaluator {
    @Override
    double compute(Voxels reference, Voxels candidate, ParameterValues parameters) {
        return ImageMetrics.psnr(reference.values(), candidate.values(), dataRange(parameters, reference));
    }
}
