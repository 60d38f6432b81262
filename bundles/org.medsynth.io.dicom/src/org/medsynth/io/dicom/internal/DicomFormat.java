package org.medsynth.io.dicom.internal;

import java.io.IOException;
import java.nio.file.Path;

import org.eclipse.core.runtime.ILog;
import org.medsynth.core.api.ImageFormat;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.io.dicom.DicomReader;
import org.medsynth.io.dicom.DicomVolume;
import org.medsynth.io.dicom.DicomWriter;

/** The {@code format.dicom} contribution: one DICOM file in, one DICOM file out (see {@link DicomWriter}). */
public final class DicomFormat implements ImageFormat {
    @Override
    public MedicalImage<?> read(Path file) throws IOException {
        DicomVolume volume = DicomReader.read(file);
        for (String w : volume.warnings()) {
            ILog.of(DicomFormat.class).warn(file + ": " + w);
        }
        return volume.image();
    }

    @Override
    public void write(MedicalImage<?> image, Path file) throws IOException {
        DicomWriter.write(image, file, DicomWriter.Options.DEFAULTS);
    }
}
