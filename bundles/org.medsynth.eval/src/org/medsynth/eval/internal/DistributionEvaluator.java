package org.medsynth.eval.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.medsynth.core.api.EvaluationRequest;
import org.medsynth.core.api.EvaluationResult;
import org.medsynth.core.api.Evaluator;
import org.medsynth.core.api.ParameterValues;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.eval.BaselineFeatureExtractor;
import org.medsynth.eval.DistributionMetrics.Value;
import org.medsynth.eval.FeatureExtractor;
import org.medsynth.eval.TorchScriptFeatureExtractor;
import org.medsynth.eval.TrainedFeatures;
import org.medsynth.eval.TorchScriptFeatureExtractor.Preprocessing;
import org.medsynth.ml.weights.ModelCard;

/**
 * A metric comparing the distribution of the candidate images with that of the references, on features from the
 * extractor the {@code features} parameter names. The result's first warning names the extractor, since values are
 * only comparable between runs on the same features; its per-case map holds the metric's named components (e.g.
 * precision and recall), as a distribution metric has no per-case values.
 */
abstract class DistributionEvaluator implements Evaluator {
    /** Images per feature-extraction call: networks run them as one batch. */
    private static final int BATCH = 32;

    @Override
    public final EvaluationResult evaluate(EvaluationRequest request, IProgressMonitor monitor) throws CoreException {
        ParameterValues parameters = request.parameters();
        List<MedicalImage<?>> references = usesReferences() ? request.references() : List.of();
        SubMonitor progress = SubMonitor.convert(monitor, references.size() + request.candidates().size() + 1);
        try (FeatureExtractor extractor = open(parameters)) {
            List<String> warnings = new ArrayList<>();
            warnings.add("features: " + extractor.description());
            if (needsClassifier() && extractor instanceof BaselineFeatureExtractor) {
                throw new IllegalArgumentException(request.contribution().id() + " needs class logits from a "
                        + "classifier: give features=<path to a TorchScript classifier>, not the baseline features");
            }
            double[][] x = extract(extractor, references, "reference", null, progress);
            double[][] y = extract(extractor, request.candidates(), "candidate", request.caseIds(), progress);
            Value value = compute(x, y, parameters, warnings);
            if (Double.isNaN(value.value())) {
                // undefined for these sample sizes: the warnings say why; a NaN would also not survive the JSON report
                throw new IllegalArgumentException(String.join("; ", value.warnings()));
            }
            warnings.addAll(value.warnings());
            progress.split(1);
            return new EvaluationResult(request.contribution().id(), value.value(), value.components(), warnings);
        } catch (IllegalArgumentException | IOException e) {
            throw new CoreException(Status.error(request.contribution().id() + ": " + e.getMessage()));
        }
    }

    /**
     * The metric on reference features {@code x} (empty when {@link #usesReferences()} is false) and candidate
     * features {@code y}; may add warnings about adjusted parameters.
     */
    abstract Value compute(double[][] x, double[][] y, ParameterValues parameters, List<String> warnings);

    boolean usesReferences() {
        return true;
    }

    boolean needsClassifier() {
        return false;
    }

    private static FeatureExtractor open(ParameterValues parameters) throws IOException {
        String features = parameters.getString("features");
        if (features.equals(BaselineFeatureExtractor.NAME)) {
            return new BaselineFeatureExtractor();
        }
        Path path = Path.of(features);
        // a model folder or a model id: MedSynth-trained features; any other path: a TorchScript file
        if (Files.isDirectory(path) || features.matches(ModelCard.ID_PATTERN)) {
            return TrainedFeatures.open(ModelCard.locate(features));
        }
        return TorchScriptFeatureExtractor.open(path, Preprocessing.of(parameters.getString("preprocessing")));
    }

    /**
     * @param caseIds names for the error message, or null: with two independent samples the request's case ids name
     *                the candidates, so references are named by position only
     */
    private static double[][] extract(FeatureExtractor extractor, List<MedicalImage<?>> images, String role,
            List<String> caseIds, SubMonitor progress) {
        double[][] features = new double[images.size()][];
        for (int start = 0; start < images.size(); start += BATCH) {
            List<MedicalImage<?>> batch = images.subList(start, Math.min(images.size(), start + BATCH));
            try {
                System.arraycopy(extractor.features(batch), 0, features, start, batch.size());
            } catch (FeatureExtractor.ImageFeatureException e) {
                int i = start + e.index();
                throw new IllegalArgumentException(role + " image " + (i + 1)
                        + (caseIds == null ? "" : " (" + caseIds.get(i) + ")") + ": " + e.getMessage(), e);
            }
            progress.split(batch.size());
        }
        return features;
    }
}
