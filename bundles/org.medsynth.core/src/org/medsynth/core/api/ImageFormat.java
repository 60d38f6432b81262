package org.medsynth.core.api;

import java.io.IOException;
import java.nio.file.Path;

import org.medsynth.core.image.MedicalImage;

/**
 * Contract of a {@code <format>} in the {@code org.medsynth.core.datasets} extension point. Readers throw
 * {@link ImageFormatException} naming the file and the problem for any malformed input; writers must write the
 * provenance wherever the format can carry it and must mark synthetic images as such.
 */
public interface ImageFormat {
    MedicalImage<?> read(Path file) throws IOException;

    void write(MedicalImage<?> image, Path file) throws IOException;
}
