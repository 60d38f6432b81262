package org.medsynth.eval;

/**
 * Windowed means of x, y, x², y² and xy at every position where the whole window lies inside the image ('valid'
 * filtering) — the statistics behind SSIM and MS-SSIM. These are exactly the positions scikit-image averages SSIM
 * over (it filters with reflect padding, then crops half a window), so no boundary rule is needed.
 * <p>
 * The window is separable: one pass per axis. The first pass reads x and y along contiguous lines and forms the
 * products on the fly; later passes combine whole rows of the previous pass (contiguous, so the inner loops
 * vectorise). Uniform windows use running sums, restarted every {@link #ROWS_PER_BLOCK} rows on the later axes so
 * rounding cannot build up; Gaussian windows use the precomputed taps. Two sets of five buffers are reused from pass
 * to pass. Every pass runs in parallel over lines or row blocks; each output value is computed the same way whatever
 * the thread count, and the means are summed in fixed chunks, so results do not depend on the machine.
 */
final class LocalMoments {
    private static final int CHANNELS = 5;
    private static final int ROWS_PER_BLOCK = 32;
    private static final int SUM_CHUNK = 1 << 14;

    private final double[][] moments;
    private final int size;

    private LocalMoments(double[][] moments, int size) {
        this.moments = moments;
        this.size = size;
    }

    /**
     * @param kernel normalised taps of the window along each axis (odd length, at most every side)
     * @param uniform whether all taps are equal, so that running sums can replace the dot products
     */
    static LocalMoments of(double[] x, double[] y, int[] dims, double[] kernel, boolean uniform) {
        int[] current = dims.clone();
        int lines = x.length / dims[0];
        current[0] = dims[0] - kernel.length + 1;
        double[][] out = new double[CHANNELS][lines * current[0]];
        firstAxis(x, y, dims[0], lines, kernel, uniform, out);
        int size = out[0].length;
        double[][] spare = null;
        for (int axis = 1; axis < dims.length; axis++) {
            int stride = 1;
            for (int a = 0; a < axis; a++) {
                stride *= current[a];
            }
            int outer = size / (stride * current[axis]);
            int validLength = current[axis] - kernel.length + 1;
            int outSize = outer * validLength * stride;
            if (spare == null) {
                spare = new double[CHANNELS][outSize];
            }
            laterAxis(out, spare, stride, current[axis], outer, kernel, uniform);
            double[][] swap = out;
            out = spare;
            spare = swap;
            current[axis] = validLength;
            size = outSize;
        }
        return new LocalMoments(out, size);
    }

    private static void firstAxis(double[] x, double[] y, int length, int lines, double[] kernel, boolean uniform,
            double[][] out) {
        int validLength = length - kernel.length + 1;
        int tasks = Parallel.tasksFor(lines);
        Parallel.run(tasks, (long) x.length * CHANNELS, task -> {
            double[] xx = new double[length];
            double[] yy = new double[length];
            double[] xy = new double[length];
            for (int line = lines * task / tasks; line < lines * (task + 1) / tasks; line++) {
                int in = line * length;
                for (int i = 0; i < length; i++) {
                    double a = x[in + i];
                    double b = y[in + i];
                    xx[i] = a * a;
                    yy[i] = b * b;
                    xy[i] = a * b;
                }
                int o = line * validLength;
                filterLine(x, in, out[0], o, validLength, kernel, uniform);
                filterLine(y, in, out[1], o, validLength, kernel, uniform);
                filterLine(xx, 0, out[2], o, validLength, kernel, uniform);
                filterLine(yy, 0, out[3], o, validLength, kernel, uniform);
                filterLine(xy, 0, out[4], o, validLength, kernel, uniform);
            }
        });
    }

    private static void filterLine(double[] in, int from, double[] out, int to, int count, double[] kernel,
            boolean uniform) {
        int taps = kernel.length;
        if (uniform) {
            double scale = kernel[0];
            double sum = 0;
            for (int k = 0; k < taps; k++) {
                sum += in[from + k];
            }
            out[to] = sum * scale;
            for (int i = 1; i < count; i++) {
                sum += in[from + i + taps - 1] - in[from + i - 1];
                out[to + i] = sum * scale;
            }
            return;
        }
        for (int i = 0; i < count; i++) {
            double sum = 0;
            for (int k = 0; k < taps; k++) {
                sum += kernel[k] * in[from + i + k];
            }
            out[to + i] = sum;
        }
    }

