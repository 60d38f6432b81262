package org.medsynth.core.tests;

import org.eclipse.core.runtime.IProgressMonitor;
import org.medsynth.core.api.GenerationRequest;
import org.medsynth.core.api.GenerationResult;
import org.medsynth.core.api.Generator;

/** A contribution that cannot even be created. */
public final class BadConstructorGenerator implements Generator {
    public BadConstructorGenerator() {
        throw new IllegalStateException("simulated failure while loading weights");
    }

    @Override
    public GenerationResult generate(GenerationRequest request, IProgressMonitor monitor) {
        throw new AssertionError("never created");
    }
}
