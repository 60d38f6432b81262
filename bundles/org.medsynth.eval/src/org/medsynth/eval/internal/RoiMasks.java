package org.medsynth.eval.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.core.runtime.CoreException;
import org.medsynth.core.api.ImageFormatException;
import org.medsynth.core.registry.ImageFormats;
import org.medsynth.eval.BinaryMask;
import org.medsynth.eval.Voxels;

/**
 * ROI masks named by a path parameter: one mask file for every case, or a folder holding one mask per case under
 * the case's file name.
 */
final class RoiMasks {
    private RoiMasks() {
    }

    /** The mask for a case, checked to lie on the image's grid; errors name the mask file. */
    static BinaryMask forCase(Path parameter, String caseId, Voxels image) throws IOException, CoreException {
        Path file = Files.isDirectory(parameter) ? parameter.resolve(caseId) : parameter;
        try {
            BinaryMask mask = BinaryMask.of(Voxels.of(ImageFormats.get().read(file)));
            mask.checkSameGrid(image, "mask and image");
            return mask;
        } catch (IllegalArgumentException e) {
            throw new ImageFormatException(file, e.getMessage());
        }
    }
}
