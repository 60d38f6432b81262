package org.medsynth.eval.internal;

import org.medsynth.core.api.ParameterValues;
import org.medsynth.eval.ImageMetrics;
import org.medsynth.eval.Voxels;

/** Multi-scale structural similarity (five scales), 2D or 3D. */
public final class MsSsimEvaluator extends PairedEvaluator {
    @Override
    double compute(Voxels reference, Voxels candidate, ParameterValues parameters) {
        return ImageMetrics.msSsim(reference.values(), candidate.values(), reference.dims(),
                dataRange(parameters, reference));
    }
}
