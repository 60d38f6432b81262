package org.medsynth.ml.tests;

import java.io.IOException;
import java.nio.file.Path;

import org.eclipse.core.runtime.FileLocator;
import org.eclipse.core.runtime.Platform;

/** The files in this bundle's reference/ folder, written by the PyTorch reference scripts there. */
final class ReferenceFiles {
    private ReferenceFiles() {
    }

    static Path file(String name) throws IOException {
        return Path.of(FileLocator.toFileURL(Platform.getBundle("org.medsynth.ml.tests").getEntry("reference/" + name))
                .getPath());
    }
}
