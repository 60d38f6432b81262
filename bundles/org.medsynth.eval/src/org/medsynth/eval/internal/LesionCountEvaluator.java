package org.medsynth.eval.internal;

import java.util.List;

import org.medsynth.core.api.ParameterValues;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.eval.BinaryMask;
import org.medsynth.eval.ConnectedComponents;
import org.medsynth.eval.ConnectedComponents.Connectivity;
import org.medsynth.eval.Voxels;

/**
 * Lesions (connected components of nonzero voxels) per case: the candidate's count minus the reference's, or either
 * count. The two masks may lie on different grids; the minimum volume is in physical units for that reason.
 */
public final class LesionCountEvaluator extends PerCaseEvaluator {
    @Override
    double compute(String caseId, MedicalImage<?> reference, MedicalImage<?> candidate, ParameterValues parameters,
            List<String> warnings) {
        return switch (parameters.getString("count")) {
            case "reference" -> count(reference, parameters);
            case "candidate" -> count(candidate, parameters);
            default -> count(candidate, parameters) - count(reference, parameters);
        };
    }

    private static int count(MedicalImage<?> mask, ParameterValues parameters) {
        Connectivity connectivity = parameters.getString("connectivity").equals("face") ? Connectivity.FACE
                : Connectivity.FULL;
        return ConnectedComponents.count(BinaryMask.of(Voxels.of(mask)), connectivity, parameters.getInt("min-voxels"),
                parameters.getDouble("min-volume"));
    }
}
