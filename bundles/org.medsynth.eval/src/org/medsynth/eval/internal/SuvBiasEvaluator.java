package org.medsynth.eval.internal;

import java.io.IOException;
import java.util.List;

import org.eclipse.core.runtime.CoreException;
import org.medsynth.core.api.ParameterValues;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.eval.BinaryMask;
import org.medsynth.eval.RoiMetrics;
import org.medsynth.eval.Voxels;

/** SUVmean or SUVmax in an ROI, candidate − reference, absolute or relative to the reference in %. */
public final class SuvBiasEvaluator extends PerCaseEvaluator {
    @Override
    double compute(String caseId, MedicalImage<?> reference, MedicalImage<?> candidate, ParameterValues parameters,
            List<String> warnings) throws IOException, CoreException {
        for (MedicalImage<?> image : List.of(reference, candidate)) {
            if (image.unit() != IntensityUnit.SUV_BODY_WEIGHT) {
                warnings.add("case " + caseId + ": " + (image == reference ? "reference" : "candidate") + " is in "
                        + image.unit().symbol() + ", not SUV; the bias is in its units");
            }
        }
        Voxels r = Voxels.of(reference);
        Voxels c = Voxels.of(candidate);
        Voxels.checkComparable(caseId, r, c);
        BinaryMask roi = RoiMasks.forCase(parameters.getPath("roi"), caseId, r);
        boolean max = parameters.getString("suv").equals("max");
        double referenceSuv = max ? RoiMetrics.max(r, roi) : RoiMetrics.mean(r, roi);
        double candidateSuv = max ? RoiMetrics.max(c, roi) : RoiMetrics.mean(c, roi);
        if (!parameters.getBoolean("relative")) {
            return candidateSuv - referenceSuv;
        }
        if (referenceSuv == 0) {
            throw new IllegalArgumentException("the reference SUV" + (max ? "max" : "mean")
                    + " in the ROI is 0, so a relative bias is undefined");
        }
        return 100 * (candidateSuv - referenceSuv) / referenceSuv;
    }
}
