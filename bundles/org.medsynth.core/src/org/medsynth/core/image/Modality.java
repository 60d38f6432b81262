package org.medsynth.core.image;

/** Acquisition modality, with the DICOM (0008,0060) code every format adapter writes. */
public enum Modality {
    CT("CT", "Computed tomography"),
    MR("MR", "Magnetic resonance"),
    PT("PT", "Positron emission tomography"),
    DX("DX", "Digital radiography"),
    XA("XA", "X-ray angiography / fluoroscopy"),
    US("US", "Ultrasound"),
    SM("SM", "Slide microscopy (histopathology)"),
    OT("OT", "Other");

    private final String dicomCode;
    private final String description;

    Modality(String dicomCode, String description) {
        this.dicomCode = dicomCode;
        this.description = description;
    }

    public String dicomCode() {
        return dicomCode;
    }

    public String description() {
        return description;
    }

    /** Parses a DICOM modality code (case-insensitive); CR is folded into DX. */
    public static Modality fromCode(String code) {
        if (code == null || code.isBlank()) {
            throw new IllegalArgumentException("modality code is empty");
        }
        String c = code.trim().toUpperCase(java.util.Locale.ROOT);
        if (c.equals("CR")) {
            return DX;
        }
        for (Modality m : values()) {
            if (m.dicomCode.equals(c)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown modality code '" + code + "'");
    }
}
