package org.medsynth.eval.internal;

import org.medsynth.core.api.ParameterValues;
import org.medsynth.eval.ImageMetrics;
import org.medsynth.eval.ImageMetrics.SsimOptions;
import org.medsynth.eval.Voxels;

/** Mean structural similarity, 2D or 3D. */
public final class SsimEvaluator extends PairedEvaluator {
    @Override
    double compute(Voxels reference, Voxels candidate, ParameterValues parameters) {
        return ImageMetrics.ssim(reference.values(), candidate.values(), reference.dims(),
                dataRange(parameters, reference), options(parameters));
    }

    /** The SSIM options declared by the ssim and dssim evaluators. */
    static SsimOptions options(ParameterValues p) {
        return new SsimOptions(p.getString("window").equals("gaussian"), p.getInt("win-size"), p.getDouble("sigma"),
                p.getBoolean("sample-covariance"), p.getDouble("k1"), p.getDouble("k2"));
    }
}
