package org.medsynth.io.dicom.internal;

import com.pixelmed.dicom.AttributeTag;

/** The DICOM tags MedSynth reads and writes, by number (PixelMed's TagFromName lacks some of them). */
final class Tags {
    private Tags() {
    }

    static final AttributeTag TRANSFER_SYNTAX_UID = new AttributeTag(0x0002, 0x0010);
    static final AttributeTag IMAGE_TYPE = new AttributeTag(0x0008, 0x0008);
    static final AttributeTag SOP_CLASS_UID = new AttributeTag(0x0008, 0x0016);
    static final AttributeTag SOP_INSTANCE_UID = new AttributeTag(0x0008, 0x0018);
    static final AttributeTag SERIES_TIME = new AttributeTag(0x0008, 0x0031);
    static final AttributeTag ACQUISITION_TIME = new AttributeTag(0x0008, 0x0032);
    static final AttributeTag MODALITY = new AttributeTag(0x0008, 0x0060);
    static final AttributeTag PATIENT_ID = new AttributeTag(0x0010, 0x0020);
    static final AttributeTag PATIENT_WEIGHT = new AttributeTag(0x0010, 0x1030);
    static final AttributeTag SLICE_THICKNESS = new AttributeTag(0x0018, 0x0050);
    static final AttributeTag SPACING_BETWEEN_SLICES = new AttributeTag(0x0018, 0x0088);
    static final AttributeTag RADIOPHARMACEUTICAL_START_TIME = new AttributeTag(0x0018, 0x1072);
    static final AttributeTag RADIONUCLIDE_TOTAL_DOSE = new AttributeTag(0x0018, 0x1074);
    static final AttributeTag RADIONUCLIDE_HALF_LIFE = new AttributeTag(0x0018, 0x1075);
    static final AttributeTag RADIOPHARMACEUTICAL_START_DATE_TIME = new AttributeTag(0x0018, 0x1078);
    static final AttributeTag SERIES_INSTANCE_UID = new AttributeTag(0x0020, 0x000E);
    static final AttributeTag IMAGE_POSITION_PATIENT = new AttributeTag(0x0020, 0x0032);
    static final AttributeTag IMAGE_ORIENTATION_PATIENT = new AttributeTag(0x0020, 0x0037);
    static final AttributeTag FRAME_OF_REFERENCE_UID = new AttributeTag(0x0020, 0x0052);
    static final AttributeTag PLANE_POSITION_SEQUENCE = new AttributeTag(0x0020, 0x9113);
    static final AttributeTag PLANE_ORIENTATION_SEQUENCE = new AttributeTag(0x0020, 0x9116);
    static final AttributeTag IMAGE_COMMENTS = new AttributeTag(0x0020, 0x4000);
    static final AttributeTag SAMPLES_PER_PIXEL = new AttributeTag(0x0028, 0x0002);
    static final AttributeTag PHOTOMETRIC_INTERPRETATION = new AttributeTag(0x0028, 0x0004);
    static final AttributeTag PLANAR_CONFIGURATION = new AttributeTag(0x0028, 0x0006);
    static final AttributeTag NUMBER_OF_FRAMES = new AttributeTag(0x0028, 0x0008);
    static final AttributeTag ROWS = new AttributeTag(0x0028, 0x0010);
    static final AttributeTag COLUMNS = new AttributeTag(0x0028, 0x0011);
    static final AttributeTag PIXEL_SPACING = new AttributeTag(0x0028, 0x0030);
    static final AttributeTag BITS_ALLOCATED = new AttributeTag(0x0028, 0x0100);
    static final AttributeTag BITS_STORED = new AttributeTag(0x0028, 0x0101);
    static final AttributeTag PIXEL_REPRESENTATION = new AttributeTag(0x0028, 0x0103);
    static final AttributeTag RESCALE_INTERCEPT = new AttributeTag(0x0028, 0x1052);
    static final AttributeTag RESCALE_SLOPE = new AttributeTag(0x0028, 0x1053);
    static final AttributeTag PIXEL_MEASURES_SEQUENCE = new AttributeTag(0x0028, 0x9110);
    static final AttributeTag PIXEL_VALUE_TRANSFORMATION_SEQUENCE = new AttributeTag(0x0028, 0x9145);
    static final AttributeTag RADIOPHARMACEUTICAL_INFORMATION_SEQUENCE = new AttributeTag(0x0054, 0x0016);
    static final AttributeTag UNITS = new AttributeTag(0x0054, 0x1001);
    static final AttributeTag DECAY_CORRECTION = new AttributeTag(0x0054, 0x1102);
    static final AttributeTag GRID_FRAME_OFFSET_VECTOR = new AttributeTag(0x3004, 0x000C);
    static final AttributeTag SHARED_FUNCTIONAL_GROUPS_SEQUENCE = new AttributeTag(0x5200, 0x9229);
    static final AttributeTag PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE = new AttributeTag(0x5200, 0x9230);
    static final AttributeTag PIXEL_DATA = new AttributeTag(0x7FE0, 0x0010);
}
