package org.medsynth.core.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.medsynth.core.image.MedicalImage;

/**
 * Output of one generation run.
 *
 * @param images        named outputs; names become file names (letters, digits, dot, dash, underscore)
 * @param modelCardId   model card of the weights used, empty when the method has none
 * @param weightSha256  sha256 of the weights used, empty when the method has none
 * @param engineVersions versions of engines used (e.g. djl, pytorch), recorded in the run record
 */
public record GenerationResult(List<NamedImage> images, String modelCardId, String weightSha256,
        Map<String, String> engineVersions) {

    public record NamedImage(String name, MedicalImage<?> image) {
        public NamedImage {
            if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                throw new IllegalArgumentException("output name '" + name + "' is not a safe file name");
            }
            Objects.requireNonNull(image, "image");
        }
    }

    public GenerationResult {
        images = List.copyOf(images);
        if (images.isEmpty()) {
            throw new IllegalArgumentException("a generator must produce at least one image");
        }
        modelCardId = Objects.requireNonNullElse(modelCardId, "");
        weightSha256 = Objects.requireNonNullElse(weightSha256, "");
        engineVersions = Map.copyOf(Objects.requireNonNullElse(engineVersions, Map.of()));
    }

    public static GenerationResult weightFree(List<NamedImage> images) {
        return new GenerationResult(images, "", "", Map.of());
    }
}
