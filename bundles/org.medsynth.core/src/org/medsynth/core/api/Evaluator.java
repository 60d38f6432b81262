package org.medsynth.core.api;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;

/** Contract of the {@code org.medsynth.core.evaluators} extension point. */
public interface Evaluator {
    EvaluationResult evaluate(EvaluationRequest request, IProgressMonitor monitor) throws CoreException;
}
