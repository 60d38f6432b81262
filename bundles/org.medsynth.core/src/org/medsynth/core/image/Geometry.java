package org.medsynth.core.image;

import java.util.Arrays;

/**
 * Where the pixels are in the patient: spacing (mm), origin (mm, centre of the first pixel) and direction cosines,
 * in the DICOM patient coordinate system (LPS). {@code direction} is row-major n×n; its column {@code j} is the unit
 * vector of pixel axis {@code j}, as in ITK. Immutable.
 */
public final class Geometry {
    private static final double ORTHONORMAL_TOLERANCE = 1e-4;

    private final double[] spacing;
    private final double[] origin;
    private final double[] direction;

    public Geometry(double[] spacing, double[] origin, double[] direction) {
        int n = spacing.length;
        if (n < 2 || n > 3) {
            throw new IllegalArgumentException("geometry must be 2D or 3D, got " + n + " spatial axes");
        }
        if (origin.length != n || direction.length != n * n) {
            throw new IllegalArgumentException("geometry arrays disagree: spacing " + n + ", origin " + origin.length
                    + ", direction " + direction.length + " (expected " + n * n + ")");
        }
        for (double s : spacing) {
            if (!(s > 0) || !Double.isFinite(s)) {
                throw new IllegalArgumentException("spacing must be positive and finite: " + Arrays.toString(spacing));
            }
        }
        for (double o : origin) {
            if (!Double.isFinite(o)) {
                throw new IllegalArgumentException("origin must be finite: " + Arrays.toString(origin));
            }
        }
        checkOrthonormal(direction, n);
        this.spacing = spacing.clone();
        this.origin = origin.clone();
        this.direction = direction.clone();
    }

    /** Identity orientation, origin at zero. */
    public static Geometry isotropic(int dimensions, double spacingMm) {
        double[] s = new double[dimensions];
        Arrays.fill(s, spacingMm);
        return new Geometry(s, new double[dimensions], identity(dimensions));
    }

    public static Geometry of(double[] spacing) {
        return new Geometry(spacing, new double[spacing.length], identity(spacing.length));
    }

    public static double[] identity(int n) {
        double[] d = new double[n * n];
        for (int i = 0; i < n; i++) {
            d[i * n + i] = 1;
        }
        return d;
    }

    private static void checkOrthonormal(double[] d, int n) {
        for (int a = 0; a < n; a++) {
            for (int b = a; b < n; b++) {
                double dot = 0;
                for (int r = 0; r < n; r++) {
                    dot += d[r * n + a] * d[r * n + b];
                }
                double expected = a == b ? 1 : 0;
                if (Math.abs(dot - expected) > ORTHONORMAL_TOLERANCE) {
                    throw new IllegalArgumentException("direction cosines are not orthonormal: " + Arrays.toString(d));
                }
            }
        }
    }

    public int dimensions() {
        return spacing.length;
    }

    public double[] spacing() {
        return spacing.clone();
    }

    public double spacing(int axis) {
        return spacing[axis];
    }

    public double[] origin() {
        return origin.clone();
    }

    public double[] direction() {
        return direction.clone();
    }

    /** Physical LPS position (mm) of a continuous pixel index. */
    public double[] indexToPhysical(double[] index) {
        int n = dimensions();
        double[] p = origin.clone();
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                p[r] += direction[r * n + c] * spacing[c] * index[c];
            }
        }
        return p;
    }

    /** Continuous pixel index of a physical LPS position (mm); the inverse of {@link #indexToPhysical}. */
    public double[] physicalToIndex(double[] point) {
        int n = dimensions();
        double[] idx = new double[n];
        for (int c = 0; c < n; c++) {
            double dot = 0;
            for (int r = 0; r < n; r++) {
                dot += direction[r * n + c] * (point[r] - origin[r]);
            }
            idx[c] = dot / spacing[c];
        }
        return idx;
    }

    public Geometry withSpacing(double[] newSpacing) {
        return new Geometry(newSpacing, origin, direction);
    }

    public Geometry withOrigin(double[] newOrigin) {
        return new Geometry(spacing, newOrigin, direction);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Geometry g && Arrays.equals(spacing, g.spacing) && Arrays.equals(origin, g.origin)
                && Arrays.equals(direction, g.direction);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(spacing) + Arrays.hashCode(origin)) + Arrays.hashCode(direction);
    }

    @Override
    public String toString() {
        return "Geometry[spacing=" + Arrays.toString(spacing) + ", origin=" + Arrays.toString(origin) + ", direction="
                + Arrays.toString(direction) + "]";
    }
}
