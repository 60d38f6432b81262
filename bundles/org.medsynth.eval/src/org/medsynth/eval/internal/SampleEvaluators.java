package org.medsynth.eval.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.medsynth.core.api.EvaluationRequest;
import org.medsynth.core.api.EvaluationResult;
import org.medsynth.core.api.Evaluator;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.eval.SampleSimilarity;
import org.medsynth.eval.SampleSimilarity.Distance;
import org.medsynth.eval.SampleSimilarity.Nearest;
import org.medsynth.eval.SampleSimilarity.PairwiseSimilarity;
import org.medsynth.eval.SampleSimilarity.Similarity;
import org.medsynth.eval.Voxels;

/**
 * Diversity and privacy metrics on whole samples, voxel by voxel (no features): the request's case ids name the
 * candidates, as {@link org.medsynth.core.jobs.EvaluationJob.Samples} sets them.
 */
public final class SampleEvaluators {
    private SampleEvaluators() {
    }

    /** Mean MS-SSIM (or SSIM) over all pairs of candidates; lower means a more diverse sample. */
    public static final class Diversity implements Evaluator {
        @Override
        public EvaluationResult evaluate(EvaluationRequest request, IProgressMonitor monitor) throws CoreException {
            String id = request.contribution().id();
            try {
                List<Voxels> candidates = voxels(request.candidates());
                Similarity similarity = Similarity.of(request.parameters().getString("similarity"));
                double dataRange = dataRange(request.parameters().getString("data-range"), candidates, "candidate");
                PairwiseSimilarity result = SampleSimilarity.meanPairwiseSimilarity(candidates, similarity, dataRange);
                Map<String, Double> perCandidate = new LinkedHashMap<>();
                for (int i = 0; i < candidates.size(); i++) {
                    perCandidate.put(request.caseIds().get(i), result.perImage()[i]);
                }
                return new EvaluationResult(id, result.mean(), perCandidate, List.of("similarity: " + similarity.id()
                        + "; per case: the candidate's mean similarity to the other candidates"));
            } catch (IllegalArgumentException e) {
                throw new CoreException(Status.error(id + ": " + e.getMessage()));
            }
        }
    }

    /**
     * Per candidate the distance to its nearest training (reference) image; a warning lists the candidates at or
     * below the threshold, which may be copies of training images.
     */
    public static final class NearestTrainingNeighbour implements Evaluator {
        @Override
        public EvaluationResult evaluate(EvaluationRequest request, IProgressMonitor monitor) throws CoreException {
            String id = request.contribution().id();
            try {
                List<Voxels> candidates = voxels(request.candidates());
                List<Voxels> training = voxels(request.references());
                Distance distance = Distance.of(request.parameters().getString("distance"));
                double dataRange = distance == Distance.RMSE ? Double.NaN
                        : dataRange(request.parameters().getString("data-range"), training, "training");
                Nearest[] nearest = SampleSimilarity.nearestNeighbours(candidates, training, distance, dataRange);
                double threshold = request.parameters().getDouble("threshold");
                Map<String, Double> perCandidate = new LinkedHashMap<>();
                List<String> closeToTraining = new ArrayList<>();
                double sum = 0;
                for (int i = 0; i < nearest.length; i++) {
                    String candidate = request.caseIds().get(i);
                    perCandidate.put(candidate, nearest[i].distance());
                    sum += nearest[i].distance();
                    if (nearest[i].distance() <= threshold) {
                        closeToTraining.add(candidate + " (training image " + (nearest[i].trainingIndex() + 1)
                                + ", distance " + sixDigits(nearest[i].distance()) + ")");
                    }
                }
                List<String> warnings = new ArrayList<>();
                warnings.add("distance: " + distance.id() + "; per case: the candidate's distance to its nearest"
                        + " training image");
                if (!closeToTraining.isEmpty()) {
                    warnings.add(closeToTraining.size() + " candidate(s) within " + threshold + " of a training image,"
                            + " possibly memorised: " + String.join(", ", closeToTraining));
                }
                return new EvaluationResult(id, sum / nearest.length, perCandidate, warnings);
            } catch (IllegalArgumentException e) {
                throw new CoreException(Status.error(id + ": " + e.getMessage()));
            }
        }
    }

    /** Six significant digits without trailing zeros, so that an exact copy reads "distance 0". */
    private static String sixDigits(double value) {
        return new BigDecimal(value).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    private static List<Voxels> voxels(List<MedicalImage<?>> images) {
        return images.stream().map(Voxels::of).toList();
    }

    /** The data-range parameter: a positive number, or 'sample' for max − min over the whole sample. */
    private static double dataRange(String text, List<Voxels> sample, String role) {
        return PairedEvaluator.dataRange(text, "sample", () -> SampleSimilarity.range(sample), "every " + role
                + " image holds the same constant value, so the sample's range is 0; give --data-range");
    }
}