    /**
     * Filters along an axis whose elements are {@code stride} apart: the data is outer × length rows of stride
     * contiguous values, and each output row combines {@code taps} input rows.
     */
    private static void laterAxis(double[][] in, double[][] out, int stride, int length, int outer, double[] kernel,
            boolean uniform) {
        int taps = kernel.length;
        int validLength = length - taps + 1;
        int blocksPerOuter = (validLength + ROWS_PER_BLOCK - 1) / ROWS_PER_BLOCK;
        int blocks = outer * blocksPerOuter;
        int tasks = Parallel.tasksFor(blocks);
        Parallel.run(tasks, (long) outer * length * stride * CHANNELS, task -> {
            for (int block = blocks * task / tasks; block < blocks * (task + 1) / tasks; block++) {
                int o = block / blocksPerOuter;
                int firstRow = (block % blocksPerOuter) * ROWS_PER_BLOCK;
                int endRow = Math.min(validLength, firstRow + ROWS_PER_BLOCK);
                for (int c = 0; c < CHANNELS; c++) {
                    int inRows = o * length;
                    int outRows = o * validLength;
                    if (uniform) {
                        runningRows(in[c], out[c], inRows, outRows, firstRow, endRow, stride, taps, kernel[0]);
                    } else {
                        weightedRows(in[c], out[c], inRows, outRows, firstRow, endRow, stride, kernel);
                    }
                }
            }
        });
    }

    private static void runningRows(double[] in, double[] out, int inRows, int outRows, int firstRow, int endRow,
            int stride, int taps, double scale) {
        int first = (outRows + firstRow) * stride;
        System.arraycopy(in, (inRows + firstRow) * stride, out, first, stride);
        for (int k = 1; k < taps; k++) {
            int src = (inRows + firstRow + k) * stride;
            for (int t = 0; t < stride; t++) {
                out[first + t] += in[src + t];
            }
        }
        // out holds the running sum of the block's first row until it is scaled, after the next row has used it
        for (int row = firstRow + 1; row < endRow; row++) {
            int previous = (outRows + row - 1) * stride;
            int dst = previous + stride;
            int enter = (inRows + row + taps - 1) * stride;
            int leave = (inRows + row - 1) * stride;
            for (int t = 0; t < stride; t++) {
                out[dst + t] = out[previous + t] + (in[enter + t] - in[leave + t]);
                out[previous + t] *= scale;
            }
        }
        int last = (outRows + endRow - 1) * stride;
        for (int t = 0; t < stride; t++) {
            out[last + t] *= scale;
        }
    }

    private static void weightedRows(double[] in, double[] out, int inRows, int outRows, int firstRow, int endRow,
            int stride, double[] kernel) {
        for (int row = firstRow; row < endRow; row++) {
            int dst = (outRows + row) * stride;
            int src = (inRows + row) * stride;
            double w0 = kernel[0];
            for (int t = 0; t < stride; t++) {
                out[dst + t] = w0 * in[src + t];
            }
            for (int k = 1; k < kernel.length; k++) {
                double w = kernel[k];
                int s = src + k * stride;
                for (int t = 0; t < stride; t++) {
                    out[dst + t] += w * in[s + t];
                }
            }
        }
    }

    /**
     * Means over all window positions of the SSIM map and of its contrast-structure factor:
     * SSIM = (2μxμy + C1)(2σxy + C2) / ((μx² + μy² + C1)(σx² + σy² + C2)) with cs the second factor of each,
     * written as scikit-image writes it so the rounding matches.
     *
     * @param covarianceScale n/(n−1) for sample covariances over n window pixels, 1 for population ones
     * @return {mean SSIM, mean cs}
     */
    double[] meanSsimAndContrastStructure(double c1, double c2, double covarianceScale) {
        double[] mx = moments[0];
        double[] my = moments[1];
        double[] mxx = moments[2];
        double[] myy = moments[3];
        double[] mxy = moments[4];
        int chunks = (size + SUM_CHUNK - 1) / SUM_CHUNK;
        double[] ssimSums = new double[chunks];
        double[] csSums = new double[chunks];
        int tasks = Parallel.tasksFor(chunks);
        Parallel.run(tasks, (long) size * CHANNELS, task -> {
            for (int chunk = chunks * task / tasks; chunk < chunks * (task + 1) / tasks; chunk++) {
                double ssim = 0;
                double cs = 0;
                for (int i = chunk * SUM_CHUNK; i < Math.min(size, (chunk + 1) * SUM_CHUNK); i++) {
                    double ux = mx[i];
                    double uy = my[i];
                    double vx = covarianceScale * (mxx[i] - ux * ux);
                    double vy = covarianceScale * (myy[i] - uy * uy);
                    double vxy = covarianceScale * (mxy[i] - ux * uy);
                    double a1 = 2 * ux * uy + c1;
                    double a2 = 2 * vxy + c2;
                    double b1 = ux * ux + uy * uy + c1;
                    double b2 = vx + vy + c2;
                    ssim += a1 * a2 / (b1 * b2);
                    cs += a2 / b2;
                }
                ssimSums[chunk] = ssim;
                csSums[chunk] = cs;
            }
        });
        double ssim = 0;
        double cs = 0;
        for (int chunk = 0; chunk < chunks; chunk++) {
            ssim += ssimSums[chunk];
            cs += csSums[chunk];
        }
        return new double[] {ssim / size, cs / size};
    }
}
