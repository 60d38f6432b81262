package org.medsynth.eval;

/**
 * Means of the SSIM map and of its contrast-structure factor over every position where the whole window lies inside
 * the image ('valid' filtering). These are exactly the positions scikit-image averages SSIM over (it filters with
 * reflect padding, then crops half a window), so no boundary rule is needed.
 * <p>
 * The window is separable, so the windowed means of x, y, x², y² and xy are built one axis at a time, last axis
 * first: the first pass reads x and y and forms the products on the fly; every pass on an axis other than x combines
 * whole rows of contiguous values, so its inner loops vectorise. The x axis comes last and is fused with the SSIM
 * formula and the sum, so the final moments are never stored. Uniform windows use running sums, restarted every
 * {@link #ROWS_PER_BLOCK} rows so rounding cannot build up; Gaussian windows use the precomputed taps. Two sets of
 * five buffers are reused between passes. Every pass runs in parallel over row blocks or lines; each value is
 * computed the same way whatever the thread count, and the sums are added in fixed chunks, so results do not depend
 * on the machine.
 */
final class LocalMoments {
    private static final int CHANNELS = 5;
    private static final int ROWS_PER_BLOCK = 32;
    private static final int LINES_PER_CHUNK = 16;

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
     * @param kernel normalised taps of the window along each axis (odd length, at most every side)
     * @param uniform whether all taps are equal, so that running sums can replace the dot products
     * @param withContrastStructure whether the mean cs is wanted too (it costs a division per position)
     * @return {mean SSIM, mean cs (NaN unless asked for)}
     */
    static double[] meanSsimAndContrastStructure(double[] x, double[] y, int[] dims, double[] kernel, boolean uniform,
            Stabilisers stabilisers, boolean withContrastStructure) {
        int taps = kernel.length;
        int[] current = dims.clone();
        double[][] moments;
        int size = x.length;
        if (dims.length == 1) {
            moments = new double[][] {x, y, new double[size], new double[size], new double[size]};
            for (int i = 0; i < size; i++) {
                moments[2][i] = x[i] * x[i];
                moments[3][i] = y[i] * y[i];
                moments[4][i] = x[i] * y[i];
            }
        } else {
            int last = dims.length - 1;
            int rowLength = size / dims[last];
            current[last] = dims[last] - taps + 1;
            size = rowLength * current[last];
            moments = new double[CHANNELS][size];
            alongRows(new double[][] {x, y}, moments, rowLength, dims[last], 1, kernel, uniform);
            double[][] spare = null;
            for (int axis = last - 1; axis >= 1; axis--) {
                rowLength = 1;
                for (int a = 0; a < axis; a++) {
                    rowLength *= current[a];
                }
                int outer = size / (rowLength * current[axis]);
                int valid = current[axis] - taps + 1;
                if (spare == null) {
                    spare = new double[CHANNELS][outer * valid * rowLength];
                }
                alongRows(moments, spare, rowLength, current[axis], outer, kernel, uniform);
                double[][] swap = moments;
                moments = spare;
                spare = swap;
                current[axis] = valid;
                size = outer * valid * rowLength;
            }
        }
        return alongXWithSsim(moments, size, dims[0], kernel, uniform, stabilisers, withContrastStructure);
    }

    /**
     * Filters along an axis whose elements are {@code rowLength} apart: the data is outer × length rows of
     * rowLength contiguous values, and each output row combines {@code taps} input rows. Given two inputs (x, y),
     * the five moments are formed on the fly; given five, each is filtered.
     */
    private static void alongRows(double[][] in, double[][] out, int rowLength, int length, int outer,
            double[] kernel, boolean uniform) {
        int taps = kernel.length;
        int valid = length - taps + 1;
        int blocksPerOuter = (valid + ROWS_PER_BLOCK - 1) / ROWS_PER_BLOCK;
        int blocks = outer * blocksPerOuter;
        int tasks = Parallel.tasksFor(blocks);
        Parallel.run(tasks, (long) outer * length * rowLength * CHANNELS, task -> {
            for (int block = blocks * task / tasks; block < blocks * (task + 1) / tasks; block++) {
                int o = block / blocksPerOuter;
                int firstRow = (block % blocksPerOuter) * ROWS_PER_BLOCK;
                int endRow = Math.min(valid, firstRow + ROWS_PER_BLOCK);
                for (int row = firstRow; row < endRow; row++) {
                    int dst = (o * valid + row) * rowLength;
                    int src = (o * length + row) * rowLength;
                    if (in.length == 2) {
                        productRow(in[0], in[1], out, dst, src, rowLength, row == firstRow, kernel, uniform);
                    } else {
                        for (int c = 0; c < CHANNELS; c++) {
                            filteredRow(in[c], out[c], dst, src, rowLength, row == firstRow, kernel, uniform);
                        }
                    }
                }
            }
        });
    }

