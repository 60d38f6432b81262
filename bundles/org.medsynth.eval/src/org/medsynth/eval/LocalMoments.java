package org.medsynth.eval;

/**
 * Means of the SSIM map and of its contrast-structure factor over every position where the whole window lies inside
 * the image ('valid' filtering). These are exactly the positions scikit-image averages SSIM over (it filters with
 * reflect padding, then crops half a window), so no boundary rule is needed.
 * <p>
 * The window is separable, so the windowed means of x, y, x², y² and xy are built one axis at a time, last axis
 * first: the first pass reads x and y and forms the products on the fly; every pass on an axis other than x combines
 * whole rows of contiguous values, so its inner loops vectorise. The x axis comes last and is fused with the SSIM
 * formula line by line, so the final moments only ever fill one line's buffers. Passes along the other axes never
 * mix positions along the last axis, so the image is cut into bands of a few output rows (2D) or planes (3D) that go
 * through all passes independently: one parallel step per image, with each band's moments small enough to stay in
 * cache, in two buffers per task reused from band to band. Uniform windows use running sums, restarted at every
 * band and every {@link #RESTART} positions so rounding cannot build up; Gaussian windows use the precomputed taps.
 * Bands have a fixed size and their sums are added in order, so results do not depend on the thread count.
 */
final class LocalMoments {
    private static final int CHANNELS = 5;
    /** Positions after which a running sum is recomputed from the window. */
    private static final int RESTART = 32;
    /** Values per channel a band aims at: five channels in two buffers then fit a core's cache. */
    private static final int BAND_VALUES = 1 << 13;

    private LocalMoments() {
    }

    /** Constants of the SSIM formula. */
    record Stabilisers(double c1, double c2, double covarianceScale) {
    }

    /**
     * SSIM = (2μxμy + C1)(2σxy + C2) / ((μx² + μy² + C1)(σx² + σy² + C2)), cs its second factor, with
     * σ² = covarianceScale · (windowed mean of squares − squared mean) — written as scikit-image writes it so the
     * rounding matches.
     *
     * @param dims two or more dimensions, x first
     * @param kernel normalised taps of the window along each axis (odd length, at most every side)
     * @param uniform whether all taps are equal, so that running sums can replace the dot products
     * @param withContrastStructure whether the mean cs is wanted too (it costs a division per position)
     * @return {mean SSIM, mean cs (NaN unless asked for)}
     */
    static double[] meanSsimAndContrastStructure(double[] x, double[] y, int[] dims, double[] kernel, boolean uniform,
            Stabilisers stabilisers, boolean withContrastStructure) {
        int taps = kernel.length;
        int last = dims.length - 1;
        int rowLength = x.length / dims[last];
        int validRows = dims[last] - taps + 1;
        int bandRows = Math.clamp(BAND_VALUES / rowLength, 1, RESTART);
        int bands = (validRows + bandRows - 1) / bandRows;
        double[][] bandSums = new double[bands][];
        int tasks = Parallel.tasksFor(bands);
        Parallel.run(tasks, (long) x.length * CHANNELS, task -> {
            double[][] moments = new double[CHANNELS][bandRows * rowLength];
            double[][] spare = last > 1 ? new double[CHANNELS][bandRows * rowLength] : null;
            for (int band = bands * task / tasks; band < bands * (task + 1) / tasks; band++) {
                int firstRow = band * bandRows;
                int rows = Math.min(bandRows, validRows - firstRow);
                for (int r = 0; r < rows; r++) {
                    productRow(x, y, moments, r * rowLength, (firstRow + r) * rowLength, rowLength, r == 0, kernel,
                            uniform);
                }
                int[] current = dims.clone();
                current[last] = rows;
                int size = rows * rowLength;
                double[][] in = moments;
                double[][] out = spare;
                for (int axis = last - 1; axis >= 1; axis--) {
                    int stride = size / valuesFrom(current, axis);
                    int length = current[axis];
                    int valid = length - taps + 1;
                    int outer = size / (stride * length);
                    for (int o = 0; o < outer; o++) {
                        for (int row = 0; row < valid; row++) {
                            for (int c = 0; c < CHANNELS; c++) {
                                filteredRow(in[c], out[c], (o * valid + row) * stride, (o * length + row) * stride,
                                        stride, row % RESTART == 0, kernel, uniform);
                            }
                        }
                    }
                    double[][] swap = in;
                    in = out;
                    out = swap;
                    current[axis] = valid;
                    size = outer * valid * stride;
                }
                bandSums[band] = ssimSumsAlongX(in, size, dims[0], kernel, uniform, stabilisers, withContrastStructure);
            }
        });
        double ssim = 0;
        double cs = 0;
        for (double[] sums : bandSums) {
            ssim += sums[0];
            cs += sums[1];
        }
        long positions = 1;
        for (int d : dims) {
            positions *= d - taps + 1;
        }
        return new double[] {ssim / positions, withContrastStructure ? cs / positions : Double.NaN};
    }

