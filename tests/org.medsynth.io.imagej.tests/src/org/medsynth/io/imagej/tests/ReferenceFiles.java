package org.medsynth.io.imagej.tests;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

import org.eclipse.core.runtime.Platform;
import org.medsynth.core.image.MedicalImage;

/** The files and values reference/imagej_reference.py wrote with tifffile and Pillow. */
final class ReferenceFiles {
    private static final String BUNDLE = "org.medsynth.io.imagej.tests";

    private ReferenceFiles() {
    }

    /** Files other writers made, by name: shape, values, sum, spacing. */
    static JsonObject files() throws IOException {
        return reference().getAsJsonObject("files");
    }

    /** Files MedSynth wrote, by name, as tifffile and Pillow read them. */
    static JsonObject written() throws IOException {
        return reference().getAsJsonObject("written");
    }

    private static JsonObject reference() throws IOException {
        try (InputStream in = Platform.getBundle(BUNDLE).getEntry("reference/imagej_reference.json").openStream()) {
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }

    /** A copy of a reference file in a folder, since the formats read paths. */
    static Path copy(String name, Path folder) throws IOException {
        Path target = folder.resolve(name);
        try (InputStream in = Platform.getBundle(BUNDLE).getEntry("reference/" + name).openStream()) {
            Files.copy(in, target);
        }
        return target;
    }

    /** All pixel values, x fastest. */
    static double[] values(MedicalImage<?> image) {
        return Views.flatIterable(image.pixels()).stream().mapToDouble(t -> ((RealType<?>) t).getRealDouble())
                .toArray();
    }
}