    /**
     * One output row of one channel: the weighted sum of its input rows, or for a uniform window after the block's
     * first row, the previous output row plus the scaled difference of the row entering and the row leaving.
     */
    private static void filteredRow(double[] in, double[] out, int dst, int src, int n, boolean blockStart,
            double[] kernel, boolean uniform) {
        int taps = kernel.length;
        if (uniform && !blockStart) {
            double scale = kernel[0];
            int previous = dst - n;
            int enter = src + (taps - 1) * n;
            int leave = src - n;
            for (int t = 0; t < n; t++) {
                out[dst + t] = out[previous + t] + scale * (in[enter + t] - in[leave + t]);
            }
            return;
        }
        double w0 = kernel[0];
        for (int t = 0; t < n; t++) {
            out[dst + t] = w0 * in[src + t];
        }
        for (int k = 1; k < taps; k++) {
            double w = kernel[k];
            int row = src + k * n;
            for (int t = 0; t < n; t++) {
                out[dst + t] += w * in[row + t];
            }
        }
    }

    /** {@link #filteredRow} for all five moments at once, forming x², y² and xy from the input rows. */
    private static void productRow(double[] x, double[] y, double[][] out, int dst, int src, int n,
            boolean blockStart, double[] kernel, boolean uniform) {
        double[] mx = out[0];
        double[] my = out[1];
        double[] mxx = out[2];
        double[] myy = out[3];
        double[] mxy = out[4];
        int taps = kernel.length;
        if (uniform && !blockStart) {
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
        for (int k = 0; k < taps; k++) {
            double w = kernel[k];
            int row = src + k * n;
            for (int t = 0; t < n; t++) {
                double a = x[row + t];
                double b = y[row + t];
                double wa = w * a;
                double wb = w * b;
                if (k == 0) {
                    mx[dst + t] = wa;
                    my[dst + t] = wb;
                    mxx[dst + t] = wa * a;
                    myy[dst + t] = wb * b;
                    mxy[dst + t] = wa * b;
                } else {
                    mx[dst + t] += wa;
                    my[dst + t] += wb;
                    mxx[dst + t] += wa * a;
                    myy[dst + t] += wb * b;
                    mxy[dst + t] += wa * b;
                }
            }
        }
    }

    /**
     * The x-axis pass, fused with the SSIM formula: along each line, the five windowed means at every valid x
     * (running sums restarted every {@link #ROWS_PER_BLOCK} positions, or taps), then SSIM and cs, summed per chunk
     * of lines and the chunks added in order.
     */
    private static double[] alongXWithSsim(double[][] moments, int size, int length, double[] kernel, boolean uniform,
            Stabilisers stabilisers, boolean withContrastStructure) {
        double[] mx = moments[0];
        double[] my = moments[1];
        double[] mxx = moments[2];
        double[] myy = moments[3];
        double[] mxy = moments[4];
        int taps = kernel.length;
        double tap = kernel[0];
        int valid = length - taps + 1;
        int lines = size / length;
        int chunks = (lines + LINES_PER_CHUNK - 1) / LINES_PER_CHUNK;
        double[] ssimSums = new double[chunks];
        double[] csSums = new double[chunks];
        double c1 = stabilisers.c1();
        double c2 = stabilisers.c2();
        double scale = stabilisers.covarianceScale();
        int tasks = Parallel.tasksFor(chunks);
        Parallel.run(tasks, (long) size * CHANNELS, task -> {
            for (int chunk = chunks * task / tasks; chunk < chunks * (task + 1) / tasks; chunk++) {
                double ssimSum = 0;
                double csSum = 0;
                for (int line = chunk * LINES_PER_CHUNK; line < Math.min(lines, (chunk + 1) * LINES_PER_CHUNK); line++) {
                    double ux = 0;
                    double uy = 0;
                    double uxx = 0;
                    double uyy = 0;
                    double uxy = 0;
                    for (int i = 0; i < valid; i++) {
                        int at = line * length + i;
                        if (uniform && i % ROWS_PER_BLOCK != 0) {
                            int enter = at + taps - 1;
                            int leave = at - 1;
                            ux += tap * (mx[enter] - mx[leave]);
                            uy += tap * (my[enter] - my[leave]);
                            uxx += tap * (mxx[enter] - mxx[leave]);
                            uyy += tap * (myy[enter] - myy[leave]);
                            uxy += tap * (mxy[enter] - mxy[leave]);
                        } else {
                            ux = 0;
                            uy = 0;
                            uxx = 0;
                            uyy = 0;
                            uxy = 0;
                            for (int k = 0; k < taps; k++) {
                                double w = kernel[k];
                                ux += w * mx[at + k];
                                uy += w * my[at + k];
                                uxx += w * mxx[at + k];
                                uyy += w * myy[at + k];
                                uxy += w * mxy[at + k];
                            }
                        }
                        double vx = scale * (uxx - ux * ux);
                        double vy = scale * (uyy - uy * uy);
                        double vxy = scale * (uxy - ux * uy);
                        double a1 = 2 * ux * uy + c1;
                        double a2 = 2 * vxy + c2;
                        double b1 = ux * ux + uy * uy + c1;
                        double b2 = vx + vy + c2;
                        ssimSum += a1 * a2 / (b1 * b2);
                        if (withContrastStructure) {
                            csSum += a2 / b2;
                        }
                    }
                }
                ssimSums[chunk] = ssimSum;
                csSums[chunk] = csSum;
            }
        });
        double ssim = 0;
        double cs = 0;
        for (int chunk = 0; chunk < chunks; chunk++) {
            ssim += ssimSums[chunk];
            cs += csSums[chunk];
        }
        long positions = (long) lines * valid;
        return new double[] {ssim / positions, withContrastStructure ? cs / positions : Double.NaN};
    }
}
