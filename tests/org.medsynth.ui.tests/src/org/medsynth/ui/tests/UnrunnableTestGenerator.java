package org.medsynth.ui.tests;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.medsynth.core.api.GenerationRequest;
import org.medsynth.core.api.GenerationResult;
import org.medsynth.core.api.Generator;

/** Backs the declaration the catalog test lists; the catalog never loads it, so running it is an error. */
public class UnrunnableTestGenerator implements Generator {
    @Override
    public GenerationResult generate(GenerationRequest request, IProgressMonitor monitor) throws CoreException {
        throw new CoreException(Status.error("test.ui.generator is only declared for the catalog view test"));
    }
}
