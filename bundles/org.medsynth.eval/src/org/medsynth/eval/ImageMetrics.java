package org.medsynth.eval;

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
     * Mean structural similarity over the image, excluding a border of half a window, with local statistics from
     * reflect-padded separable filters.
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
        int n = x.length;
        double[] xx = new double[n];
        double[] yy = new double[n];
        double[] xy = new double[n];
        for (int i = 0; i < n; i++) {
            xx[i] = x[i] * x[i];
            yy[i] = y[i] * y[i];
            xy[i] = x[i] * y[i];
        }
        double[] ux = filter(x, dims, kernel);
        double[] uy = filter(y, dims, kernel);
        double[] uxx = filter(xx, dims, kernel);
        double[] uyy = filter(yy, dims, kernel);
        double[] uxy = filter(xy, dims, kernel);
        double np = Math.pow(win, dims.length);
        double covNorm = options.sampleCovariance() ? np / (np - 1) : 1;
        double c1 = Math.pow(options.k1() * dataRange, 2);
        double c2 = Math.pow(options.k2() * dataRange, 2);
        int pad = (win - 1) / 2;
        double sum = 0;
        long count = 0;
        int[] pos = new int[dims.length];
        for (int i = 0; i < n; i++) {
            int rest = i;
            boolean inside = true;
            for (int a = 0; a < dims.length; a++) {
                pos[a] = rest % dims[a];
                rest /= dims[a];
                inside &= pos[a] >= pad && pos[a] < dims[a] - pad;
            }
            if (!inside) {
                continue;
            }
            double vx = covNorm * (uxx[i] - ux[i] * ux[i]);
            double vy = covNorm * (uyy[i] - uy[i] * uy[i]);
            double vxy = covNorm * (uxy[i] - ux[i] * uy[i]);
            double a1 = 2 * ux[i] * uy[i] + c1;
            double a2 = 2 * vxy + c2;
            double b1 = ux[i] * ux[i] + uy[i] * uy[i] + c1;
            double b2 = vx + vy + c2;
            sum += a1 * a2 / (b1 * b2);
            count++;
        }
        return sum / count;
    }

    static double[] uniformKernel(int size) {
        double[] k = new double[size];
        java.util.Arrays.fill(k, 1.0 / size);
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

    /** Separable correlation with a symmetric odd kernel along every axis, scipy 'reflect' boundary (d c b a | a b c d). */
    static double[] filter(double[] input, int[] dims, double[] kernel) {
        double[] current = input.clone();
        int radius = kernel.length / 2;
        int stride = 1;
        for (int axis = 0; axis < dims.length; axis++) {
            int len = dims[axis];
            double[] next = new double[current.length];
            double[] line = new double[len];
            int outer = current.length / len;
            for (int o = 0; o < outer; o++) {
                int base = (o / stride) * stride * len + (o % stride);
                for (int i = 0; i < len; i++) {
                    line[i] = current[base + i * stride];
                }
                for (int i = 0; i < len; i++) {
                    double s = 0;
                    for (int k = -radius; k <= radius; k++) {
                        s += kernel[k + radius] * line[reflect(i + k, len)];
                    }
                    next[base + i * stride] = s;
                }
            }
            current = next;
            stride *= len;
        }
        return current;
    }

    private static int reflect(int i, int len) {
        int period = 2 * len;
        int m = Math.floorMod(i, period);
        return m < len ? m : period - 1 - m;
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
