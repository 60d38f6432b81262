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
 * The {@code adapter.class-folders} contribution: each subfolder is a class, each readable image in it a case with
 * the condition {@value #LABEL} (the folder name); case ids are {@code class/stem}.
 */
public final class ClassFoldersAdapter implements DatasetAdapter {
    /** Condition holding the class, the name of the case's folder. */
    public static final String LABEL = "label";

    @Override
    public boolean accepts(Path root) {
        try {
            if (!Files.isDirectory(root)) {
                return false;
            }
            ImageFormats formats = ImageFormats.get();
            for (Path folder : Layouts.subfolders(root)) {
                if (!formats.imagesIn(folder).isEmpty()) {
                    return true;
                }
            }
            return false;
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
        for (Path folder : Layouts.subfolders(root)) {
            String label = folder.getFileName().toString();
            Layouts.addImageCases(cases, formats.imagesIn(folder), folder, formats, patients, label + "/",
                    Map.of(LABEL, label));
        }
        if (cases.isEmpty()) {
            throw new ImageFormatException(root, "has no subfolder holding readable images (one subfolder per class)");
        }
        return cases;
    }
}
