package org.medsynth.physics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * Complex discrete Fourier transforms of any length on split real/imaginary arrays: iterative radix-2 for powers of
 * two, mixed-radix Cooley–Tukey steps for composite lengths, Bluestein's chirp-z for primes. The centred, orthonormal n-d forms (ifftshift → FFT → fftshift, scaled
 * 1/√N) are the MRI encoding operator; they are unitary, so the inverse is the adjoint.
 */
public final class Fft {

    /** Twiddle factors e^(−2πik/n), k < n/2, per power-of-two length. */
    private static final Map<Integer, double[][]> TWIDDLES = new ConcurrentHashMap<>();
    /** Roots of unity per mixed-radix length. */
    private static final Map<Integer, double[][]> ROOTS = new ConcurrentHashMap<>();
    /** Bluestein chirp and transformed kernel, per length. */
    private static final Map<Integer, double[][]> CHIRPS = new ConcurrentHashMap<>();

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
            return;
        }
        int p = smallestFactor(n);
        if (p == n) {
            bluestein(re, im, inverse);
        } else {
            mixedRadix(re, im, inverse, p);
        }
    }

    /** The smallest odd prime factor (so sub-transforms reach radix-2 soonest), else 2; n itself when prime. */
    private static int smallestFactor(int n) {
        int odd = n >> Integer.numberOfTrailingZeros(n);
        if (odd == 1) {
            return 2;
        }
        for (int p = 3; (long) p * p <= odd; p += 2) {
            if (odd % p == 0) {
                return p;
            }
        }
        return odd == n ? n : odd;
    }

    /**
     * One Cooley–Tukey decimation-in-time step for n = p·q: p interleaved sub-sequences of length q, each
     * transformed, then combined as X[k + q·s] = Σ_r W_n^(r(k + q·s)) Y_r[k].
     */
    private static void mixedRadix(double[] re, double[] im, boolean inverse, int p) {
        int n = re.length;
        int q = n / p;
        double[][] subRe = new double[p][q];
        double[][] subIm = new double[p][q];
        for (int r = 0; r < p; r++) {
            for (int j = 0; j < q; j++) {
                subRe[r][j] = re[j * p + r];
                subIm[r][j] = im[j * p + r];
            }
            transform(subRe[r], subIm[r], inverse);
        }
        double[][] roots = ROOTS.computeIfAbsent(n, Fft::roots);
        double sign = inverse ? -1 : 1;
        for (int s = 0; s < p; s++) {
            for (int k = 0; k < q; k++) {
                int index = k + q * s;
                double sumRe = 0;
                double sumIm = 0;
                int m = 0;
                for (int r = 0; r < p; r++) {
                    double wr = roots[0][m];
                    double wi = sign * roots[1][m];
                    sumRe += subRe[r][k] * wr - subIm[r][k] * wi;
                    sumIm += subRe[r][k] * wi + subIm[r][k] * wr;
                    m += index;
                    if (m >= n) {
                        m -= n;
                    }
                }
                re[index] = sumRe;
                im[index] = sumIm;
            }
        }
    }

    /** All n-th roots of unity e^(−2πim/n), m < n. */
    private static double[][] roots(int n) {
        double[][] t = new double[2][n];
        for (int m = 0; m < n; m++) {
            t[0][m] = Math.cos(-2 * Math.PI * m / n);
            t[1][m] = Math.sin(-2 * Math.PI * m / n);
        }
        return t;
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
        double[][] twiddle = TWIDDLES.computeIfAbsent(n, Fft::twiddles);
        double sign = inverse ? -1 : 1;
        for (int len = 2; len <= n; len <<= 1) {
            int half = len >> 1;
            int stride = n / len;
            for (int k = 0; k < half; k++) {
                double wr = twiddle[0][k * stride];
                double wi = sign * twiddle[1][k * stride];
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

    private static double[][] twiddles(int n) {
        double[][] t = new double[2][n / 2];
        for (int k = 0; k < n / 2; k++) {
            t[0][k] = Math.cos(-2 * Math.PI * k / n);
            t[1][k] = Math.sin(-2 * Math.PI * k / n);
        }
        return t;
    }

    /** {chirp re, chirp im, FFT of the conjugate chirp kernel re, im} of the forward transform of length n. */
    private static double[][] chirp(int n) {
        int m = Integer.highestOneBit(2 * n - 1) << 1;
        double[] cr = new double[n];
        double[] ci = new double[n];
        for (int k = 0; k < n; k++) {
            // k² mod 2n keeps the chirp angle small and exact for large k
            long k2 = ((long) k * k) % (2L * n);
            double a = -Math.PI * k2 / n;
            cr[k] = Math.cos(a);
            ci[k] = Math.sin(a);
        }
        double[] br = new double[m];
        double[] bi = new double[m];
        br[0] = cr[0];
        bi[0] = -ci[0];
        for (int k = 1; k < n; k++) {
            br[k] = br[m - k] = cr[k];
            bi[k] = bi[m - k] = -ci[k];
        }
        radix2(br, bi, false);
        return new double[][] {cr, ci, br, bi};
    }

    /**
     * Bluestein: the DFT as a convolution with a chirp, done by power-of-two FFTs. The inverse uses the conjugate
     * chirp; the kernel is symmetric, so its transform is conjugated too.
     */
    private static void bluestein(double[] re, double[] im, boolean inverse) {
        int n = re.length;
        double[][] plan = CHIRPS.computeIfAbsent(n, Fft::chirp);
        double[] cr = plan[0];
        double sign = inverse ? -1 : 1;
        double[] br = plan[2];
        double[] bi = plan[3];
        int m = br.length;
        double[] ar = new double[m];
        double[] ai = new double[m];
        for (int k = 0; k < n; k++) {
            double ci = sign * plan[1][k];
            ar[k] = re[k] * cr[k] - im[k] * ci;
            ai[k] = re[k] * ci + im[k] * cr[k];
        }
        radix2(ar, ai, false);
        for (int k = 0; k < m; k++) {
            double bik = sign * bi[k];
            double r = ar[k] * br[k] - ai[k] * bik;
            ai[k] = ar[k] * bik + ai[k] * br[k];
            ar[k] = r;
        }
        radix2(ar, ai, true);
        for (int k = 0; k < n; k++) {
            double ci = sign * plan[1][k];
            double r = ar[k] / m;
            double i = ai[k] / m;
            re[k] = r * cr[k] - i * ci;
            im[k] = r * ci + i * cr[k];
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
