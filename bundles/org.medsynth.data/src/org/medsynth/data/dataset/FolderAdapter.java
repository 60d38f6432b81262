package org.medsynth.data.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.medsynth.core.api.DatasetAdapter;
import org.medsynth.core.api.ImageFormatException;
import org.medsynth.core.api.ParameterValues;
import org.medsynth.core.registry.ImageFormats;

/**
 * The {@code adapter.folder} contribution: every readable image directly inside a folder is one case, its id the file
 * stem, its patient the stem or what {@code patient-pattern} finds in it.
 */
public class FolderAdapter implements DatasetAdapter {
    /** The image files of the folder this layout takes, by name. */
    protected List<Path> images(Path folder, ImageFormats formats) throws IOException {
        return formats.imagesIn(folder);
    }

    @Override
    public boolean accepts(Path root) {
        try {
            return Files.isDirectory(root) && !images(root, ImageFormats.get()).isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public List<DatasetCase> open(Path root, ParameterValues parameters) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new ImageFormatException(root, "is not a folder");
        }
        ImageFormats formats = ImageFormats.get();
        Layouts.PatientNames patients = new Layouts.PatientNames(parameters);
        List<DatasetCase> cases = new ArrayList<>();
        Layouts.addImageCases(cases, images(root, formats), root, formats, patients, "", Map.of());
        if (cases.isEmpty()) {
            throw new ImageFormatException(root, "holds no image this layout reads (readable: "
                    + String.join(", ", formats.knownExtensions(false)) + ")");
        }
        return cases;
    }
}