    /** Product of the sides from {@code axis} on: the size divided by it is that axis's stride. */
    private static int valuesFrom(int[] dims, int axis) {
        int n = 1;
        for (int a = axis; a < dims.length; a++) {
            n *= dims[a];
        }
        return n;
    }

    /**
     * One output row of one channel: the weighted sum of its input rows, or for a uniform window not restarting,
     * the previous output row plus the scaled difference of the row entering and the row leaving the window.
     */
    private static void filteredRow(double[] in, double[] out, int dst, int src, int n, boolean restart,
            double[] kernel, boolean uniform) {
        int taps = kernel.length;
        if (uniform && !restart) {
            double scale = kernel[0];
            int previous = dst - n;
            int enter = src + (taps - 1) * n;
            int leave = src - n;
            for (int t = 0; t < n; t++) {
                out[dst + t] = out[previous + t] + scale * (in[enter + t] - in[leave + t]);
            }
            return;
        }
        // two taps per sweep halve the passes over the output row; an odd last tap pairs with a zero weight
        for (int k = 0; k < taps; k += 2) {
            double w = kernel[k];
            double v = k + 1 < taps ? kernel[k + 1] : 0;
            int row = src + k * n;
            int next = k + 1 < taps ? row + n : row;
            for (int t = 0; t < n; t++) {
                double sum = w * in[row + t] + v * in[next + t];
                out[dst + t] = k == 0 ? sum : out[dst + t] + sum;
            }
        }
    }

    /** {@link #filteredRow} for all five moments at once, forming x², y² and xy from the input rows. */
    private static void productRow(double[] x, double[] y, double[][] out, int dst, int src, int n,
            boolean restart, double[] kernel, boolean uniform) {
        double[] mx = out[0];
        double[] my = out[1];
        double[] mxx = out[2];
        double[] myy = out[3];
        double[] mxy = out[4];
        int taps = kernel.length;
        if (uniform && !restart) {
            double scale = kernel[0];
            int previous = dst - n;
            int enter = src + (taps - 1) * n;
            int leave = src - n;
            for (int t = 0; t < n; t++) {
                double xe = x[enter + t];
                double ye = y[enter + t];
                double xl = x[leave + t];
                double yl = y[leave + t];
                mx[dst + t] = mx[previous + t] + scale * (xe - xl);
                my[dst + t] = my[previous + t] + scale * (ye - yl);
                mxx[dst + t] = mxx[previous + t] + scale * (xe * xe - xl * xl);
                myy[dst + t] = myy[previous + t] + scale * (ye * ye - yl * yl);
                mxy[dst + t] = mxy[previous + t] + scale * (xe * ye - xl * yl);
            }
            return;
        }
        // two taps per sweep, as in filteredRow
        for (int k = 0; k < taps; k += 2) {
            double w = kernel[k];
            double v = k + 1 < taps ? kernel[k + 1] : 0;
            int row = src + k * n;
            int next = k + 1 < taps ? row + n : row;
            boolean first = k == 0;
            for (int t = 0; t < n; t++) {
                double a = x[row + t];
                double b = y[row + t];
                double c = x[next + t];
                double d = y[next + t];
                double wa = w * a;
                double wb = w * b;
                double vc = v * c;
                double vd = v * d;
                double sx = wa + vc;
                double sy = wb + vd;
                double sxx = wa * a + vc * c;
                double syy = wb * b + vd * d;
                double sxy = wa * b + vc * d;
                if (first) {
                    mx[dst + t] = sx;
                    my[dst + t] = sy;
                    mxx[dst + t] = sxx;
                    myy[dst + t] = syy;
                    mxy[dst + t] = sxy;
                } else {
                    mx[dst + t] += sx;
                    my[dst + t] += sy;
                    mxx[dst + t] += sxx;
                    myy[dst + t] += syy;
                    mxy[dst + t] += sxy;
                }
            }
        }
    }

