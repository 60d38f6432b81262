package org.medsynth.radiography.tests;

import java.io.IOException;
import java.nio.file.Path;

import org.eclipse.core.runtime.FileLocator;
import org.eclipse.core.runtime.Platform;

/** The committed reference values of this bundle (reference/). */
final class ReferenceFiles {
    private ReferenceFiles() {
    }

    static Path file(String name) throws IOException {
        return Path.of(FileLocator.toFileURL(Platform.getBundle("org.medsynth.radiography.tests")
                .getEntry("reference/" + name)).getPath());
    }
}
