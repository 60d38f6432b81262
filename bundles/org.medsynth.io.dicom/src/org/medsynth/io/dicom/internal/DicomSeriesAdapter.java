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
import org.medsynth.io.dicom.DicomSeriesInfo;

/**
 * The {@code adapter.dicom-series} contribution: a folder of DICOM files, one case per series, its files in slice
 * order. Opening reads the file headers only ({@link DicomReader#scanFolder}): a mixed series, a duplicate slice or
 * any other header problem is reported when the dataset is opened, not halfway through a job, while the pixels are
 * decoded only when a case is read. What the reader has to assume is in the case's conditions ({@code warnings}).
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
        for (DicomSeriesInfo v : DicomReader.scanFolder(root)) {
            List<Path> files = v.files();
            Map<String, String> conditions = new LinkedHashMap<>();
            conditions.put("modality", v.modality().dicomCode());
            conditions.put("unit", v.unit().symbol());
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
