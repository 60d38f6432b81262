package org.medsynth.ui.tests;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.medsynth.core.api.EvaluationRequest;
import org.medsynth.core.api.EvaluationResult;
import org.medsynth.core.api.Evaluator;

/** Backs the declaration the catalog test lists; the catalog never loads it, so running it is an error. */
public class UnrunnableTestEvaluator implements Evaluator {
    @Override
    public EvaluationResult evaluate(EvaluationRequest request, IProgressMonitor monitor) throws CoreException {
        throw new CoreException(Status.error("test.ui.evaluator is only declared for the catalog view test"));
    }
}
