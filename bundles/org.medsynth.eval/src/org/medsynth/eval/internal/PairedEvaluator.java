package org.medsynth.eval.internal;

import java.util.function.ToDoubleBiFunction;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.medsynth.core.api.EvaluationRequest;
import org.medsynth.core.api.EvaluationResult;
import org.medsynth.core.api.Evaluator;
import org.medsynth.core.api.ParameterValues;
import org.medsynth.eval.Voxels;

/** A metric computed per reference/candidate pair and summarised by the mean over pairs. */
abstract class PairedEvaluator implements Evaluator {

    @Override
    public final EvaluationResult evaluate(EvaluationRequest request, IProgressMonitor monitor) throws CoreException {
        return evaluatePairs(request, monitor, (reference, candidate) -> compute(reference, candidate,
                request.parameters()));
    }

    /**
     * The metric per pair and its mean over pairs, for evaluators that prepare something once per evaluation (a
     * loaded network) and so cannot extend this class.
     */
    static EvaluationResult evaluatePairs(EvaluationRequest request, IProgressMonitor monitor,
            ToDoubleBiFunction<Voxels, Voxels> metric) throws CoreException {
        return PerCaseEvaluator.meanOverCases(request, monitor, (id, reference, candidate, parameters, warnings) -> {
            Voxels ref = Voxels.of(reference);
            Voxels cand = Voxels.of(candidate);
            Voxels.checkComparable(id, ref, cand);
            return metric.applyAsDouble(ref, cand);
        });
    }

    abstract double compute(Voxels reference, Voxels candidate, ParameterValues parameters);

    /**
     * For metrics declaring {@code data-range}: its value, or max−min of the reference; a constant reference needs
     * an explicit range.
     */
    static double dataRange(ParameterValues parameters, Voxels reference) {
        return dataRange(parameters.getString("data-range"), "reference", () -> reference.max() - reference.min(),
                "the reference image is constant, so its range is 0; give --data-range");
    }

    /**
     * A data-range parameter: a positive number, or {@code keyword} for the range {@code automatic} computes, which
     * must be positive ({@code whenZero} says what to do otherwise).
     */
    static double dataRange(String text, String keyword, java.util.function.DoubleSupplier automatic, String whenZero) {
        if (text.equalsIgnoreCase(keyword)) {
            double range = automatic.getAsDouble();
            if (!(range > 0)) {
                throw new IllegalArgumentException(whenZero);
            }
            return range;
        }
        try {
            double r = Double.parseDouble(text);
            if (!(r > 0) || !Double.isFinite(r)) {
                throw new NumberFormatException();
            }
            return r;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("data-range '" + text + "' is neither a positive number nor '" + keyword + "'");
        }
    }
}
