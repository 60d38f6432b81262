package org.medsynth.spine.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

import org.eclipse.core.runtime.FileLocator;
import org.eclipse.core.runtime.Platform;

/** The reference files of this test bundle (reference/: the Python scripts and what they wrote). */
final class ReferenceFiles {
    private ReferenceFiles() {
    }

    static Path reference(String name) throws IOException {
        return Path.of(FileLocator.toFileURL(Platform.getBundle("org.medsynth.spine.tests").getEntry("reference/"
                + name)).getPath());
    }

    /** The data of a gzipped NumPy .npy file of {@code count} bytes (uint8), after its header. */
    static byte[] npyBytes(Path file, int count) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            byte[] all = in.readAllBytes();
            int headerLength = (all[8] & 0xff) | (all[9] & 0xff) << 8;
            int offset = 10 + headerLength;
            assertEquals(count, all.length - offset, "uint8 values in the .npy file");
            return Arrays.copyOfRange(all, offset, all.length);
        }
    }
}
