package org.medsynth.eval.tests;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.eclipse.core.runtime.FileLocator;
import org.eclipse.core.runtime.Platform;

/** The files in this bundle's reference/ folder: values and models made by the independent implementations. */
final class ReferenceFiles {
    private ReferenceFiles() {
    }

    static JsonObject json(String name) throws IOException {
        try (InputStream in = Platform.getBundle("org.medsynth.eval.tests").getEntry("reference/" + name).openStream()) {
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }

    /** A reference file as a path on disk, for code that opens files itself (TorchScript, npz). */
    static Path file(String name) throws IOException {
        return Path.of(FileLocator.toFileURL(Platform.getBundle("org.medsynth.eval.tests").getEntry("reference/" + name))
                .getPath());
    }
}
