package org.medsynth.spine.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.medsynth.core.api.EvaluationRequest;
import org.medsynth.core.api.EvaluationResult;
import org.medsynth.core.api.EvaluationResult.Measurement;
import org.medsynth.core.api.Evaluator;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.eval.AngleAgreement;
import org.medsynth.spine.CobbAngle;

/**
 * Agreement of the Cobb angles measured automatically on candidate AP radiographs ({@link CobbAngle#fromRadiograph},
 * the major curve) with reference angles: the true angle of a reference (or, without references, of the candidate
 * itself) made by {@value #PHANTOM_GENERATOR}, rebuilt from its provenance; otherwise the angle measured on the
 * reference radiograph the same way. The value is the chosen statistic of {@link AngleAgreement}; per case, the
 * difference candidate − reference; the angles themselves are the result's measurements.
 */
public final class CobbAgreementEvaluator implements Evaluator {
    static final String PHANTOM_GENERATOR = "spine.phantom";

    @Override
    public EvaluationResult evaluate(EvaluationRequest request, IProgressMonitor monitor) throws CoreException {
        String id = request.contribution().id();
        List<MedicalImage<?>> candidates = request.candidates();
        List<MedicalImage<?>> references = request.references();
        if (candidates.isEmpty()) {
            throw new CoreException(Status.error(id + ": no candidate radiographs to measure"));
        }
        if (!references.isEmpty() && references.size() != candidates.size()) {
            throw new CoreException(Status.error(id + ": " + references.size() + " references for "
                    + candidates.size() + " candidates; give one reference per candidate, or none for phantoms"));
        }
        SubMonitor progress = SubMonitor.convert(monitor, candidates.size());
        Map<String, Measurement> angles = new LinkedHashMap<>();
        Map<String, Double> differences = new LinkedHashMap<>();
        for (int i = 0; i < candidates.size(); i++) {
            String caseId = request.caseIds().get(i);
            try {
                double reference = referenceAngle(references.isEmpty() ? candidates.get(i) : references.get(i),
                        references.isEmpty());
                double candidate = CobbAngle.fromRadiograph(candidates.get(i), 1).majorCobbDegrees();
                angles.put(caseId, new Measurement(reference, candidate));
                differences.put(caseId, candidate - reference);
            } catch (IllegalArgumentException e) {
                throw new CoreException(Status.error(id + ": case " + caseId + ": " + e.getMessage()));
            }
            progress.split(1);
        }
        AngleAgreement agreement;
        try {
            agreement = AngleAgreement.of(angles.values());
        } catch (IllegalArgumentException e) {
            throw new CoreException(Status.error(id + ": " + e.getMessage()));
        }
        return new EvaluationResult(id, agreement.statistic(request.parameters().getString("statistic")),
                differences, List.of(), angles);
    }

    /**
     * The true major Cobb angle of a spine phantom, from its provenance; else, when the image may be measured
     * (it is a reference), the major Cobb angle measured on it.
     */
    private static double referenceAngle(MedicalImage<?> image, boolean phantomRequired) {
        if (image.isSynthetic() && image.provenance().generatorId().equals(PHANTOM_GENERATOR)) {
            return SpinePhantomGenerator.phantom(image.provenance().parameters(), image.provenance().seed())
                    .trueCurves().get(0).angleDegrees();
        }
        if (phantomRequired) {
            throw new IllegalArgumentException("without reference images the candidates must be " + PHANTOM_GENERATOR
                    + " outputs (their provenance holds the true angle); this one was made by "
                    + image.provenance().generatorId());
        }
        return CobbAngle.fromRadiograph(image, 1).majorCobbDegrees();
    }
}
