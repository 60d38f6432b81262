package org.medsynth.physics;

import java.util.Arrays;

/**
 * Stain separation of brightfield RGB histology by Beer–Lambert colour deconvolution. RGB images are interleaved
 * {@code rgb[3·p + channel]} with values in [0, 255].
 */
public final class StainSeparation {

    /**
     * Ruifrok and Johnston's haematoxylin / eosin / DAB optical-density vectors (rows), the convention of
     * scikit-image's {@code rgb2hed}.
     */
    private static final double[][] RGB_FROM_HED = {{0.65, 0.70, 0.29}, {0.07, 0.99, 0.11}, {0.27, 0.57, 0.78}};
    /** Macenko's reference H&E stain vectors (columns H, E) and 99th-percentile concentrations. */
    private static final double[][] REFERENCE_STAINS = {{0.5626, 0.2159}, {0.7201, 0.8012}, {0.4062, 0.5581}};
    private static final double[] REFERENCE_MAX_CONCENTRATION = {1.9705, 1.0308};
    private static final double BACKGROUND = 240;
    /** Tissue pixels the Vahadane dictionary is learnt on; more add time, not accuracy. */
    private static final int VAHADANE_MAX_PIXELS = 100_000;
    private static final int VAHADANE_ITERATIONS = 500;

    private StainSeparation() {
    }

    /**
     * HED concentrations as scikit-image's {@code rgb2hed}: rgb scaled to [0, 1] and floored at 10⁻⁶, optical
     * density log(rgb)/log(10⁻⁶), times the inverse of the stain matrix, negatives clipped to 0. Interleaved H, E, D.
     */
    public static float[] rgbToHed(float[] rgb) {
        checkRgb(rgb);
        double[][] hedFromRgb = invert3(RGB_FROM_HED);
        double logAdjust = Math.log(1e-6);
        float[] out = new float[rgb.length];
        for (int p = 0; p < rgb.length / 3; p++) {
            double[] od = new double[3];
            for (int c = 0; c < 3; c++) {
                od[c] = Math.log(Math.max(rgb[3 * p + c] / 255.0, 1e-6)) / logAdjust;
            }
            for (int s = 0; s < 3; s++) {
                double v = 0;
                for (int c = 0; c < 3; c++) {
                    v += od[c] * hedFromRgb[c][s];
                }
                out[3 * p + s] = (float) Math.max(0, v);
            }
        }
        return out;
    }

    /** Stain vectors (columns H, E, unit optical-density directions) and per-pixel concentrations. */
    public record Separation(double[][] stains, float[] concentrations) {
    }

