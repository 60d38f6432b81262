package org.medsynth.eval;

import java.util.Arrays;

/**
 * Exact Euclidean distance transform on an anisotropic grid by the separable lower-envelope algorithm of
 * Felzenszwalb and Huttenlocher ("Distance Transforms of Sampled Functions", 2012): one linear pass per axis, O(n)
 * overall. Equivalent to scipy's {@code distance_transform_edt(~features, sampling=spacing)}.
 */
public final class DistanceTransform {
    private DistanceTransform() {
    }

    /**
     * Distance in mm from every voxel to the nearest feature voxel: 0 on features, +Infinity everywhere when there
     * is no feature.
     *
     * @param features feature voxels, x fastest
     * @param dims     grid size per axis, x first
     * @param spacing  voxel spacing in mm per axis, x first
     */
    public static double[] distanceToNearest(boolean[] features, int[] dims, double[] spacing) {
        double[] squared = new double[features.length];
        for (int i = 0; i < squared.length; i++) {
            squared[i] = features[i] ? 0 : Double.POSITIVE_INFINITY;
        }
        int[] stride = new int[dims.length];
        stride[0] = 1;
        for (int a = 1; a < dims.length; a++) {
            stride[a] = stride[a - 1] * dims[a - 1];
        }
        // slowest axis first: squared components are summed in scipy's order, (dz² + dy²) + dx², so rounding agrees
        for (int axis = dims.length - 1; axis >= 0; axis--) {
            transformAxis(squared, dims, stride, axis, spacing[axis]);
        }
        for (int i = 0; i < squared.length; i++) {
            squared[i] = Math.sqrt(squared[i]);
        }
        return squared;
    }

    private static void transformAxis(double[] squared, int[] dims, int[] stride, int axis, double spacing) {
        int n = dims[axis];
        int step = stride[axis];
        int lines = squared.length / n;
        double[] line = new double[n];
        double[] out = new double[n];
        int[] apex = new int[n];
        double[] boundary = new double[n + 1];
        for (int l = 0; l < lines; l++) {
            // the l-th line along this axis starts at the l-th index of the grid with this axis' coordinate removed
            int start = (l / step) * step * n + l % step;
            for (int i = 0; i < n; i++) {
                line[i] = squared[start + i * step];
            }
            lowerEnvelope(line, out, apex, boundary, spacing);
            for (int i = 0; i < n; i++) {
                squared[start + i * step] = out[i];
            }
        }
    }

    /**
     * out[q] = min over p of f[p] + (spacing·(q − p))². Infinite f[p] (no feature on the lower axes) hold no
     * parabola; a line of them stays infinite.
     */
    private static void lowerEnvelope(double[] f, double[] out, int[] apex, double[] boundary, double spacing) {
        int n = f.length;
        int k = -1;
        for (int q = 0; q < n; q++) {
            if (f[q] == Double.POSITIVE_INFINITY) {
                continue;
            }
            double s = Double.NEGATIVE_INFINITY;
            while (k >= 0) {
                s = intersection(f, apex[k], q, spacing);
                if (s > boundary[k]) {
                    break;
                }
                k--;
            }
            k++;
            apex[k] = q;
            boundary[k] = k == 0 ? Double.NEGATIVE_INFINITY : s;
            boundary[k + 1] = Double.POSITIVE_INFINITY;
        }
        if (k < 0) {
            Arrays.fill(out, Double.POSITIVE_INFINITY);
            return;
        }
        int j = 0;
        for (int q = 0; q < n; q++) {
            double position = spacing * q;
            while (boundary[j + 1] < position) {
                j++;
            }
            double d = spacing * (q - apex[j]);
            out[q] = f[apex[j]] + d * d;
        }
    }

    /** Position (mm along the line) where the parabolas rooted at p and q (p < q) meet. */
    private static double intersection(double[] f, int p, int q, double spacing) {
        double pm = spacing * p;
        double qm = spacing * q;
        return ((f[q] + qm * qm) - (f[p] + pm * pm)) / (2 * (qm - pm));
    }
}
