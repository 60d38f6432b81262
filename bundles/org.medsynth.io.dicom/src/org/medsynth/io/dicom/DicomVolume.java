package org.medsynth.io.dicom;

import java.nio.file.Path;
import java.util.List;

import org.medsynth.core.image.MedicalImage;

/**
 * A DICOM object or series read as one image.
 *
 * @param image             pixels rescaled to physical units (HU for CT, SUV for PET where the tags allow), LPS geometry
 * @param files             the files it was read from, in slice order
 * @param seriesInstanceUid Series Instance UID, or empty
 * @param patientId         Patient ID, or empty
 * @param warnings          what the reader assumed, derived or could not represent (gantry tilt, irregular
 *                          spacing, missing SUV tags, the SUV factor used); empty when there was nothing to say
 */
public record DicomVolume(MedicalImage<?> image, List<Path> files, String seriesInstanceUid, String patientId,
        List<String> warnings) {
}
