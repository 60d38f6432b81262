package org.medsynth.io.imagej.scijava;

import java.io.IOException;
import java.nio.file.Path;

import org.eclipse.core.runtime.CoreException;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.registry.ImageFormats;
import org.scijava.io.AbstractIOPlugin;
import org.scijava.io.IOPlugin;
import org.scijava.io.location.FileLocation;
import org.scijava.io.location.Location;
import org.scijava.plugin.Plugin;

/**
 * Every installed MedSynth image format (the {@code datasets} extension point: TIFF, JPEG, PNG, MetaImage, NIfTI,
 * DICOM, ...) as one SciJava IO plugin: {@code IOService.open} of a file a MedSynth format reads gives a
 * {@link MedicalImage}, and {@code IOService.save} of a MedicalImage writes it with the format of the file's ending.
 * Only local files are handled.
 */
@SuppressWarnings("rawtypes")
@Plugin(type = IOPlugin.class, name = "MedSynth image formats")
public final class MedSynthImageIOPlugin extends AbstractIOPlugin<MedicalImage> {
    @Override
    public Class<MedicalImage> getDataType() {
        return MedicalImage.class;
    }

    @Override
    public boolean supportsOpen(Location source) {
        return source instanceof FileLocation file && ImageFormats.get().forFile(path(file), false).isPresent();
    }

    @Override
    public boolean supportsSave(Location destination) {
        return destination instanceof FileLocation file && ImageFormats.get().forFile(path(file), true).isPresent();
    }

    @Override
    public MedicalImage open(Location source) throws IOException {
        try {
            return ImageFormats.get().read(path(fileLocation(source)));
        } catch (CoreException e) {
            throw new IOException(source + ": the MedSynth format failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void save(MedicalImage image, Location destination) throws IOException {
        try {
            ImageFormats.get().write(image, path(fileLocation(destination)));
        } catch (CoreException e) {
            throw new IOException(destination + ": the MedSynth format failed: " + e.getMessage(), e);
        }
    }

    private static FileLocation fileLocation(Location location) throws IOException {
        if (location instanceof FileLocation file) {
            return file;
        }
        throw new IOException(location + ": MedSynth formats read and write local files only");
    }

    private static Path path(FileLocation file) {
        return file.getFile().toPath();
    }
}