    /**
     * The x-axis pass, fused with the SSIM formula: line by line, the five windowed means at every valid x go into
     * short line buffers (running sums restarted every {@link #RESTART} positions, or the taps applied as whole-line
     * multiply-adds, which vectorise), then SSIM and cs are summed from them.
     *
     * @return {sum of SSIM, sum of cs (0 unless asked for)}
     */
    private static double[] ssimSumsAlongX(double[][] moments, int size, int length, double[] kernel, boolean uniform,
            Stabilisers stabilisers, boolean withContrastStructure) {
        int taps = kernel.length;
        int valid = length - taps + 1;
        double[][] means = new double[CHANNELS][valid];
        double[] ux = means[0];
        double[] uy = means[1];
        double[] uxx = means[2];
        double[] uyy = means[3];
        double[] uxy = means[4];
        double c1 = stabilisers.c1();
        double c2 = stabilisers.c2();
        double scale = stabilisers.covarianceScale();
        double ssimSum = 0;
        double csSum = 0;
        for (int start = 0; start < size; start += length) {
            if (uniform) {
                runningMeans(moments, start, means, taps, kernel[0]);
            } else {
                for (int c = 0; c < CHANNELS; c++) {
                    weightedMeans(moments[c], start, means[c], kernel);
                }
            }
            for (int i = 0; i < valid; i++) {
                double vx = scale * (uxx[i] - ux[i] * ux[i]);
                double vy = scale * (uyy[i] - uy[i] * uy[i]);
                double vxy = scale * (uxy[i] - ux[i] * uy[i]);
                double a1 = 2 * ux[i] * uy[i] + c1;
                double a2 = 2 * vxy + c2;
                double b1 = ux[i] * ux[i] + uy[i] * uy[i] + c1;
                double b2 = vx + vy + c2;
                ssimSum += a1 * a2 / (b1 * b2);
                if (withContrastStructure) {
                    csSum += a2 / b2;
                }
            }
        }
        return new double[] {ssimSum, csSum};
    }

    /** Running window means of the five moments along one line, interleaved so the five additions overlap. */
    private static void runningMeans(double[][] moments, int start, double[][] means, int taps, double tap) {
        double[] mx = moments[0];
        double[] my = moments[1];
        double[] mxx = moments[2];
        double[] myy = moments[3];
        double[] mxy = moments[4];
        double ux = 0;
        double uy = 0;
        double uxx = 0;
        double uyy = 0;
        double uxy = 0;
        for (int i = 0; i < means[0].length; i++) {
            int at = start + i;
            if (i % RESTART == 0) {
                ux = 0;
                uy = 0;
                uxx = 0;
                uyy = 0;
                uxy = 0;
                for (int k = 0; k < taps; k++) {
                    ux += mx[at + k];
                    uy += my[at + k];
                    uxx += mxx[at + k];
                    uyy += myy[at + k];
                    uxy += mxy[at + k];
                }
                ux *= tap;
                uy *= tap;
                uxx *= tap;
                uyy *= tap;
                uxy *= tap;
            } else {
                int enter = at + taps - 1;
                int leave = at - 1;
                ux += tap * (mx[enter] - mx[leave]);
                uy += tap * (my[enter] - my[leave]);
                uxx += tap * (mxx[enter] - mxx[leave]);
                uyy += tap * (myy[enter] - myy[leave]);
                uxy += tap * (mxy[enter] - mxy[leave]);
            }
            means[0][i] = ux;
            means[1][i] = uy;
            means[2][i] = uxx;
            means[3][i] = uyy;
            means[4][i] = uxy;
        }
    }

    /** Two taps per sweep, as in filteredRow. */
    private static void weightedMeans(double[] line, int start, double[] means, double[] kernel) {
        int taps = kernel.length;
        for (int k = 0; k < taps; k += 2) {
            double w = kernel[k];
            double v = k + 1 < taps ? kernel[k + 1] : 0;
            int from = start + k;
            int next = k + 1 < taps ? from + 1 : from;
            boolean first = k == 0;
            for (int i = 0; i < means.length; i++) {
                double sum = w * line[from + i] + v * line[next + i];
                means[i] = first ? sum : means[i] + sum;
            }
        }
    }
}
