package org.medsynth.physics;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Projects a volume onto a detector: line integrals (exact Siddon traversal or trilinear ray marching) and maximum
 * intensity projections. Detector rows are computed in parallel; every pixel depends only on its own ray, so the
 * result is identical for any number of threads. Images are row-major, {@code image[column + columns·row]}.
 */
public final class XRayProjector {

    /** How a ray is integrated through the voxels. */
    public enum Method {
        /** Exact intersection lengths of the ray with each voxel cube (Siddon 1985, Jacobs' incremental form). */
        SIDDON,
        /** Midpoint-rule samples of the trilinearly interpolated volume at a fixed step along the ray. */
        TRILINEAR
    }

    private XRayProjector() {
    }

    /**
     * Line integrals ∫ f dl (value × mm) over every detector pixel.
     *
     * @param stepMm sampling step for {@link Method#TRILINEAR}; ignored by {@link Method#SIDDON}
     */
    public static float[] lineIntegrals(Volume volume, ProjectionGeometry view, Method method, double stepMm) {
        if (method == Method.TRILINEAR && !(stepMm > 0)) {
            throw new IllegalArgumentException("trilinear ray marching needs a positive step, got " + stepMm + " mm");
        }
        return perPixel(view, ray -> method == Method.SIDDON ? siddon(volume, ray) : march(volume, ray, stepMm, false));
    }

    /** Maximum of the trilinearly interpolated volume along every ray (zero where a ray misses the volume). */
    public static float[] maximumIntensity(Volume volume, ProjectionGeometry view, double stepMm) {
        if (!(stepMm > 0)) {
            throw new IllegalArgumentException("maximum intensity projection needs a positive step, got " + stepMm);
        }
        return perPixel(view, ray -> march(volume, ray, stepMm, true));
    }

    /** {@link #lineIntegrals} for each view, in order. */
    public static List<float[]> lineIntegrals(Volume volume, List<ProjectionGeometry> views, Method method,
            double stepMm) {
        return views.stream().map(v -> lineIntegrals(volume, v, method, stepMm)).toList();
    }

    private interface RayFunction {
        double apply(double[] ray);
    }

    private static float[] perPixel(ProjectionGeometry view, RayFunction function) {
        int nu = view.columns();
        float[] image = new float[nu * view.rows()];
        IntStream.range(0, view.rows()).parallel().forEach(row -> {
            double[] ray = new double[6];
            for (int col = 0; col < nu; col++) {
                view.ray(col, row, ray);
                image[col + nu * row] = (float) function.apply(ray);
            }
        });
        return image;
    }

    /**
     * Clips the ray to the volume's bounding box: returns {tEnter, tExit}, or null when it misses. Cone rays are
     * segments t ∈ [0, 1]; parallel rays are whole lines.
     */
    static double[] clip(Volume v, double[] ray, boolean segment) {
        double lo = segment ? 0 : Double.NEGATIVE_INFINITY;
        double hi = segment ? 1 : Double.POSITIVE_INFINITY;
        int[] n = {v.nx(), v.ny(), v.nz()};
        double[] s = {v.sx(), v.sy(), v.sz()};
        for (int k = 0; k < 3; k++) {
            double half = 0.5 * n[k] * s[k];
            double o = ray[k];
            double d = ray[3 + k];
            if (d == 0) {
                if (o <= -half || o >= half) {
                    return null;
                }
                continue;
            }
            double t0 = (-half - o) / d;
            double t1 = (half - o) / d;
            lo = Math.max(lo, Math.min(t0, t1));
            hi = Math.min(hi, Math.max(t0, t1));
        }
        return lo < hi ? new double[] {lo, hi} : null;
    }

    private static boolean isSegment(double[] ray) {
        // cone rays are not normalised (they reach the detector at t = 1); parallel directions are unit vectors
        double len2 = ray[3] * ray[3] + ray[4] * ray[4] + ray[5] * ray[5];
        return Math.abs(len2 - 1) > 1e-9;
    }

    static double siddon(Volume v, double[] ray) {
        double[] span = clip(v, ray, isSegment(ray));
        if (span == null) {
            return 0;
        }
        double length = Math.sqrt(ray[3] * ray[3] + ray[4] * ray[4] + ray[5] * ray[5]);
        int[] n = {v.nx(), v.ny(), v.nz()};
        double[] s = {v.sx(), v.sy(), v.sz()};
        int[] index = new int[3];
        int[] stepIndex = new int[3];
        double[] next = new double[3];
        double[] delta = new double[3];
        // the first voxel: the one holding the entry point, found just inside the box to avoid boundary ambiguity
        double tIn = span[0] + 1e-9 * (span[1] - span[0]);
        for (int k = 0; k < 3; k++) {
            double start = -0.5 * n[k] * s[k];
            double d = ray[3 + k];
            double p = ray[k] + tIn * d;
            index[k] = Math.min(n[k] - 1, Math.max(0, (int) Math.floor((p - start) / s[k])));
            if (d > 0) {
                stepIndex[k] = 1;
                next[k] = (start + (index[k] + 1) * s[k] - ray[k]) / d;
                delta[k] = s[k] / d;
            } else if (d < 0) {
                stepIndex[k] = -1;
                next[k] = (start + index[k] * s[k] - ray[k]) / d;
                delta[k] = -s[k] / d;
            } else {
                next[k] = Double.POSITIVE_INFINITY;
                delta[k] = Double.POSITIVE_INFINITY;
            }
        }
        float[] data = v.data();
        int nx = n[0];
        int nxy = n[0] * n[1];
        double t = span[0];
        double sum = 0;
        while (t < span[1]) {
            int k = next[0] <= next[1] ? (next[0] <= next[2] ? 0 : 2) : (next[1] <= next[2] ? 1 : 2);
            double tNext = Math.min(next[k], span[1]);
            sum += data[index[0] + nx * index[1] + nxy * index[2]] * (tNext - t);
            t = tNext;
            index[k] += stepIndex[k];
            if (index[k] < 0 || index[k] >= n[k]) {
                break;
            }
            next[k] += delta[k];
        }
        return sum * length;
    }

    /** Midpoint-rule ray marching: the integral (or the maximum) of trilinear samples at ≈ {@code stepMm} spacing. */
    static double march(Volume v, double[] ray, double stepMm, boolean maximum) {
        double[] span = clip(v, ray, isSegment(ray));
        if (span == null) {
            return 0;
        }
        double length = Math.sqrt(ray[3] * ray[3] + ray[4] * ray[4] + ray[5] * ray[5]);
        double pathMm = (span[1] - span[0]) * length;
        int samples = Math.max(1, (int) Math.ceil(pathMm / stepMm));
        double dt = (span[1] - span[0]) / samples;
        double acc = maximum ? Double.NEGATIVE_INFINITY : 0;
        for (int i = 0; i < samples; i++) {
            double t = span[0] + (i + 0.5) * dt;
            double f = v.sample(ray[0] + t * ray[3], ray[1] + t * ray[4], ray[2] + t * ray[5]);
            acc = maximum ? Math.max(acc, f) : acc + f;
        }
        return maximum ? acc : acc * dt * length;
    }
}
