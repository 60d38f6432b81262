package org.medsynth.physics;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the rays of one radiograph run, in world mm (the volume centred on the origin, patient LPS axes).
 * A flat detector of {@code nu × nv} pixels of size {@code du × dv} is centred on {@code detectorCentre} with unit
 * axes {@code u} (columns) and {@code v} (rows, pointing down the image). A cone-beam view has all rays from
 * {@code source}; a parallel view has all rays along {@code direction}.
 */
public final class ProjectionGeometry {

    private final boolean cone;
    private final double[] source;
    private final double[] direction;
    private final double[] detectorCentre;
    private final double[] u;
    private final double[] v;
    private final int nu;
    private final int nv;
    private final double du;
    private final double dv;

    private ProjectionGeometry(boolean cone, double[] source, double[] direction, double[] detectorCentre, double[] u,
            double[] v, int nu, int nv, double du, double dv) {
        if (nu < 1 || nv < 1 || !(du > 0) || !(dv > 0)) {
            throw new IllegalArgumentException("detector needs positive size and spacing, got " + nu + "×" + nv
                    + " pixels of " + du + "×" + dv + " mm");
        }
        this.cone = cone;
        this.source = source;
        this.direction = direction;
        this.detectorCentre = detectorCentre;
        this.u = u;
        this.v = v;
        this.nu = nu;
        this.nv = nv;
        this.du = du;
        this.dv = dv;
    }

    /**
     * C-arm cone beam rotating about the patient's superior (z) axis. At gantry angle 0 the source is anterior
     * (−y) and the detector posterior, so the image is a PA-like view; positive angles turn the source towards the
     * patient's left (+x). Detector columns run along +x at angle 0, rows run inferior (−z).
     *
     * @param sourceToObjectMm distance from the source to the rotation centre (the volume centre)
     * @param sourceToDetectorMm distance from the source to the detector plane
     */
    public static ProjectionGeometry cArm(double sourceToObjectMm, double sourceToDetectorMm, int nu, int nv, double du,
            double dv, double gantryDegrees) {
        if (!(sourceToObjectMm > 0) || !(sourceToDetectorMm > sourceToObjectMm)) {
            throw new IllegalArgumentException("C-arm needs 0 < source–object (" + sourceToObjectMm
                    + " mm) < source–detector distance (" + sourceToDetectorMm + " mm)");
        }
        double[] d = beamDirection(gantryDegrees);
        double[] s = {-d[0] * sourceToObjectMm, -d[1] * sourceToObjectMm, 0};
        double[] c = {s[0] + d[0] * sourceToDetectorMm, s[1] + d[1] * sourceToDetectorMm, 0};
        return new ProjectionGeometry(true, s, null, c, columnAxis(gantryDegrees), ROW_AXIS, nu, nv, du, dv);
    }

    /** Parallel beam at the same gantry angle convention as {@link #cArm}, detector through the origin. */
    public static ProjectionGeometry parallel(int nu, int nv, double du, double dv, double gantryDegrees) {
        return new ProjectionGeometry(false, null, beamDirection(gantryDegrees), new double[3],
                columnAxis(gantryDegrees), ROW_AXIS, nu, nv, du, dv);
    }

    /**
     * Parallel beam along an arbitrary unit {@code direction}, detector axes {@code u}, {@code v} orthonormal to it
     * and each other.
     */
    public static ProjectionGeometry parallel(double[] direction, double[] u, double[] v, int nu, int nv, double du,
            double dv) {
        return new ProjectionGeometry(false, null, direction.clone(), new double[3], u.clone(), v.clone(), nu, nv, du,
                dv);
    }

    /** One view per gantry angle: {@code from}, {@code from + step}, … up to {@code to} inclusive. */
    public static List<ProjectionGeometry> cArmSweep(double sourceToObjectMm, double sourceToDetectorMm, int nu, int nv,
            double du, double dv, double fromDegrees, double toDegrees, double stepDegrees) {
        if (!(stepDegrees > 0) || toDegrees < fromDegrees) {
            throw new IllegalArgumentException("sweep needs from ≤ to and a positive step, got " + fromDegrees + "…"
                    + toDegrees + " every " + stepDegrees);
        }
        List<ProjectionGeometry> views = new ArrayList<>();
        int count = (int) Math.floor((toDegrees - fromDegrees) / stepDegrees + 1e-9) + 1;
        for (int k = 0; k < count; k++) {
            views.add(cArm(sourceToObjectMm, sourceToDetectorMm, nu, nv, du, dv, fromDegrees + k * stepDegrees));
        }
        return views;
    }

    /**
     * Gantry angles in degrees from a comma-separated list such as {@code -60,-30,0,30,60}.
     *
     * @throws IllegalArgumentException naming the entry that is not a finite number
     */
    public static double[] gantryAngles(String list) {
        String[] parts = list.split(",");
        double[] angles = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                angles[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("views must be gantry angles in degrees separated by commas, "
                        + "e.g. -60,-30,0,30,60; '" + parts[i].trim() + "' in '" + list + "' is not a number");
            }
            if (!Double.isFinite(angles[i])) {
                throw new IllegalArgumentException("gantry angle '" + parts[i].trim() + "' is not finite");
            }
        }
        return angles;
    }

    private static final double[] ROW_AXIS = {0, 0, -1};

    private static double[] beamDirection(double degrees) {
        double a = Math.toRadians(degrees);
        return new double[] {Math.sin(a), Math.cos(a), 0};
    }

    private static double[] columnAxis(double degrees) {
        double a = Math.toRadians(degrees);
        return new double[] {Math.cos(a), -Math.sin(a), 0};
    }

    public boolean isCone() {
        return cone;
    }

    public int columns() {
        return nu;
    }

    public int rows() {
        return nv;
    }

    /**
     * Writes the ray through detector pixel (column, row) as origin (mm) and direction into {@code ray[0..5]}. For a
     * cone beam the origin is the source and the direction reaches the pixel at parameter 1; for a parallel beam the
     * origin is the pixel and the direction is a unit vector (the ray is the whole line).
     */
    public void ray(int column, int row, double[] ray) {
        double a = (column - 0.5 * (nu - 1)) * du;
        double b = (row - 0.5 * (nv - 1)) * dv;
        for (int k = 0; k < 3; k++) {
            double p = detectorCentre[k] + a * u[k] + b * v[k];
            if (cone) {
                ray[k] = source[k];
                ray[3 + k] = p - source[k];
            } else {
                ray[k] = p;
                ray[3 + k] = direction[k];
            }
        }
    }
}
