package org.medsynth.eval.internal;

import java.io.IOException;
import java.util.List;

import org.eclipse.core.runtime.CoreException;
import org.medsynth.core.api.ParameterValues;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.eval.RoiMetrics;
import org.medsynth.eval.Voxels;

/** Contrast-to-noise ratio of each candidate between an ROI and a background region. */
public final class CnrEvaluator extends PerCaseEvaluator {
    @Override
    double compute(String caseId, MedicalImage<?> reference, MedicalImage<?> candidate, ParameterValues parameters,
            List<String> warnings) throws IOException, CoreException {
        Voxels image = Voxels.of(candidate);
        return RoiMetrics.cnr(image, RoiMasks.forCase(parameters.getPath("roi"), caseId, image),
                RoiMasks.forCase(parameters.getPath("background"), caseId, image));
    }
}
