package org.medsynth.eval.internal;

import java.util.List;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.medsynth.core.api.EvaluationRequest;
import org.medsynth.core.api.EvaluationResult;
import org.medsynth.core.api.EvaluationResult.Measurement;
import org.medsynth.core.api.Evaluator;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.eval.BinaryMask;
import org.medsynth.eval.RoiMetrics;
import org.medsynth.eval.Voxels;

/**
 * SUVmean or SUVmax in an ROI, candidate − reference, absolute or relative to the reference in %. The result keeps
 * both SUVs per case for agreement plots.
 */
public final class SuvBiasEvaluator implements Evaluator {
    @Override
    public EvaluationResult evaluate(EvaluationRequest request, IProgressMonitor monitor) throws CoreException {
        boolean max = request.parameters().getString("suv").equals("max");
        boolean relative = request.parameters().getBoolean("relative");
        return PerCaseEvaluator.differencesOverCases(request, monitor,
                (caseId, reference, candidate, parameters, warnings) -> {
                    for (var image : List.of(reference, candidate)) {
                        if (image.unit() != IntensityUnit.SUV_BODY_WEIGHT) {
                            warnings.add("case " + caseId + ": " + (image == reference ? "reference" : "candidate")
                                    + " is in " + image.unit().symbol() + ", not SUV; the bias is in its units");
                        }
                    }
                    Voxels r = Voxels.of(reference);
                    Voxels c = Voxels.of(candidate);
                    Voxels.checkComparable(caseId, r, c);
                    BinaryMask roi = RoiMasks.forCase(parameters.getPath("roi"), caseId, r);
                    return max ? new Measurement(RoiMetrics.max(r, roi), RoiMetrics.max(c, roi))
                            : new Measurement(RoiMetrics.mean(r, roi), RoiMetrics.mean(c, roi));
                }, (referenceSuv, candidateSuv) -> {
                    if (!relative) {
                        return candidateSuv - referenceSuv;
                    }
                    if (referenceSuv == 0) {
                        throw new IllegalArgumentException("the reference SUV" + (max ? "max" : "mean")
                                + " in the ROI is 0, so a relative bias is undefined");
                    }
                    return 100 * (candidateSuv - referenceSuv) / referenceSuv;
                });
    }
}
