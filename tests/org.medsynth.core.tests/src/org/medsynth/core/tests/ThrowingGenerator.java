package org.medsynth.core.tests;

import org.eclipse.core.runtime.IProgressMonitor;
import org.medsynth.core.api.GenerationRequest;
import org.medsynth.core.api.GenerationResult;
import org.medsynth.core.api.Generator;

/** A contribution with a bug: it throws from generate. */
public final class ThrowingGenerator implements Generator {
    @Override
    public GenerationResult generate(GenerationRequest request, IProgressMonitor monitor) {
        throw new IllegalStateException("simulated bug in a contributed generator");
    }
}
