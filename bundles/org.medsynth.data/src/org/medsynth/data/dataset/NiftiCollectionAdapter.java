package org.medsynth.data.dataset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.medsynth.core.registry.ImageFormats;

/** The {@code adapter.nifti-collection} contribution: the .nii and .nii.gz files directly inside a folder, one case each. */
public final class NiftiCollectionAdapter extends FolderAdapter {
    @Override
    protected List<Path> images(Path folder, ImageFormats formats) throws IOException {
        return formats.imagesIn(folder).stream().filter(NiftiCollectionAdapter::isNifti).toList();
    }

    private static boolean isNifti(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".nii") || name.endsWith(".nii.gz");
    }
}
