package org.medsynth.eval;

import java.util.Arrays;

/**
 * Paired image metrics on flat arrays (x fastest), 2D or 3D. Definitions follow scikit-image
 * ({@code peak_signal_noise_ratio}, {@code structural_similarity}) so values agree with it to floating-point
 * rounding; the reference values and the script that produced them are kept with the tests.
 */
public final class ImageMetrics {
    private ImageMetrics() {
    }

    public static double mse(double[] reference, double[] candidate) {
        checkSameLength(reference, candidate);
        double sum = 0;
        for (int i = 0; i < reference.length; i++) {
            double d = reference[i] - candidate[i];
            sum += d * d;
        }
        return sum / reference.length;
    }

    /** PSNR in dB; +Infinity for identical images. */
    public static double psnr(double[] reference, double[] candidate, double dataRange) {
        if (!(dataRange > 0)) {
            throw new IllegalArgumentException("data range must be positive, got " + dataRange);
        }
        double mse = mse(reference, candidate);
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(dataRange * dataRange / mse);
    }

    /** Options of {@link #ssim}; {@link #SCIKIT_IMAGE_DEFAULTS} match {@code structural_similarity}'s defaults. */
    public record SsimOptions(boolean gaussian, int winSize, double sigma, boolean sampleCovariance, double k1,
            double k2) {
        public static final SsimOptions SCIKIT_IMAGE_DEFAULTS = new SsimOptions(false, 7, 1.5, true, 0.01, 0.03);
        /** Wang et al. 2004: 11-tap Gaussian, σ = 1.5, population covariance. */
        public static final SsimOptions WANG_2004 = new SsimOptions(true, 11, 1.5, false, 0.01, 0.03);

        public SsimOptions {
            if (!gaussian && (winSize < 3 || winSize % 2 == 0)) {
                throw new IllegalArgumentException("SSIM window size must be odd and at least 3, got " + winSize);
            }
        }

        /** Window side: the uniform size, or 2·round(3.5σ)+1 taps for the Gaussian as scipy truncates it. */
        public int effectiveWinSize() {
            return gaussian ? 2 * (int) (3.5 * sigma + 0.5) + 1 : winSize;
        }
    }

    /**
     * Mean structural similarity over the image, excluding a border of half a window (as scikit-image does after
     * its reflect-padded filtering, so only windows lying wholly inside the image count).
     */
    public static double ssim(double[] x, double[] y, int[] dims, double dataRange, SsimOptions options) {
        checkSameLength(x, y);
        if (!(dataRange > 0)) {
            throw new IllegalArgumentException("data range must be positive, got " + dataRange);
        }
        int win = options.effectiveWinSize();
        for (int d : dims) {
            if (d < win) {
                throw new IllegalArgumentException("SSIM window of " + win + " pixels is larger than the image side " + d);
            }
        }
        double[] kernel = options.gaussian() ? gaussianKernel(options.sigma(), win / 2) : uniformKernel(win);
        double windowPixels = Math.pow(win, dims.length);
        double covarianceScale = options.sampleCovariance() ? windowPixels / (windowPixels - 1) : 1;
        double c1 = Math.pow(options.k1() * dataRange, 2);
        double c2 = Math.pow(options.k2() * dataRange, 2);
        return LocalMoments.of(x, y, dims, kernel, !options.gaussian())
                .meanSsimAndContrastStructure(c1, c2, covarianceScale)[0];
    }

    static double[] uniformKernel(int size) {
        double[] k = new double[size];
        Arrays.fill(k, 1.0 / size);
        return k;
    }

    /** scipy.ndimage's Gaussian: exp(−x²/2σ²) on −r..r, normalised to sum 1. */
    static double[] gaussianKernel(double sigma, int radius) {
        double[] k = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            k[i + radius] = Math.exp(-0.5 * i * i / (sigma * sigma));
            sum += k[i + radius];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        return k;
    }

    private static void checkSameLength(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("images differ in size: " + a.length + " vs " + b.length + " elements");
        }
        if (a.length == 0) {
            throw new IllegalArgumentException("images are empty");
        }
    }
}
