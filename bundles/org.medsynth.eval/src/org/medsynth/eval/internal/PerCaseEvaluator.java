package org.medsynth.eval.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.medsynth.core.api.EvaluationRequest;
import org.medsynth.core.api.EvaluationResult;
import org.medsynth.core.api.EvaluationResult.Measurement;
import org.medsynth.core.api.Evaluator;
import org.medsynth.core.api.ParameterValues;
import org.medsynth.core.image.MedicalImage;

/**
 * A value per reference/candidate case, summarised by the mean over cases. A bad case (mismatched grids, an
 * unreadable ROI file) fails the whole evaluation with a message naming the case.
 */
abstract class PerCaseEvaluator implements Evaluator {

    @Override
    public final EvaluationResult evaluate(EvaluationRequest request, IProgressMonitor monitor) throws CoreException {
        return meanOverCases(request, monitor, this::compute);
    }

    /** A metric of one case; a message of its exception makes sense after "case id: ". */
    interface CaseMetric {
        double compute(String caseId, MedicalImage<?> reference, MedicalImage<?> candidate, ParameterValues parameters,
                List<String> warnings) throws IOException, CoreException;
    }

    /** The metric per reference/candidate case and its mean over cases: the loop every per-case evaluator shares. */
    static EvaluationResult meanOverCases(EvaluationRequest request, IProgressMonitor monitor, CaseMetric metric)
            throws CoreException {
        List<String> ids = request.caseIds();
        if (request.references().size() != request.candidates().size()) {
            throw new CoreException(Status.error(request.references().size() + " references but "
                    + request.candidates().size() + " candidates: this metric needs one of each per case"));
        }
        SubMonitor progress = SubMonitor.convert(monitor, ids.size());
        Map<String, Double> perCase = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        double sum = 0;
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            double v;
            try {
                v = metric.compute(id, request.references().get(i), request.candidates().get(i), request.parameters(),
                        warnings);
            } catch (IllegalArgumentException | IOException e) {
                String prefix = "case " + id + ": ";
                // checks shared with the paired metrics already name the case
                throw new CoreException(Status.error(e.getMessage().startsWith(prefix) ? e.getMessage()
                        : prefix + e.getMessage()));
            }
            perCase.put(id, v);
            sum += v;
            progress.split(1);
        }
        return new EvaluationResult(request.contribution().id(), sum / ids.size(), perCase, warnings);
    }

    /** One quantity measured on the reference and on the candidate of a case; same contract as {@link CaseMetric}. */
    interface CaseMeasurement {
        Measurement measure(String caseId, MedicalImage<?> reference, MedicalImage<?> candidate,
                ParameterValues parameters, List<String> warnings) throws IOException, CoreException;
    }

    /**
     * A metric that is a difference of per-case measurements: its value per case and mean over cases, with the
     * measurements kept in the result for agreement plots.
     *
     * @param difference the metric from the reference and candidate measurement; may throw IllegalArgumentException
     */
    static EvaluationResult differencesOverCases(EvaluationRequest request, IProgressMonitor monitor,
            CaseMeasurement measurement, DoubleBinaryOperator difference) throws CoreException {
        Map<String, Measurement> measured = new LinkedHashMap<>();
        EvaluationResult result = meanOverCases(request, monitor, (id, reference, candidate, parameters, warnings) -> {
            Measurement m = measurement.measure(id, reference, candidate, parameters, warnings);
            measured.put(id, m);
            return difference.applyAsDouble(m.reference(), m.candidate());
        });
        return result.withMeasurements(measured);
    }

    /**
     * @param warnings notes for the user about this case (e.g. an empty mask), each starting with "case id: "
     * @throws IllegalArgumentException or IOException with a message that makes sense after "case id: "
     */
    abstract double compute(String caseId, MedicalImage<?> reference, MedicalImage<?> candidate,
            ParameterValues parameters, List<String> warnings) throws IOException, CoreException;
}
