package org.medsynth.physics;

import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/**
 * Multi-coil Cartesian MRI encoding A x = M F (Sᶜ x) for every coil c, with F the centred orthonormal FFT over
 * {@code dims} (2D {ny, nx} or 3D {nz, ny, nx}), Sᶜ the coil sensitivities and M the sampling mask; its adjoint
 * Aᴴ k = Σ_c conj(Sᶜ) Fᴴ (M kᶜ). A single coil of sensitivity 1 is the plain undersampled Fourier operator.
 * Multi-coil arrays are coil-major: coil c occupies [c·N, (c+1)·N).
 */
public final class SenseOperator {

    /** Pixels per parallel task of the coil combination. */
    private static final int PIXELS_PER_BLOCK = 8192;

    private final ComplexArray sensitivities;
    private final int coils;
    private final int[] dims;
    private final int size;
    private final boolean[] mask;

    public SenseOperator(ComplexArray sensitivities, int[] dims, boolean[] mask) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        if (n < 1 || sensitivities.length() % n != 0 || sensitivities.length() == 0) {
            throw new IllegalArgumentException("coil sensitivities of " + sensitivities.length()
                    + " values are not whole images of shape " + java.util.Arrays.toString(dims));
        }
        if (mask.length != n) {
            throw new IllegalArgumentException("sampling mask has " + mask.length + " entries for images of " + n);
        }
        this.sensitivities = sensitivities;
        this.coils = sensitivities.length() / n;
        this.dims = dims.clone();
        this.size = n;
        this.mask = mask.clone();
    }

    /** Single coil, unit sensitivity: A = M F. */
    public static SenseOperator singleCoil(int[] dims, boolean[] mask) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        double[] ones = new double[n];
        java.util.Arrays.fill(ones, 1);
        return new SenseOperator(new ComplexArray(ones, new double[n]), dims, mask);
    }

    public int coils() {
        return coils;
    }

    public int imageSize() {
        return size;
    }

    public ComplexArray forward(ComplexArray image) {
        checkLength(image, size, "image");
        double[] re = new double[coils * size];
        double[] im = new double[coils * size];
        double[] sr = sensitivities.re();
        double[] si = sensitivities.im();
        double[] xr = image.re();
        double[] xi = image.im();
        IntStream.range(0, coils).parallel().forEach(c -> {
            for (int p = 0, i = c * size; p < size; p++, i++) {
                re[i] = sr[i] * xr[p] - si[i] * xi[p];
                im[i] = sr[i] * xi[p] + si[i] * xr[p];
            }
        });
        Fft.centred(re, im, dims, false, mask);
        return new ComplexArray(re, im);
    }

    public ComplexArray adjoint(ComplexArray kspace) {
        checkLength(kspace, coils * size, "k-space");
        double[] re = kspace.re().clone();
        double[] im = kspace.im().clone();
        applyMask(re, im);
        Fft.centred(re, im, dims, true);
        return combine(re, im);
    }

    /** Σ_c conj(Sᶜ)·xᶜ: the sensitivity-weighted coil combination. */
    public ComplexArray combine(double[] re, double[] im) {
        double[] outRe = new double[size];
        double[] outIm = new double[size];
        double[] sr = sensitivities.re();
        double[] si = sensitivities.im();
        // pixel blocks in parallel, coils summed in order within each: the same sums on any number of threads
        int blocks = (size + PIXELS_PER_BLOCK - 1) / PIXELS_PER_BLOCK;
        IntStream.range(0, blocks).parallel().forEach(block -> {
            int to = Math.min(size, (block + 1) * PIXELS_PER_BLOCK);
            for (int c = 0; c < coils; c++) {
                for (int p = block * PIXELS_PER_BLOCK, i = c * size + p; p < to; p++, i++) {
                    outRe[p] += sr[i] * re[i] + si[i] * im[i];
                    outIm[p] += sr[i] * im[i] - si[i] * re[i];
                }
            }
        });
        return new ComplexArray(outRe, outIm);
    }

    /** AᴴA + λI, the operator of the regularised normal equations. */
    public UnaryOperator<ComplexArray> normal(double lambda) {
        return x -> {
            ComplexArray y = adjoint(forward(x));
            y.addScaled(lambda, x);
            return y;
        };
    }

    /**
     * Data consistency in k-space: where sampled, the estimate is pulled to the measurement,
     * k ← (k + λ·y)/(1 + λ); λ = ∞ replaces it (hard projection). Unsampled entries are kept.
     */
    public ComplexArray dataConsistency(ComplexArray estimate, ComplexArray measured, double lambda) {
        checkLength(estimate, coils * size, "k-space estimate");
        checkLength(measured, coils * size, "measured k-space");
        ComplexArray out = estimate.copy();
        for (int i = 0; i < coils * size; i++) {
            if (mask[i % size]) {
                if (Double.isInfinite(lambda)) {
                    out.re()[i] = measured.re()[i];
                    out.im()[i] = measured.im()[i];
                } else {
                    out.re()[i] = (estimate.re()[i] + lambda * measured.re()[i]) / (1 + lambda);
                    out.im()[i] = (estimate.im()[i] + lambda * measured.im()[i]) / (1 + lambda);
                }
            }
        }
        return out;
    }

    /** Coil images Fᴴ kᶜ (no mask, no combination), coil-major. */
    public ComplexArray coilImages(ComplexArray kspace) {
        checkLength(kspace, coils * size, "k-space");
        double[] re = kspace.re().clone();
        double[] im = kspace.im().clone();
        Fft.centred(re, im, dims, true);
        return new ComplexArray(re, im);
    }

    /** Root-sum-of-squares combination √Σ_c |xᶜ|² of coil-major images. */
    public static float[] rootSumOfSquares(ComplexArray coilImages, int imageSize) {
        if (coilImages.length() % imageSize != 0) {
            throw new IllegalArgumentException(coilImages.length() + " values are not whole images of " + imageSize);
        }
        double[] sum = new double[imageSize];
        for (int i = 0; i < coilImages.length(); i++) {
            sum[i % imageSize] += coilImages.re()[i] * coilImages.re()[i] + coilImages.im()[i] * coilImages.im()[i];
        }
        float[] out = new float[imageSize];
        for (int p = 0; p < imageSize; p++) {
            out[p] = (float) Math.sqrt(sum[p]);
        }
        return out;
    }

    private void applyMask(double[] re, double[] im) {
        IntStream.range(0, coils).parallel().forEach(c -> {
            for (int p = 0, i = c * size; p < size; p++, i++) {
                if (!mask[p]) {
                    re[i] = 0;
                    im[i] = 0;
                }
            }
        });
    }

    private static void checkLength(ComplexArray a, int expected, String what) {
        if (a.length() != expected) {
            throw new IllegalArgumentException(what + " has " + a.length() + " values, the operator needs " + expected);
        }
    }
}
