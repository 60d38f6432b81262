package org.medsynth.physics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * Complex discrete Fourier transforms of any length on split real/imaginary arrays. A plan per length, cached, holds
 * the factorisation and every twiddle factor: lengths whose prime factors are all at most {@value #LARGEST_RADIX}
 * run as an iterative Stockham auto-sort FFT (radix-8, 4, 2, 3 and 5 butterflies written out, other small primes
 * by their DFT), contiguous passes with no bit reversal; other lengths by Bluestein's chirp-z on a power-of-two FFT.
 * The centred, orthonormal n-d forms (ifftshift → FFT → fftshift, scaled 1/√N) are the MRI encoding operator; they
 * are unitary, so the inverse is the adjoint. They transform the lines of each axis {@value #BLOCK} at a time as one
 * interleaved batch, chunks of lines in parallel, and skip lines that are all zero or that a sampling mask drops;
 * every line's arithmetic is the same whatever its batch, so results do not depend on the thread count.
 */
public final class Fft {

    /** Largest prime factor run as a Stockham radix; lengths with a larger one use Bluestein. */
    private static final int LARGEST_RADIX = 31;
    /**
     * Lines transformed together as one interleaved batch. Odd on purpose: with a power-of-two batch the inputs of a
     * butterfly lie a power of two apart and fall into the same few L1 cache sets (measured 2.8× slower at n = 512).
     */
    private static final int BLOCK = 15;

    private static final Map<Integer, Plan> PLANS = new ConcurrentHashMap<>();

    private Fft() {
    }

    /** In-place unnormalised DFT X[k] = Σ x[n] e^(∓2πikn/N) (minus sign forward, plus for {@code inverse}). */
    public static void transform(double[] re, double[] im, boolean inverse) {
        int n = re.length;
        if (im.length != n) {
            throw new IllegalArgumentException("real and imaginary parts differ in length: " + n + " vs " + im.length);
        }
        if (n <= 1) {
            return;
        }
        Plan plan = plan(n);
        plan.run(re, im, 1, inverse, plan.workspace(1));
    }

    private static Plan plan(int n) {
        return PLANS.computeIfAbsent(n, Plan::new);
    }

    /**
     * Centred orthonormal FFT over the last {@code dims.length} axes of a row-major array (last axis fastest),
     * in place. {@code dims} is the shape, e.g. {ny, nx} or {nz, ny, nx}; leading batch axes may precede it as long as
     * {@code re.length} is a multiple of the product. Lines that are all zero are skipped (they stay zero).
     */
    public static void centred(double[] re, double[] im, int[] dims, boolean inverse) {
        centred(re, im, dims, inverse, null);
    }

    /**
     * The centred orthonormal FFT followed by a sampling mask over {@code dims} (shared by the leading batch images):
     * points where {@code keep} is false come out 0. Lines along the last axis without a kept point are never
     * transformed, so a mask of whole lines (phase-encode rows, 3D readout lines) saves that share of the last pass.
     * {@code keep} null keeps everything.
     */
    public static void centred(double[] re, double[] im, int[] dims, boolean inverse, boolean[] keep) {
        long size = 1;
        for (int d : dims) {
            size *= d;
        }
        if (size == 0 || re.length % size != 0 || im.length != re.length) {
            throw new IllegalArgumentException("array of " + re.length + " values does not hold whole images of shape "
                    + java.util.Arrays.toString(dims));
        }
        if (keep != null && keep.length != size) {
            throw new IllegalArgumentException("mask has " + keep.length + " entries for images of shape "
                    + java.util.Arrays.toString(dims));
        }
        int last = dims[dims.length - 1];
        boolean[] keepLine = null;
        if (keep != null) {
            keepLine = new boolean[(int) (size / last)];
            for (int i = 0; i < keep.length; i++) {
                keepLine[i / last] |= keep[i];
            }
        }
        // without a mask the last axis goes first (zero lines of masked k-space are skipped at once); with one it
        // goes last, so that the lines the mask drops are never transformed; the axes commute
        double scale = 1 / Math.sqrt(size);
        int[] order = new int[dims.length];
        for (int a = 0; a < dims.length; a++) {
            order[a] = keep == null ? dims.length - 1 - a : a;
        }
        for (int a = 0; a < dims.length; a++) {
            int axis = order[a];
            int stride = 1;
            for (int b = axis + 1; b < dims.length; b++) {
                stride *= dims[b];
            }
            // the orthonormal scale rides on the final pass
            axis(re, im, dims[axis], stride, inverse, a == dims.length - 1 ? scale : 1,
                    axis == dims.length - 1 ? keepLine : null);
        }
        if (keep != null) {
            for (int image = 0; image < re.length; image += keep.length) {
                for (int i = 0; i < keep.length; i++) {
                    if (!keep[i]) {
                        re[image + i] = 0;
                        im[image + i] = 0;
                    }
                }
            }
        }
    }

    /**
     * Transforms every line of length {@code n} at element stride {@code stride}, {@value #BLOCK} lines at a time,
     * chunks of consecutive lines in parallel. A batch's lines are gathered interleaved (element k of line l at
     * k·lines + l) and transformed together; lines that are all zero are left out (their transform is zero), and so
     * are lines of the contiguous axis whose {@code keepLine} entry (per line of one image) is false, which are zeroed.
     */
    private static void axis(double[] re, double[] im, int n, int stride, boolean inverse, double scale,
            boolean[] keepLine) {
        Plan plan = plan(n);
        int total = re.length / n;
        int width = Math.min(BLOCK, total);
        // a few chunks per core, each allocating its buffers once; a line's result never depends on its batch
        int chunks = Math.min(total, 4 * Runtime.getRuntime().availableProcessors());
        IntStream.range(0, chunks).parallel().forEach(chunk -> {
            double[] batchRe = new double[width * n];
            double[] batchIm = new double[width * n];
            int[] bases = new int[width];
            double[][] work = plan.workspace(width);
            int lines = 0;
            int to = (int) ((long) (chunk + 1) * total / chunks);
            for (int line = (int) ((long) chunk * total / chunks); line < to; line++) {
                // line = outer·stride + inner; its element k is at outer·stride·n + inner + k·stride
                int base = (line / stride) * stride * n + line % stride;
                if (keepLine != null && !keepLine[line % keepLine.length]) {
                    java.util.Arrays.fill(re, base, base + n, 0);
                    java.util.Arrays.fill(im, base, base + n, 0);
                } else if (!isZero(re, im, base, n, stride)) {
                    bases[lines++] = base;
                }
                if (lines == width || (line == to - 1 && lines > 0)) {
                    gather(re, im, bases, lines, n, stride, batchRe, batchIm);
                    plan.run(batchRe, batchIm, lines, inverse, work);
                    scatter(batchRe, batchIm, re, im, bases, lines, n, stride, scale);
                    lines = 0;
                }
            }
        });
    }

    private static boolean isZero(double[] re, double[] im, int base, int n, int stride) {
        for (int k = 0, i = base; k < n; k++, i += stride) {
            if (re[i] != 0 || im[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Interleaves the lines starting at {@code bases} into a batch, ifftshifted (element k from (k + n/2) mod n).
     * Contiguous lines (stride 1) are read one after the other; strided lines a row of the batch at a time, one block
     * copy when they sit side by side.
     */
    private static void gather(double[] re, double[] im, int[] bases, int lines, int n, int stride, double[] batchRe,
            double[] batchIm) {
        int shift = n / 2;
        if (stride == 1) {
            for (int l = 0; l < lines; l++) {
                int base = bases[l];
                for (int k = 0, src = base + shift; k < n; k++, src++) {
                    if (k == n - shift) {
                        src = base;
                    }
                    batchRe[k * lines + l] = re[src];
                    batchIm[k * lines + l] = im[src];
                }
            }
            return;
        }
        boolean adjacent = bases[lines - 1] - bases[0] == lines - 1;
        for (int k = 0; k < n; k++) {
            int offset = (k + shift < n ? k + shift : k + shift - n) * stride;
            if (adjacent) {
                System.arraycopy(re, bases[0] + offset, batchRe, k * lines, lines);
                System.arraycopy(im, bases[0] + offset, batchIm, k * lines, lines);
            } else {
                for (int l = 0; l < lines; l++) {
                    batchRe[k * lines + l] = re[bases[l] + offset];
                    batchIm[k * lines + l] = im[bases[l] + offset];
                }
            }
        }
    }

    /** The inverse of {@link #gather} (fftshift on the way out), times {@code scale}. */
    private static void scatter(double[] batchRe, double[] batchIm, double[] re, double[] im, int[] bases, int lines,
            int n, int stride, double scale) {
        int shift = n / 2;
        if (stride == 1) {
            for (int l = 0; l < lines; l++) {
                int base = bases[l];
                for (int k = 0, dst = base + shift; k < n; k++, dst++) {
                    if (k == n - shift) {
                        dst = base;
                    }
                    re[dst] = batchRe[k * lines + l] * scale;
                    im[dst] = batchIm[k * lines + l] * scale;
                }
            }
            return;
        }
        boolean adjacent = bases[lines - 1] - bases[0] == lines - 1;
        for (int k = 0; k < n; k++) {
            int offset = (k + shift < n ? k + shift : k + shift - n) * stride;
            int from = k * lines;
            if (adjacent) {
                for (int l = 0, dst = bases[0] + offset; l < lines; l++, dst++) {
                    re[dst] = batchRe[from + l] * scale;
                    im[dst] = batchIm[from + l] * scale;
                }
            } else {
                for (int l = 0; l < lines; l++) {
                    re[bases[l] + offset] = batchRe[from + l] * scale;
                    im[bases[l] + offset] = batchIm[from + l] * scale;
                }
            }
        }
    }

    /** The factorisation and precomputed factors of one length; immutable, shared by all threads. */
    private static final class Plan {

        private final int n;
        /** Radices of the Stockham passes, or null when Bluestein runs this length. */
        private final int[] radices;
        /** Per pass: twiddles e^(−2πi·p·k/L) at [p·(r−1) + k − 1], L the pass's sub-length, p < L/r, 1 ≤ k < r. */
        private final double[][] twiddleRe;
        private final double[][] twiddleIm;
        /** Per radix r without a written-out butterfly (index r): e^(−2πim/r), m < r. */
        private final double[][] rootRe;
        private final double[][] rootIm;
        /** Bluestein: the chirp e^(−πik²/n), the transformed kernel, and the power-of-two plan it runs on. */
        private double[] chirpRe;
        private double[] chirpIm;
        private double[] kernelRe;
        private double[] kernelIm;
        private Plan inner;

        Plan(int n) {
            this.n = n;
            int[] factors = factor(n);
            // length 1 has no factors and no passes: the identity
            if (factors.length > 0 && factors[factors.length - 1] > LARGEST_RADIX) {
                radices = null;
                twiddleRe = null;
                twiddleIm = null;
                rootRe = null;
                rootIm = null;
                bluestein();
                return;
            }
            radices = radices(factors);
            twiddleRe = new double[radices.length][];
            twiddleIm = new double[radices.length][];
            rootRe = new double[LARGEST_RADIX + 1][];
            rootIm = new double[LARGEST_RADIX + 1][];
            int length = n;
            for (int pass = 0; pass < radices.length; pass++) {
                int r = radices[pass];
                int m = length / r;
                twiddleRe[pass] = new double[m * (r - 1)];
                twiddleIm[pass] = new double[m * (r - 1)];
                for (int p = 0; p < m; p++) {
                    for (int k = 1; k < r; k++) {
                        // p·k < length, so the angle is exact to the last bit of the product
                        double angle = -2 * Math.PI * p * k / length;
                        twiddleRe[pass][p * (r - 1) + k - 1] = Math.cos(angle);
                        twiddleIm[pass][p * (r - 1) + k - 1] = Math.sin(angle);
                    }
                }
                if (r > 5 && r != 8 && rootRe[r] == null) {
                    rootRe[r] = new double[r];
                    rootIm[r] = new double[r];
                    for (int k = 0; k < r; k++) {
                        rootRe[r][k] = Math.cos(-2 * Math.PI * k / r);
                        rootIm[r][k] = Math.sin(-2 * Math.PI * k / r);
                    }
                }
                length = m;
            }
        }

        /** Prime factors, ascending. */
        private static int[] factor(int n) {
            int[] out = new int[32];
            int count = 0;
            int rest = n;
            for (int p = 2; (long) p * p <= rest; p++) {
                while (rest % p == 0) {
                    out[count++] = p;
                    rest /= p;
                }
            }
            if (rest > 1) {
                out[count++] = rest;
            }
            return java.util.Arrays.copyOf(out, count);
        }

        /** Powers of two as radix-8 passes (one or two radix-4 or a radix-2 for the rest), then the odd primes. */
        private static int[] radices(int[] primes) {
            int twos = 0;
            while (twos < primes.length && primes[twos] == 2) {
                twos++;
            }
            int eights = twos / 3;
            int fours = 0;
            int pairs = 0;
            if (twos % 3 == 2) {
                fours = 1;
            } else if (twos % 3 == 1 && eights > 0) {
                // 8·2 as 4·4: two balanced passes instead of a radix-2 one
                eights--;
                fours = 2;
            } else if (twos % 3 == 1) {
                pairs = 1;
            }
            int[] out = new int[eights + fours + pairs + primes.length - twos];
            int i = 0;
            for (int f = 0; f < eights; f++) {
                out[i++] = 8;
            }
            for (int f = 0; f < fours; f++) {
                out[i++] = 4;
            }
            if (pairs == 1) {
                out[i++] = 2;
            }
            for (int f = twos; f < primes.length; f++) {
                out[i++] = primes[f];
            }
            return out;
        }

        private void bluestein() {
            int m = Integer.highestOneBit(2 * n - 1) << 1;
            // not through the cache: a plan must not be built inside another's computeIfAbsent
            inner = new Plan(m);
            chirpRe = new double[n];
            chirpIm = new double[n];
            for (int k = 0; k < n; k++) {
                // k² mod 2n keeps the chirp angle small and exact for large k
                long k2 = ((long) k * k) % (2L * n);
                double a = -Math.PI * k2 / n;
                chirpRe[k] = Math.cos(a);
                chirpIm[k] = Math.sin(a);
            }
            kernelRe = new double[m];
            kernelIm = new double[m];
            kernelRe[0] = chirpRe[0];
            kernelIm[0] = -chirpIm[0];
            for (int k = 1; k < n; k++) {
                kernelRe[k] = kernelRe[m - k] = chirpRe[k];
                kernelIm[k] = kernelIm[m - k] = -chirpIm[k];
            }
            inner.run(kernelRe, kernelIm, 1, false, inner.workspace(1));
        }

        /**
         * Scratch arrays one thread needs to run this plan on {@code batch} interleaved lines. Stockham: the
         * ping-pong buffer {re, im} and a generic radix's inputs; Bluestein: the padded sequences {re, im} followed
         * by the inner plan's own workspace.
         */
        double[][] workspace(int batch) {
            if (radices != null) {
                return new double[][] {new double[n * batch], new double[n * batch], new double[LARGEST_RADIX],
                    new double[LARGEST_RADIX]};
            }
            double[][] innerWork = inner.workspace(batch);
            double[][] out = new double[2 + innerWork.length][];
            out[0] = new double[kernelRe.length * batch];
            out[1] = new double[kernelRe.length * batch];
            System.arraycopy(innerWork, 0, out, 2, innerWork.length);
            return out;
        }

        /** Transforms {@code batch} interleaved lines in place: element k of line l at re/im[k·batch + l]. */
        void run(double[] re, double[] im, int batch, boolean inverse, double[][] work) {
            if (radices == null) {
                runBluestein(re, im, batch, inverse, work);
            } else {
                runStockham(re, im, batch, inverse, work);
            }
        }

        /**
         * Stockham decimation in frequency: a pass of radix r on sub-length L = r·m with stride s takes
         * a_j = x[q + s(p + jm)], j < r, and writes the r-point DFT of the a_j, times e^(∓2πipk/L), to
         * y[q + s(rp + k)]; after the last pass the spectrum is in natural order. Interleaved lines are one more
         * stride: the first pass starts at s = batch, and every inner loop over q runs along the lines.
         */
        private void runStockham(double[] re, double[] im, int batch, boolean inverse, double[][] work) {
            double sign = inverse ? -1 : 1;
            double[] xr = re;
            double[] xi = im;
            double[] yr = work[0];
            double[] yi = work[1];
            int s = batch;
            int length = n;
            for (int pass = 0; pass < radices.length; pass++) {
                int r = radices[pass];
                int m = length / r;
                double[] wr = twiddleRe[pass];
                double[] wi = twiddleIm[pass];
                switch (r) {
                    case 2 -> radix2(xr, xi, yr, yi, s, m, wr, wi, sign);
                    case 3 -> radix3(xr, xi, yr, yi, s, m, wr, wi, sign);
                    case 4 -> radix4(xr, xi, yr, yi, s, m, wr, wi, sign);
                    case 5 -> radix5(xr, xi, yr, yi, s, m, wr, wi, sign);
                    case 8 -> radix8(xr, xi, yr, yi, s, m, wr, wi, sign);
                    default -> radixGeneric(r, xr, xi, yr, yi, s, m, wr, wi, sign, work[2], work[3]);
                }
                // the output becomes the next input; the caller's array and the workspace alternate
                double[] tr = xr;
                double[] ti = xi;
                xr = yr;
                xi = yi;
                yr = tr;
                yi = ti;
                s *= r;
                length = m;
            }
            if (xr != re) {
                System.arraycopy(xr, 0, re, 0, n * batch);
                System.arraycopy(xi, 0, im, 0, n * batch);
            }
        }

        private static void radix2(double[] xr, double[] xi, double[] yr, double[] yi, int s, int m,
                double[] wr, double[] wi, double sign) {
            for (int p = 0; p < m; p++) {
                double w1r = wr[p];
                double w1i = sign * wi[p];
                int in0 = s * p;
                int in1 = in0 + s * m;
                int out0 = s * 2 * p;
                int out1 = out0 + s;
                for (int q = 0; q < s; q++) {
                    double ar = xr[in0 + q];
                    double ai = xi[in0 + q];
                    double br = xr[in1 + q];
                    double bi = xi[in1 + q];
                    yr[out0 + q] = ar + br;
                    yi[out0 + q] = ai + bi;
                    double dr = ar - br;
                    double di = ai - bi;
                    yr[out1 + q] = dr * w1r - di * w1i;
                    yi[out1 + q] = dr * w1i + di * w1r;
                }
            }
        }

        private static void radix3(double[] xr, double[] xi, double[] yr, double[] yi, int s, int m,
                double[] wr, double[] wi, double sign) {
            double sin = sign * Math.sqrt(0.75);
            for (int p = 0; p < m; p++) {
                double w1r = wr[2 * p];
                double w1i = sign * wi[2 * p];
                double w2r = wr[2 * p + 1];
                double w2i = sign * wi[2 * p + 1];
                int in0 = s * p;
                int in1 = in0 + s * m;
                int in2 = in1 + s * m;
                int out0 = s * 3 * p;
                for (int q = 0; q < s; q++) {
                    double a0r = xr[in0 + q];
                    double a0i = xi[in0 + q];
                    double tr = xr[in1 + q] + xr[in2 + q];
                    double ti = xi[in1 + q] + xi[in2 + q];
                    double dr = xr[in1 + q] - xr[in2 + q];
                    double di = xi[in1 + q] - xi[in2 + q];
                    yr[out0 + q] = a0r + tr;
                    yi[out0 + q] = a0i + ti;
                    double cr = a0r - 0.5 * tr;
                    double ci = a0i - 0.5 * ti;
                    // b1 = c − i·sin·d, b2 = c + i·sin·d
                    double b1r = cr + sin * di;
                    double b1i = ci - sin * dr;
                    double b2r = cr - sin * di;
                    double b2i = ci + sin * dr;
                    yr[out0 + s + q] = b1r * w1r - b1i * w1i;
                    yi[out0 + s + q] = b1r * w1i + b1i * w1r;
                    yr[out0 + 2 * s + q] = b2r * w2r - b2i * w2i;
                    yi[out0 + 2 * s + q] = b2r * w2i + b2i * w2r;
                }
            }
        }

        private static void radix4(double[] xr, double[] xi, double[] yr, double[] yi, int s, int m,
                double[] wr, double[] wi, double sign) {
            for (int p = 0; p < m; p++) {
                double w1r = wr[3 * p];
                double w1i = sign * wi[3 * p];
                double w2r = wr[3 * p + 1];
                double w2i = sign * wi[3 * p + 1];
                double w3r = wr[3 * p + 2];
                double w3i = sign * wi[3 * p + 2];
                int in0 = s * p;
                int in1 = in0 + s * m;
                int in2 = in1 + s * m;
                int in3 = in2 + s * m;
                int out0 = s * 4 * p;
                for (int q = 0; q < s; q++) {
                    double sr = xr[in0 + q] + xr[in2 + q];
                    double si = xi[in0 + q] + xi[in2 + q];
                    double dr = xr[in0 + q] - xr[in2 + q];
                    double di = xi[in0 + q] - xi[in2 + q];
                    double tr = xr[in1 + q] + xr[in3 + q];
                    double ti = xi[in1 + q] + xi[in3 + q];
                    // ∓i·(a1 − a3)
                    double ur = sign * (xi[in1 + q] - xi[in3 + q]);
                    double ui = -sign * (xr[in1 + q] - xr[in3 + q]);
                    yr[out0 + q] = sr + tr;
                    yi[out0 + q] = si + ti;
                    double b1r = dr + ur;
                    double b1i = di + ui;
                    double b2r = sr - tr;
                    double b2i = si - ti;
                    double b3r = dr - ur;
                    double b3i = di - ui;
                    yr[out0 + s + q] = b1r * w1r - b1i * w1i;
                    yi[out0 + s + q] = b1r * w1i + b1i * w1r;
                    yr[out0 + 2 * s + q] = b2r * w2r - b2i * w2i;
                    yi[out0 + 2 * s + q] = b2r * w2i + b2i * w2r;
                    yr[out0 + 3 * s + q] = b3r * w3r - b3i * w3i;
                    yi[out0 + 3 * s + q] = b3r * w3i + b3i * w3r;
                }
            }
        }

        private static void radix5(double[] xr, double[] xi, double[] yr, double[] yi, int s, int m,
                double[] wr, double[] wi, double sign) {
            double c1 = Math.cos(2 * Math.PI / 5);
            double c2 = Math.cos(4 * Math.PI / 5);
            double s1 = sign * Math.sin(2 * Math.PI / 5);
            double s2 = sign * Math.sin(4 * Math.PI / 5);
            for (int p = 0; p < m; p++) {
                int t = 4 * p;
                int in0 = s * p;
                int in1 = in0 + s * m;
                int in2 = in1 + s * m;
                int in3 = in2 + s * m;
                int in4 = in3 + s * m;
                int out0 = s * 5 * p;
                for (int q = 0; q < s; q++) {
                    double a0r = xr[in0 + q];
                    double a0i = xi[in0 + q];
                    double t1r = xr[in1 + q] + xr[in4 + q];
                    double t1i = xi[in1 + q] + xi[in4 + q];
                    double t2r = xr[in2 + q] + xr[in3 + q];
                    double t2i = xi[in2 + q] + xi[in3 + q];
                    double t3r = xr[in1 + q] - xr[in4 + q];
                    double t3i = xi[in1 + q] - xi[in4 + q];
                    double t4r = xr[in2 + q] - xr[in3 + q];
                    double t4i = xi[in2 + q] - xi[in3 + q];
                    yr[out0 + q] = a0r + t1r + t2r;
                    yi[out0 + q] = a0i + t1i + t2i;
                    // b1,4 = a0 + c1·t1 + c2·t2 ∓ i(s1·t3 + s2·t4); b2,3 = a0 + c2·t1 + c1·t2 ∓ i(s2·t3 − s1·t4)
                    double e1r = a0r + c1 * t1r + c2 * t2r;
                    double e1i = a0i + c1 * t1i + c2 * t2i;
                    double e2r = a0r + c2 * t1r + c1 * t2r;
                    double e2i = a0i + c2 * t1i + c1 * t2i;
                    double f1r = s1 * t3r + s2 * t4r;
                    double f1i = s1 * t3i + s2 * t4i;
                    double f2r = s2 * t3r - s1 * t4r;
                    double f2i = s2 * t3i - s1 * t4i;
                    store(yr, yi, out0 + s + q, e1r + f1i, e1i - f1r, wr[t], sign * wi[t]);
                    store(yr, yi, out0 + 2 * s + q, e2r + f2i, e2i - f2r, wr[t + 1], sign * wi[t + 1]);
                    store(yr, yi, out0 + 3 * s + q, e2r - f2i, e2i + f2r, wr[t + 2], sign * wi[t + 2]);
                    store(yr, yi, out0 + 4 * s + q, e1r - f1i, e1i + f1r, wr[t + 3], sign * wi[t + 3]);
                }
            }
        }

        private static void radix8(double[] xr, double[] xi, double[] yr, double[] yi, int s, int m, double[] wr,
                double[] wi, double sign) {
            double h = Math.sqrt(0.5);
            for (int p = 0; p < m; p++) {
                int t = 7 * p;
                int in0 = s * p;
                int sm = s * m;
                int out0 = s * 8 * p;
                for (int q = 0; q < s; q++) {
                    int i0 = in0 + q;
                    // two 4-point DFTs, of the even (E) and the odd (O) inputs; (∓i)·z = (±z.im, ∓z.re)
                    double s0r = xr[i0] + xr[i0 + 4 * sm];
                    double s0i = xi[i0] + xi[i0 + 4 * sm];
                    double d0r = xr[i0] - xr[i0 + 4 * sm];
                    double d0i = xi[i0] - xi[i0 + 4 * sm];
                    double s1r = xr[i0 + 2 * sm] + xr[i0 + 6 * sm];
                    double s1i = xi[i0 + 2 * sm] + xi[i0 + 6 * sm];
                    double d1r = xr[i0 + 2 * sm] - xr[i0 + 6 * sm];
                    double d1i = xi[i0 + 2 * sm] - xi[i0 + 6 * sm];
                    double e0r = s0r + s1r;
                    double e0i = s0i + s1i;
                    double e2r = s0r - s1r;
                    double e2i = s0i - s1i;
                    double e1r = d0r + sign * d1i;
                    double e1i = d0i - sign * d1r;
                    double e3r = d0r - sign * d1i;
                    double e3i = d0i + sign * d1r;
                    double t0r = xr[i0 + sm] + xr[i0 + 5 * sm];
                    double t0i = xi[i0 + sm] + xi[i0 + 5 * sm];
                    double u0r = xr[i0 + sm] - xr[i0 + 5 * sm];
                    double u0i = xi[i0 + sm] - xi[i0 + 5 * sm];
                    double t1r = xr[i0 + 3 * sm] + xr[i0 + 7 * sm];
                    double t1i = xi[i0 + 3 * sm] + xi[i0 + 7 * sm];
                    double u1r = xr[i0 + 3 * sm] - xr[i0 + 7 * sm];
                    double u1i = xi[i0 + 3 * sm] - xi[i0 + 7 * sm];
                    double o0r = t0r + t1r;
                    double o0i = t0i + t1i;
                    double o2r = t0r - t1r;
                    double o2i = t0i - t1i;
                    double o1r = u0r + sign * u1i;
                    double o1i = u0i - sign * u1r;
                    double o3r = u0r - sign * u1i;
                    double o3i = u0i + sign * u1r;
                    // O_k times e^(∓iπk/4): (1 ∓ i)/√2, ∓i, (−1 ∓ i)/√2
                    double v1r = h * (o1r + sign * o1i);
                    double v1i = h * (o1i - sign * o1r);
                    double v2r = sign * o2i;
                    double v2i = -sign * o2r;
                    double v3r = h * (-o3r + sign * o3i);
                    double v3i = h * (-o3i - sign * o3r);
                    int o = out0 + q;
                    yr[o] = e0r + o0r;
                    yi[o] = e0i + o0i;
                    store(yr, yi, o + s, e1r + v1r, e1i + v1i, wr[t], sign * wi[t]);
                    store(yr, yi, o + 2 * s, e2r + v2r, e2i + v2i, wr[t + 1], sign * wi[t + 1]);
                    store(yr, yi, o + 3 * s, e3r + v3r, e3i + v3i, wr[t + 2], sign * wi[t + 2]);
                    store(yr, yi, o + 4 * s, e0r - o0r, e0i - o0i, wr[t + 3], sign * wi[t + 3]);
                    store(yr, yi, o + 5 * s, e1r - v1r, e1i - v1i, wr[t + 4], sign * wi[t + 4]);
                    store(yr, yi, o + 6 * s, e2r - v2r, e2i - v2i, wr[t + 5], sign * wi[t + 5]);
                    store(yr, yi, o + 7 * s, e3r - v3r, e3i - v3i, wr[t + 6], sign * wi[t + 6]);
                }
            }
        }

        /** y[index] = b·w. */
        private static void store(double[] yr, double[] yi, int index, double br, double bi, double wr, double wi) {
            yr[index] = br * wr - bi * wi;
            yi[index] = br * wi + bi * wr;
        }

        /** Any prime radix r ≤ {@value #LARGEST_RADIX} by its r-point DFT. */
        private void radixGeneric(int r, double[] xr, double[] xi, double[] yr, double[] yi, int s,
                int m, double[] wr, double[] wi, double sign, double[] ar, double[] ai) {
            double[] rr = rootRe[r];
            double[] ri = rootIm[r];
            for (int p = 0; p < m; p++) {
                for (int q = 0; q < s; q++) {
                    for (int j = 0; j < r; j++) {
                        ar[j] = xr[q + s * (p + j * m)];
                        ai[j] = xi[q + s * (p + j * m)];
                    }
                    for (int k = 0; k < r; k++) {
                        double br = 0;
                        double bi = 0;
                        int index = 0;
                        for (int j = 0; j < r; j++) {
                            double cr = rr[index];
                            double ci = sign * ri[index];
                            br += ar[j] * cr - ai[j] * ci;
                            bi += ar[j] * ci + ai[j] * cr;
                            index += k;
                            if (index >= r) {
                                index -= r;
                            }
                        }
                        int out = q + s * (r * p + k);
                        if (k == 0) {
                            yr[out] = br;
                            yi[out] = bi;
                        } else {
                            store(yr, yi, out, br, bi, wr[p * (r - 1) + k - 1], sign * wi[p * (r - 1) + k - 1]);
                        }
                    }
                }
            }
        }

        /**
         * Bluestein: the DFT as a convolution with a chirp, done by power-of-two FFTs. The inverse uses the
         * conjugate chirp; the kernel is symmetric, so its transform is conjugated too.
         */
        private void runBluestein(double[] re, double[] im, int batch, boolean inverse, double[][] work) {
            double sign = inverse ? -1 : 1;
            int m = kernelRe.length;
            double[] ar = work[0];
            double[] ai = work[1];
            double[][] innerWork = java.util.Arrays.copyOfRange(work, 2, work.length);
            for (int k = 0; k < n; k++) {
                double ci = sign * chirpIm[k];
                for (int i = k * batch; i < (k + 1) * batch; i++) {
                    ar[i] = re[i] * chirpRe[k] - im[i] * ci;
                    ai[i] = re[i] * ci + im[i] * chirpRe[k];
                }
            }
            java.util.Arrays.fill(ar, n * batch, m * batch, 0);
            java.util.Arrays.fill(ai, n * batch, m * batch, 0);
            inner.run(ar, ai, batch, false, innerWork);
            for (int k = 0; k < m; k++) {
                double bik = sign * kernelIm[k];
                for (int i = k * batch; i < (k + 1) * batch; i++) {
                    double r = ar[i] * kernelRe[k] - ai[i] * bik;
                    ai[i] = ar[i] * bik + ai[i] * kernelRe[k];
                    ar[i] = r;
                }
            }
            inner.run(ar, ai, batch, true, innerWork);
            for (int k = 0; k < n; k++) {
                double ci = sign * chirpIm[k];
                for (int i = k * batch; i < (k + 1) * batch; i++) {
                    double r = ar[i] / m;
                    double v = ai[i] / m;
                    re[i] = r * chirpRe[k] - v * ci;
                    im[i] = r * ci + v * chirpRe[k];
                }
            }
        }
    }
}