    /**
     * Macenko et al. (2009): optical densities of tissue pixels (OD > {@code odThreshold} in every channel), their
     * plane of the two largest principal directions, and the extreme angles in that plane at the {@code alpha} and
     * 100 − {@code alpha} percentiles give the two stain vectors; concentrations by least squares.
     */
    public static Separation macenko(float[] rgb, double odThreshold, double alphaPercent) {
        checkRgb(rgb);
        double[] od = opticalDensity(rgb);
        int[] tissue = tissuePixels(od, odThreshold);
        double[][] cov = new double[3][3];
        double[] mean = new double[3];
        for (int p : tissue) {
            for (int i = 0; i < 3; i++) {
                mean[i] += od[3 * p + i];
                for (int j = 0; j < 3; j++) {
                    cov[i][j] += od[3 * p + i] * od[3 * p + j];
                }
            }
        }
        int count = tissue.length;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                cov[i][j] = cov[i][j] / count - mean[i] * mean[j] / ((double) count * count);
            }
        }
        double[][] vectors = eigenvectorsDescending(cov);
        double[] e1 = vectors[0];
        double[] e2 = vectors[1];
        double[] angles = new double[count];
        for (int t = 0; t < count; t++) {
            angles[t] = Math.atan2(dot(od, 3 * tissue[t], e2), dot(od, 3 * tissue[t], e1));
        }
        Arrays.sort(angles);
        double low = percentile(angles, alphaPercent);
        double high = percentile(angles, 100 - alphaPercent);
        double[] v1 = unit(e1, e2, low);
        double[] v2 = unit(e1, e2, high);
        // haematoxylin is the vector with more red optical density
        double[][] stains = v1[0] > v2[0] ? columns(v1, v2) : columns(v2, v1);
        return new Separation(stains, concentrations(od, stains));
    }

    /**
     * Macenko normalisation: separates the stains, rescales each concentration so its 99th percentile matches the
     * reference, and recomposes with the reference H&E vectors. Returns RGB in [0, 255].
     */
    public static float[] normaliseMacenko(float[] rgb) {
        return recompose(macenko(rgb, 0.15, 1).concentrations(), REFERENCE_STAINS, REFERENCE_MAX_CONCENTRATION);
    }

    /**
     * Vahadane et al. (2016) sparse non-negative matrix factorisation of the optical densities V (3 × tissue pixels,
     * OD > {@code odThreshold} in every channel, at most {@value #VAHADANE_MAX_PIXELS} of them, evenly picked):
     * min ½‖V − WH‖² + λ‖H‖₁ over W, H ≥ 0 with unit stain columns of W. It alternates the exact non-negative lasso
     * of every pixel's two concentrations with block-coordinate updates of the stain columns (Mairal et al.'s
     * dictionary update), starting from Macenko's vectors, until no stain component moves by more than 10⁻⁹
     * (at most {@value #VAHADANE_ITERATIONS} rounds). Concentrations of all pixels are the same sparse
     * decomposition on the learnt stains with λ/10, so the L1 shrinkage barely biases them (the split of StainTools'
     * implementation: 0.1 to learn, 0.01 to decompose). The paper's λ is 0.1.
     */
    public static Separation vahadane(float[] rgb, double odThreshold, double lambda) {
        checkRgb(rgb);
        if (!(lambda >= 0)) {
            throw new IllegalArgumentException("sparsity weight λ must be ≥ 0, got " + lambda);
        }
        double[] od = opticalDensity(rgb);
        int[] tissue = tissuePixels(od, odThreshold);
        int step = (tissue.length + VAHADANE_MAX_PIXELS - 1) / VAHADANE_MAX_PIXELS;
        double[] v = new double[3 * ((tissue.length + step - 1) / step)];
        for (int t = 0, i = 0; t < tissue.length; t += step, i++) {
            System.arraycopy(od, 3 * tissue[t], v, 3 * i, 3);
        }
        double[][] w = macenko(rgb, odThreshold, 1).stains();
        double[] h = new double[2 * (v.length / 3)];
        for (int iteration = 0; iteration < VAHADANE_ITERATIONS; iteration++) {
            sparseConcentrations(v, w, lambda, h);
            // A = H Hᵀ, B = V Hᵀ: all the dictionary update needs
            double[][] a = new double[2][2];
            double[][] b = new double[3][2];
            for (int p = 0; p < h.length / 2; p++) {
                for (int k = 0; k < 2; k++) {
                    for (int l = 0; l < 2; l++) {
                        a[k][l] += h[2 * p + k] * h[2 * p + l];
                    }
                    for (int ch = 0; ch < 3; ch++) {
                        b[ch][k] += v[3 * p + ch] * h[2 * p + k];
                    }
                }
            }
            double moved = 0;
            for (int k = 0; k < 2; k++) {
                if (a[k][k] == 0) {
                    // a stain no pixel uses keeps its direction
                    continue;
                }
                double[] u = new double[3];
                double norm = 0;
                for (int ch = 0; ch < 3; ch++) {
                    double wa = w[ch][0] * a[0][k] + w[ch][1] * a[1][k];
                    u[ch] = Math.max(0, w[ch][k] + (b[ch][k] - wa) / a[k][k]);
                    norm += u[ch] * u[ch];
                }
                norm = Math.sqrt(norm);
                for (int ch = 0; ch < 3 && norm > 0; ch++) {
                    moved = Math.max(moved, Math.abs(u[ch] / norm - w[ch][k]));
                    w[ch][k] = u[ch] / norm;
                }
            }
            if (moved < 1e-9) {
                break;
            }
        }
        // haematoxylin is the vector with more red optical density
        double[][] stains = w[0][0] >= w[0][1] ? w : new double[][] {{w[0][1], w[0][0]}, {w[1][1], w[1][0]},
            {w[2][1], w[2][0]}};
        double[] all = new double[2 * (od.length / 3)];
        sparseConcentrations(od, stains, lambda / 10, all);
        float[] c = new float[all.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) all[i];
        }
        return new Separation(stains, c);
    }

    /**
     * Vahadane normalisation of {@code rgb} to the stains of {@code targetRgb}: both are separated with
     * {@link #vahadane} (OD threshold 0.15, λ = 0.1), each source concentration is rescaled so its 99th percentile
     * matches the target's, and the image is recomposed with the target's stain vectors. Returns RGB in [0, 255].
     */
    public static float[] normaliseVahadane(float[] rgb, float[] targetRgb) {
        Separation target = vahadane(targetRgb, 0.15, 0.1);
        float[] c = target.concentrations();
        double[] targetMax = new double[2];
        for (int s = 0; s < 2; s++) {
            targetMax[s] = percentile99(c, s);
        }
        return recompose(vahadane(rgb, 0.15, 0.1).concentrations(), target.stains(), targetMax);
    }

    /**
     * RGB from concentrations rescaled so each stain's 99th percentile is {@code targetMax}, recomposed with
     * {@code stains} (columns H, E) under Beer–Lambert.
     */
    private static float[] recompose(float[] c, double[][] stains, double[] targetMax) {
        int pixels = c.length / 2;
        double[] scale = new double[2];
        for (int s = 0; s < 2; s++) {
            double max = percentile99(c, s);
            scale[s] = max > 0 ? targetMax[s] / max : 0;
        }
        float[] out = new float[3 * pixels];
        for (int p = 0; p < pixels; p++) {
            for (int ch = 0; ch < 3; ch++) {
                double odValue = stains[ch][0] * c[2 * p] * scale[0] + stains[ch][1] * c[2 * p + 1] * scale[1];
                out[3 * p + ch] = (float) Math.min(255, BACKGROUND * Math.exp(-odValue));
            }
        }
        return out;
    }

    /** 99th percentile of stain {@code s} of interleaved two-stain concentrations. */
    private static double percentile99(float[] c, int s) {
        double[] values = new double[c.length / 2];
        for (int p = 0; p < values.length; p++) {
            values[p] = c[2 * p + s];
        }
        Arrays.sort(values);
        return percentile(values, 99);
    }

    /**
     * For every pixel the exact minimiser of ½‖v − Wh‖² + λ(h₁ + h₂) over h ≥ 0: the best of the optima on the four
     * faces of the quadrant (both stains, H only, E only, none), which contain the convex problem's solution.
     */
    private static void sparseConcentrations(double[] od, double[][] w, double lambda, double[] h) {
        double g00 = 0;
        double g01 = 0;
        double g11 = 0;
        for (int ch = 0; ch < 3; ch++) {
            g00 += w[ch][0] * w[ch][0];
            g01 += w[ch][0] * w[ch][1];
            g11 += w[ch][1] * w[ch][1];
        }
        double det = g00 * g11 - g01 * g01;
        for (int p = 0; p < od.length / 3; p++) {
            double b0 = -lambda;
            double b1 = -lambda;
            for (int ch = 0; ch < 3; ch++) {
                b0 += w[ch][0] * od[3 * p + ch];
                b1 += w[ch][1] * od[3 * p + ch];
            }
            // objective up to a constant: ½hᵀGh − (b)ᵀh, with b = Wᵀv − λ
            double best = 0;
            double h0 = 0;
            double h1 = 0;
            if (det > 0) {
                double x0 = (g11 * b0 - g01 * b1) / det;
                double x1 = (g00 * b1 - g01 * b0) / det;
                if (x0 > 0 && x1 > 0) {
                    best = 0.5 * (g00 * x0 * x0 + 2 * g01 * x0 * x1 + g11 * x1 * x1) - b0 * x0 - b1 * x1;
                    h0 = x0;
                    h1 = x1;
                }
            }
            if (b0 > 0 && -0.5 * b0 * b0 / g00 < best) {
                best = -0.5 * b0 * b0 / g00;
                h0 = b0 / g00;
                h1 = 0;
            }
            if (b1 > 0 && -0.5 * b1 * b1 / g11 < best) {
                h0 = 0;
                h1 = b1 / g11;
            }
            h[2 * p] = h0;
            h[2 * p + 1] = h1;
        }
    }

    /** Indices of the pixels whose optical density exceeds {@code odThreshold} in every channel. */
    private static int[] tissuePixels(double[] od, double odThreshold) {
        int[] tissue = java.util.stream.IntStream.range(0, od.length / 3).filter(p -> od[3 * p] > odThreshold
                && od[3 * p + 1] > odThreshold && od[3 * p + 2] > odThreshold).toArray();
        if (tissue.length < 10) {
            throw new IllegalArgumentException("only " + tissue.length + " pixels are stained above optical density "
                    + odThreshold + "; stain separation needs tissue");
        }
        return tissue;
    }

    /** OD = −ln((I + 1)/I₀) with background I₀ = 240, interleaved. */
    static double[] opticalDensity(float[] rgb) {
        double[] od = new double[rgb.length];
        for (int i = 0; i < od.length; i++) {
            od[i] = -Math.log((rgb[i] + 1) / BACKGROUND);
        }
        return od;
    }

    /** Least-squares concentrations (normal equations of the 3 × 2 stain matrix), interleaved H, E. */
    static float[] concentrations(double[] od, double[][] stains) {
        double a = 0;
        double b = 0;
        double d = 0;
        for (int ch = 0; ch < 3; ch++) {
            a += stains[ch][0] * stains[ch][0];
            b += stains[ch][0] * stains[ch][1];
            d += stains[ch][1] * stains[ch][1];
        }
        double det = a * d - b * b;
        int pixels = od.length / 3;
        float[] c = new float[2 * pixels];
        for (int p = 0; p < pixels; p++) {
            double r0 = 0;
            double r1 = 0;
            for (int ch = 0; ch < 3; ch++) {
                r0 += stains[ch][0] * od[3 * p + ch];
                r1 += stains[ch][1] * od[3 * p + ch];
            }
            c[2 * p] = (float) ((d * r0 - b * r1) / det);
            c[2 * p + 1] = (float) ((a * r1 - b * r0) / det);
        }
        return c;
    }

    /** Eigenvectors of a symmetric 3 × 3 matrix by cyclic Jacobi rotations, largest eigenvalue first. */
    static double[][] eigenvectorsDescending(double[][] symmetric) {
        double[][] a = {symmetric[0].clone(), symmetric[1].clone(), symmetric[2].clone()};
        double[][] v = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        for (int sweep = 0; sweep < 50; sweep++) {
            double off = a[0][1] * a[0][1] + a[0][2] * a[0][2] + a[1][2] * a[1][2];
            if (off < 1e-30) {
                break;
            }
            for (int p = 0; p < 2; p++) {
                for (int q = p + 1; q < 3; q++) {
                    if (Math.abs(a[p][q]) < 1e-300) {
                        continue;
                    }
                    double theta = 0.5 * Math.atan2(2 * a[p][q], a[q][q] - a[p][p]);
                    double c = Math.cos(theta);
                    double s = Math.sin(theta);
                    for (int k = 0; k < 3; k++) {
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < 3; k++) {
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < 3; k++) {
                        double vkp = v[k][p];
                        double vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        Integer[] order = {0, 1, 2};
        Arrays.sort(order, (i, j) -> Double.compare(a[j][j], a[i][i]));
        double[][] out = new double[3][];
        for (int r = 0; r < 3; r++) {
            int col = order[r];
            out[r] = new double[] {v[0][col], v[1][col], v[2][col]};
        }
        return out;
    }

    private static double[] unit(double[] e1, double[] e2, double angle) {
        double[] u = new double[3];
        for (int i = 0; i < 3; i++) {
            u[i] = e1[i] * Math.cos(angle) + e2[i] * Math.sin(angle);
        }
        // optical densities are positive: orient the vector into the positive octant
        if (u[0] + u[1] + u[2] < 0) {
            for (int i = 0; i < 3; i++) {
                u[i] = -u[i];
            }
        }
        return u;
    }

    private static double[][] columns(double[] first, double[] second) {
        return new double[][] {{first[0], second[0]}, {first[1], second[1]}, {first[2], second[2]}};
    }

    private static double dot(double[] od, int offset, double[] e) {
        return od[offset] * e[0] + od[offset + 1] * e[1] + od[offset + 2] * e[2];
    }

    /** Linear-interpolated percentile of sorted values (NumPy's default). */
    static double percentile(double[] sorted, double percent) {
        double pos = percent / 100 * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        if (i >= sorted.length - 1) {
            return sorted[sorted.length - 1];
        }
        return sorted[i] + (pos - i) * (sorted[i + 1] - sorted[i]);
    }

    private static double[][] invert3(double[][] m) {
        double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
                - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
        double[][] inv = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                int r1 = (j + 1) % 3;
                int r2 = (j + 2) % 3;
                int c1 = (i + 1) % 3;
                int c2 = (i + 2) % 3;
                inv[i][j] = (m[r1][c1] * m[r2][c2] - m[r1][c2] * m[r2][c1]) / det;
            }
        }
        return inv;
    }

    private static void checkRgb(float[] rgb) {
        if (rgb.length == 0 || rgb.length % 3 != 0) {
            throw new IllegalArgumentException("interleaved RGB needs a multiple of 3 values, got " + rgb.length);
        }
    }
}
