package org.medsynth.eval.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.medsynth.core.api.EvaluationRequest;
import org.medsynth.core.api.EvaluationResult;
import org.medsynth.core.api.Evaluator;
import org.medsynth.eval.PerceptualDistance;

/**
 * LPIPS-style perceptual distance per pair ({@link PerceptualDistance}), unweighted or with lin weights, mean over
 * pairs. The network is loaded once per evaluation; the result's warning names it and the weights, since values are
 * only comparable on the same ones.
 */
public final class LpipsEvaluator implements Evaluator {

    /** The {@code weights} value for LPIPS without lin layers. */
    static final String UNWEIGHTED = "baseline";

    @Override
    public EvaluationResult evaluate(EvaluationRequest request, IProgressMonitor monitor) throws CoreException {
        String id = request.contribution().id();
        Path network = Path.of(request.parameters().getString("network"));
        String weights = request.parameters().getString("weights");
        try (PerceptualDistance lpips = weights.equals(UNWEIGHTED) ? PerceptualDistance.unweighted(network)
                : PerceptualDistance.weighted(network, Path.of(weights))) {
            EvaluationResult result = PairedEvaluator.evaluatePairs(request, monitor, lpips::distance);
            return new EvaluationResult(id, result.value(), result.perCase(),
                    List.of("network: " + lpips.description()));
        } catch (IOException e) {
            throw new CoreException(Status.error(id + ": " + e.getMessage()));
        }
    }
}
