package org.medsynth.io.dicom.internal;

import org.medsynth.core.api.ImageFormatException;

/** One frame of one file with where it lies in the patient (LPS) and how its stored values are rescaled. */
record Plane(DicomHeader header, int frame, double[] position, double[] orientation, double[] pixelSpacing,
        double thickness, double slope, double intercept) {

    static Plane of(DicomHeader h, int frame) throws ImageFormatException {
        double[] position = h.frameValues(frame, Tags.PLANE_POSITION_SEQUENCE, Tags.IMAGE_POSITION_PATIENT);
        double[] orientation = h.frameValues(frame, Tags.PLANE_ORIENTATION_SEQUENCE, Tags.IMAGE_ORIENTATION_PATIENT);
        double[] spacing = h.frameValues(frame, Tags.PIXEL_MEASURES_SEQUENCE, Tags.PIXEL_SPACING);
        double[] thickness = h.frameValues(frame, Tags.PIXEL_MEASURES_SEQUENCE, Tags.SLICE_THICKNESS);
        double[] slope = h.frameValues(frame, Tags.PIXEL_VALUE_TRANSFORMATION_SEQUENCE, Tags.RESCALE_SLOPE);
        double[] intercept = h.frameValues(frame, Tags.PIXEL_VALUE_TRANSFORMATION_SEQUENCE, Tags.RESCALE_INTERCEPT);
        if (position != null && position.length != 3) {
            throw new ImageFormatException(h.file, "Image Position (Patient) has " + position.length + " values, not 3");
        }
        if (orientation != null && orientation.length != 6) {
            throw new ImageFormatException(h.file, "Image Orientation (Patient) has " + orientation.length + " values, not 6");
        }
        if (spacing != null && (spacing.length != 2 || !(spacing[0] > 0) || !(spacing[1] > 0))) {
            throw new ImageFormatException(h.file, "Pixel Spacing must be two positive numbers");
        }
        if (slope != null && slope[0] == 0) {
            throw new ImageFormatException(h.file, "Rescale Slope is 0");
        }
        return new Plane(h, frame, position, orientation == null ? null : orthonormal(h, orientation), spacing,
                thickness == null || !(thickness[0] > 0) ? Double.NaN : thickness[0],
                slope == null ? 1 : slope[0], intercept == null ? 0 : intercept[0]);
    }

    /** Row and column direction made exactly orthonormal (stored cosines carry a few decimal digits only). */
    private static double[] orthonormal(DicomHeader h, double[] iop) throws ImageFormatException {
        double[] row = normalize(h, new double[] {iop[0], iop[1], iop[2]});
        double[] col = {iop[3], iop[4], iop[5]};
        double dot = row[0] * col[0] + row[1] * col[1] + row[2] * col[2];
        if (Math.abs(dot) > 0.01) {
            throw new ImageFormatException(h.file, "Image Orientation (Patient) row and column directions are not perpendicular");
        }
        for (int i = 0; i < 3; i++) {
            col[i] -= dot * row[i];
        }
        col = normalize(h, col);
        return new double[] {row[0], row[1], row[2], col[0], col[1], col[2]};
    }

    private static double[] normalize(DicomHeader h, double[] v) throws ImageFormatException {
        double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        if (Math.abs(n - 1) > 0.01) {
            throw new ImageFormatException(h.file, "Image Orientation (Patient) holds a direction of length " + n + ", not 1");
        }
        return new double[] {v[0] / n, v[1] / n, v[2] / n};
    }

    Plane at(double[] newPosition) {
        return new Plane(header, frame, newPosition, orientation, pixelSpacing, thickness, slope, intercept);
    }

    Plane unlocated() {
        return new Plane(header, frame, null, null, pixelSpacing, thickness, slope, intercept);
    }

    double[] normal() {
        double[] o = orientation;
        return new double[] {o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]};
    }

    double along(double[] normal) {
        return position[0] * normal[0] + position[1] * normal[1] + position[2] * normal[2];
    }
}
