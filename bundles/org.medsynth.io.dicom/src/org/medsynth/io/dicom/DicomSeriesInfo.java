package org.medsynth.io.dicom;

import java.nio.file.Path;
import java.util.List;

import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.Modality;

/**
 * A DICOM series described from its headers alone: what {@link DicomReader#readFolder} would read it as, without
 * its pixels (see {@link DicomReader#scanFolder}).
 *
 * @param files             its files, in slice order
 * @param seriesInstanceUid Series Instance UID, or empty
 * @param patientId         Patient ID, or empty
 * @param modality          the modality of the image it reads as
 * @param unit              the unit its values read in (HU for CT; SUV, Bq/ml or arbitrary for PET, as the tags allow)
 * @param dimensions        the image's dimensions: x, y, then z for a volume, then samples for colour
 * @param geometry          the image's LPS geometry (spacing, origin, direction)
 * @param warnings          what the reader assumes, derives or cannot represent, as in {@link DicomVolume#warnings()}
 */
public record DicomSeriesInfo(List<Path> files, String seriesInstanceUid, String patientId, Modality modality,
        IntensityUnit unit, long[] dimensions, Geometry geometry, List<String> warnings) {
}
