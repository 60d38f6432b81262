package org.medsynth.core.api;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;

/**
 * Contract of the {@code org.medsynth.core.generators} extension point. Implementations must have a public no-argument
 * constructor, call {@code SubMonitor.split} at least once per step (that is where cancellation is honoured) and
 * return in-memory images; writing, provenance and the run record are the job's business.
 */
public interface Generator {
    GenerationResult generate(GenerationRequest request, IProgressMonitor monitor) throws CoreException;
}
