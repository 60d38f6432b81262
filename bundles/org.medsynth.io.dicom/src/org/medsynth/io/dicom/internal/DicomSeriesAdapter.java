package org.medsynth.io.dicom.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.medsynth.core.api.DatasetAdapter;
import org.medsynth.core.api.ImageFormatException;
import org.medsynth.core.api.ParameterValues;
import org.medsynth.io.dicom.DicomReader;
import org.medsynth.io.dicom.DicomVolume;

/**
 * The {@code adapter.dicom-series} contribution: a folder of DICOM files, one case per series, its files in slice
 * order. Each series is read in full so that a broken or mixed series is reported when the dataset is opened, not
 * halfway through a job; what the reader had to assume is in the case's conditions ({@code warnings}).
 */
public final class DicomSeriesAdapter implements DatasetAdapter {
    @Override
    public boolean accepts(Path root) {
        try {
            return Files.isDirectory(root) && !DicomReader.dicomFiles(root).isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public List<DatasetCase> open(Path root, ParameterValues parameters) throws IOException {
        List<DatasetCase> cases = new ArrayList<>();
        for (DicomVolume v : DicomReader.readFolder(root)) {
            List<Path> files = v.files();
            Map<String, String> conditions = new LinkedHashMap<>();
            conditions.put("modality", v.image().modality().dicomCode());
            conditions.put("unit", v.image().unit().symbol());
            if (!v.warnings().isEmpty()) {
                conditions.put("warnings", String.join("; ", v.warnings()));
            }
            String id = v.seriesInstanceUid().isEmpty() ? files.get(0).getFileName().toString() : v.seriesInstanceUid();
            cases.add(new DatasetCase(id, v.patientId(), v.files(), conditions));
        }
        if (cases.isEmpty()) {
            throw new ImageFormatException(root, "holds no DICOM series");
        }
        return cases;
    }
}
