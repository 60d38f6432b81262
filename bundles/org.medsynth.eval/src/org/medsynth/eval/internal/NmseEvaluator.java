package org.medsynth.eval.internal;

import org.medsynth.core.api.ParameterValues;
import org.medsynth.eval.ImageMetrics;
import org.medsynth.eval.ImageMetrics.Normalization;
import org.medsynth.eval.Voxels;

/** Normalised mean squared error, NRMSE²; with the default Euclidean normalisation ‖ref − cand‖² / ‖ref‖². */
public final class NmseEvaluator extends PairedEvaluator {
    @Override
    double compute(Voxels reference, Voxels candidate, ParameterValues parameters) {
        return ImageMetrics.nmse(reference.values(), candidate.values(),
                Normalization.of(parameters.getString("normalization")));
    }
}
