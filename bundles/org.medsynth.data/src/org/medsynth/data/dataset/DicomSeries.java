package org.medsynth.data.dataset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.medsynth.core.image.MedicalImage;
import org.medsynth.io.dicom.DicomReader;

/**
 * Reads the files of one DICOM series as one volume. The DICOM bundle is an optional import: this class is the only
 * one that touches it, so that sites without DICOM support still open every other layout.
 */
final class DicomSeries {
    private DicomSeries() {
    }

    static MedicalImage<?> read(List<Path> files) throws IOException {
        try {
            return DicomReader.readSeries(files).image();
        } catch (NoClassDefFoundError e) {
            throw new IOException("reading the DICOM series " + files.get(0).getParent()
                    + " needs the DICOM support (bundle org.medsynth.io.dicom), which is not installed", e);
        }
    }
}
