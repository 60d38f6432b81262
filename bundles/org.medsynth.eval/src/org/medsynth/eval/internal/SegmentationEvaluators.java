package org.medsynth.eval.internal;

import java.util.List;

import org.medsynth.core.api.ParameterValues;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.eval.BinaryMask;
import org.medsynth.eval.SegmentationMetrics;
import org.medsynth.eval.Voxels;

/** The segmentation evaluators: reference and candidate images are binary masks, nonzero = foreground. */
public final class SegmentationEvaluators {
    private SegmentationEvaluators() {
    }

    /** Reads both masks and notes empty ones, whose values are conventions rather than measurements. */
    abstract static class MaskPairEvaluator extends PerCaseEvaluator {
        @Override
        final double compute(String caseId, MedicalImage<?> reference, MedicalImage<?> candidate,
                ParameterValues parameters, List<String> warnings) {
            BinaryMask r = BinaryMask.of(Voxels.of(reference));
            BinaryMask c = BinaryMask.of(Voxels.of(candidate));
            r.checkSameGrid(c, "reference and candidate masks");
            boolean referenceEmpty = r.count() == 0;
            boolean candidateEmpty = c.count() == 0;
            if (referenceEmpty && candidateEmpty) {
                warnings.add("case " + caseId + ": both masks are empty, counted as perfect agreement");
            } else if (referenceEmpty || candidateEmpty) {
                warnings.add("case " + caseId + ": the " + (referenceEmpty ? "reference" : "candidate")
                        + " mask is empty");
            }
            return compute(r, c, parameters);
        }

        abstract double compute(BinaryMask reference, BinaryMask candidate, ParameterValues parameters);
    }

    public static final class Dice extends MaskPairEvaluator {
        @Override
        double compute(BinaryMask reference, BinaryMask candidate, ParameterValues parameters) {
            return SegmentationMetrics.dice(reference, candidate);
        }
    }

    public static final class Iou extends MaskPairEvaluator {
        @Override
        double compute(BinaryMask reference, BinaryMask candidate, ParameterValues parameters) {
            return SegmentationMetrics.iou(reference, candidate);
        }
    }

    public static final class Hd95 extends MaskPairEvaluator {
        @Override
        double compute(BinaryMask reference, BinaryMask candidate, ParameterValues parameters) {
            return SegmentationMetrics.hd95(reference, candidate);
        }
    }

    public static final class Assd extends MaskPairEvaluator {
        @Override
        double compute(BinaryMask reference, BinaryMask candidate, ParameterValues parameters) {
            return SegmentationMetrics.assd(reference, candidate);
        }
    }

    public static final class Nsd extends MaskPairEvaluator {
        @Override
        double compute(BinaryMask reference, BinaryMask candidate, ParameterValues parameters) {
            return SegmentationMetrics.nsd(reference, candidate, parameters.getDouble("tolerance"));
        }
    }
}
