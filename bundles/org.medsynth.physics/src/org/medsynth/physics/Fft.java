package org.medsynth.physics;

import java.util.stream.IntStream;

/**
 * Complex discrete Fourier transforms of any length on split real/imaginary arrays: iterative radix-2 for powers of
 * two, Bluestein's chirp-z for other lengths. The centred, orthonormal n-d forms (ifftshift → FFT → fftshift, scaled
 * 1/√N) are the MRI encoding operator; they are unitary, so the inverse is the adjoint.
 */
public final class Fft {

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
        if (Integer.bitCount(n) == 1) {
            radix2(re, im, inverse);
        } else {
            bluestein(re, im, inverse);
        }
    }

    private static void radix2(double[] re, double[] im, boolean inverse) {
        int n = re.length;
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) {
                j ^= bit;
            }
            j ^= bit;
            if (i < j) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        double sign = inverse ? 1 : -1;
        for (int len = 2; len <= n; len <<= 1) {
            int half = len >> 1;
            double angle = sign * 2 * Math.PI / len;
            for (int k = 0; k < half; k++) {
                double wr = Math.cos(angle * k);
                double wi = Math.sin(angle * k);
                for (int i = k; i < n; i += len) {
                    int j = i + half;
                    double xr = re[j] * wr - im[j] * wi;
                    double xi = re[j] * wi + im[j] * wr;
                    re[j] = re[i] - xr;
                    im[j] = im[i] - xi;
                    re[i] += xr;
                    im[i] += xi;
                }
            }
        }
    }

    private static void bluestein(double[] re, double[] im, boolean inverse) {
        int n = re.length;
        int m = Integer.highestOneBit(2 * n - 1) << 1;
        double sign = inverse ? 1 : -1;
        double[] cr = new double[n];
        double[] ci = new double[n];
        for (int k = 0; k < n; k++) {
            // k² mod 2n keeps the chirp angle small and exact for large k
            long k2 = ((long) k * k) % (2L * n);
            double a = sign * Math.PI * k2 / n;
            cr[k] = Math.cos(a);
            ci[k] = Math.sin(a);
        }
        double[] ar = new double[m];
        double[] ai = new double[m];
        double[] br = new double[m];
        double[] bi = new double[m];
        for (int k = 0; k < n; k++) {
            ar[k] = re[k] * cr[k] - im[k] * ci[k];
            ai[k] = re[k] * ci[k] + im[k] * cr[k];
        }
        br[0] = cr[0];
        bi[0] = -ci[0];
        for (int k = 1; k < n; k++) {
            br[k] = br[m - k] = cr[k];
            bi[k] = bi[m - k] = -ci[k];
        }
        radix2(ar, ai, false);
        radix2(br, bi, false);
        for (int k = 0; k < m; k++) {
            double r = ar[k] * br[k] - ai[k] * bi[k];
            ai[k] = ar[k] * bi[k] + ai[k] * br[k];
            ar[k] = r;
        }
        radix2(ar, ai, true);
        for (int k = 0; k < n; k++) {
            double r = ar[k] / m;
            double i = ai[k] / m;
            re[k] = r * cr[k] - i * ci[k];
            im[k] = r * ci[k] + i * cr[k];
        }
    }

    /**
     * Centred orthonormal FFT over the last {@code dims.length} axes of a row-major array (last axis fastest),
     * in place. {@code dims} is the shape, e.g. {ny, nx} or {nz, ny, nx}; leading batch axes may precede it as long as
     * {@code re.length} is a multiple of the product.
     */
    public static void centred(double[] re, double[] im, int[] dims, boolean inverse) {
        long size = 1;
        for (int d : dims) {
            size *= d;
        }
        if (size == 0 || re.length % size != 0 || im.length != re.length) {
            throw new IllegalArgumentException("array of " + re.length + " values does not hold whole images of shape "
                    + java.util.Arrays.toString(dims));
        }
        int stride = 1;
        for (int axis = dims.length - 1; axis >= 0; axis--) {
            axis(re, im, dims[axis], stride, inverse);
            stride *= dims[axis];
        }
        double scale = 1 / Math.sqrt(size);
        for (int i = 0; i < re.length; i++) {
            re[i] *= scale;
            im[i] *= scale;
        }
    }

    /** Transforms every line of length {@code n} at element stride {@code stride}, lines in parallel. */
    private static void axis(double[] re, double[] im, int n, int stride, boolean inverse) {
        int lines = re.length / n;
        int shift = n / 2;
        IntStream.range(0, lines).parallel().forEach(line -> {
            int outer = line / stride;
            int base = outer * stride * n + line % stride;
            double[] lr = new double[n];
            double[] li = new double[n];
            // ifftshift on the way in, fftshift on the way out
            for (int k = 0; k < n; k++) {
                int src = base + ((k + shift) % n) * stride;
                lr[k] = re[src];
                li[k] = im[src];
            }
            transform(lr, li, inverse);
            for (int k = 0; k < n; k++) {
                int dst = base + ((k + shift) % n) * stride;
                re[dst] = lr[k];
                im[dst] = li[k];
            }
        });
    }
}
