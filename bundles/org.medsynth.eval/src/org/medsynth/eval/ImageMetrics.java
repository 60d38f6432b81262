package org.medsynth.eval;

import java.util.Arrays;
import java.util.Locale;

/**
 * Paired image metrics on flat arrays (x fastest), 2D or 3D. Definitions follow scikit-image
 * ({@code mean_squared_error}, {@code normalized_root_mse}, {@code peak_signal_noise_ratio},
 * {@code structural_similarity}) so values agree with it to floating-point rounding; MS-SSIM follows TensorFlow's
 * {@code tf.image.ssim_multiscale}. The reference values and the script that produced them are kept with the tests.
 * Non-finite input values are refused with the element that holds one.
 */
public final class ImageMetrics {
    /** Wang, Simoncelli, Bovik 2003: relative weights of the five MS-SSIM scales, finest first. */
    private static final double[] MS_SSIM_WEIGHTS = {0.0448, 0.2856, 0.3001, 0.2363, 0.1333};
    private static final int MS_SSIM_WINDOW = 11;
    private static final double MS_SSIM_SIGMA = 1.5;

    private ImageMetrics() {
    }

    /** How {@link #nrmse} normalises the root mean squared error, as scikit-image's {@code normalization}. */
    public enum Normalization {
        /** √(mean(reference²)): NRMSE = ‖reference − candidate‖ / ‖reference‖. */
        EUCLIDEAN("euclidean"),
        /** max − min of the reference. */
        MIN_MAX("min-max"),
        /** mean of the reference. */
        MEAN("mean");

        private final String id;

        Normalization(String id) {
            this.id = id;
        }

        /** The scikit-image name: euclidean, min-max or mean. */
        public String id() {
            return id;
        }

        public static Normalization of(String id) {
            for (Normalization n : values()) {
                if (n.id.equals(id.toLowerCase(Locale.ROOT))) {
                    return n;
                }
            }
            throw new IllegalArgumentException("unknown normalization '" + id + "'; use euclidean, min-max or mean");
        }
    }

    /**
     * What one pass over a pair gathers: sums of |d| and d² for d = reference − candidate, and the reference's sum,
     * sum of squares, minimum and maximum. MAE, MSE, NRMSE and NMSE all come from it.
     */
    public record PairedErrors(long count, double sumAbsolute, double sumSquared, double referenceSum,
            double referenceSumOfSquares, double referenceMin, double referenceMax) {

        /** Values per chunk: chunks are summed in parallel, then added in order, whatever the thread count. */
        private static final int CHUNK = 1 << 15;

        public static PairedErrors of(double[] reference, double[] candidate) {
            checkSameLength(reference, candidate);
            int chunks = (reference.length + CHUNK - 1) / CHUNK;
            double[][] partial = new double[chunks][];
            int tasks = Parallel.tasksFor(chunks);
            Parallel.run(tasks, 2L * reference.length, task -> {
                for (int chunk = chunks * task / tasks; chunk < chunks * (task + 1) / tasks; chunk++) {
                    partial[chunk] = chunkSums(reference, candidate, chunk * CHUNK,
                            Math.min(reference.length, (chunk + 1) * CHUNK));
                }
            });
            double abs = 0;
            double squared = 0;
            double sum = 0;
            double sumOfSquares = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double[] p : partial) {
                abs += p[0];
                squared += p[1];
                sum += p[2];
                sumOfSquares += p[3];
                min = Math.min(min, p[4]);
                max = Math.max(max, p[5]);
            }
            requireFinite(abs + squared + sum, reference, candidate);
            return new PairedErrors(reference.length, abs, squared, sum, sumOfSquares, min, max);
        }

        /** {Σ|d|, Σd², Σr, Σr², min r, max r} over [from, to); NaNs surface in the sums, so min/max may skip them. */
        private static double[] chunkSums(double[] reference, double[] candidate, int from, int to) {
            double abs = 0;
            double squared = 0;
            double sum = 0;
            double sumOfSquares = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = from; i < to; i++) {
                double r = reference[i];
                double d = r - candidate[i];
                abs += Math.abs(d);
                squared += d * d;
                sum += r;
                sumOfSquares += r * r;
                min = r < min ? r : min;
                max = r > max ? r : max;
            }
            return new double[] {abs, squared, sum, sumOfSquares, min, max};
        }

        public double mae() {
            return sumAbsolute / count;
        }

        public double mse() {
            return sumSquared / count;
        }

        /**
         * √MSE divided by the chosen normalisation of the reference.
         *
         * @throws IllegalArgumentException when that normalisation is 0 (a zero reference, a constant one for
         *         min-max, a zero-mean one for mean), where NRMSE is undefined
         */
        public double nrmse(Normalization normalization) {
            double denominator = switch (normalization) {
                case EUCLIDEAN -> Math.sqrt(referenceSumOfSquares / count);
                case MIN_MAX -> referenceMax - referenceMin;
                case MEAN -> referenceSum / count;
            };
            if (denominator == 0) {
                throw new IllegalArgumentException("NRMSE with " + normalization.id() + " normalization is undefined: "
                        + switch (normalization) {
                            case EUCLIDEAN -> "the reference is all zeros";
                            case MIN_MAX -> "the reference is constant";
                            case MEAN -> "the reference's mean is 0";
                        });
            }
            return Math.sqrt(mse()) / denominator;
        }
    }

    public static double mae(double[] reference, double[] candidate) {
        return PairedErrors.of(reference, candidate).mae();
    }

    public static double mse(double[] reference, double[] candidate) {
        return PairedErrors.of(reference, candidate).mse();
    }

    /** scikit-image's {@code normalized_root_mse}. */
    public static double nrmse(double[] reference, double[] candidate, Normalization normalization) {
        return PairedErrors.of(reference, candidate).nrmse(normalization);
    }

    /**
     * NRMSE squared. With the Euclidean normalisation this is the usual NMSE, ‖reference − candidate‖² / ‖reference‖².
     */
    public static double nmse(double[] reference, double[] candidate, Normalization normalization) {
        double nrmse = nrmse(reference, candidate, normalization);
        return nrmse * nrmse;
    }

    /** PSNR in dB; +Infinity for identical images. */
    public static double psnr(double[] reference, double[] candidate, double dataRange) {
        checkDataRange(dataRange);
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
        checkShape(x, y, dims);
        checkDataRange(dataRange);
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
        double ssim = LocalMoments.meanSsimAndContrastStructure(x, y, dims, kernel, !options.gaussian(),
                new LocalMoments.Stabilisers(c1, c2, covarianceScale), false)[0];
        return requireFinite(ssim, x, y);
    }

    /** Structural dissimilarity (1 − SSIM) / 2, from 0 (identical) to 1, with the same options as {@link #ssim}. */
    public static double dssim(double[] x, double[] y, int[] dims, double dataRange, SsimOptions options) {
        return (1 - ssim(x, y, dims, dataRange, options)) / 2;
    }

    /** The smallest image side MS-SSIM accepts: the 11-pixel window must still fit after four halvings. */
    public static int msSsimMinimumSide() {
        return (MS_SSIM_WINDOW - 1) * (1 << (MS_SSIM_WEIGHTS.length - 1)) + 1;
    }

    /**
     * Multi-scale SSIM (Wang, Simoncelli, Bovik 2003), 2D or 3D, with the conventions of TensorFlow's
     * {@code tf.image.ssim_multiscale}: five scales weighted 0.0448, 0.2856, 0.3001, 0.2363, 0.1333; an 11-tap
     * Gaussian window (σ = 1.5) applied 'valid' (no padding), population covariances, K1 = 0.01, K2 = 0.03;
     * between scales each side is halved by 2×2(×2) average pooling after repeating the last row/column/slice of an
     * odd side. The mean contrast-structure term of scales 1–4 and the mean SSIM of scale 5, each clipped at 0, are
     * raised to their weights and multiplied. Equal to pytorch-msssim whenever every halved side is even (it pads
     * odd sides with zeros instead).
     *
     * @throws IllegalArgumentException when a side is below {@link #msSsimMinimumSide()}
     */
    public static double msSsim(double[] x, double[] y, int[] dims, double dataRange) {
        checkShape(x, y, dims);
        checkDataRange(dataRange);
        int minimum = msSsimMinimumSide();
        for (int d : dims) {
            if (d < minimum) {
                throw new IllegalArgumentException("MS-SSIM needs at least " + minimum + " pixels along every axis ("
                        + MS_SSIM_WEIGHTS.length + " scales with an " + MS_SSIM_WINDOW + "-pixel window); the image is "
                        + shape(dims));
            }
        }
        double[] kernel = gaussianKernel(MS_SSIM_SIGMA, MS_SSIM_WINDOW / 2);
        LocalMoments.Stabilisers stabilisers = new LocalMoments.Stabilisers(Math.pow(0.01 * dataRange, 2),
                Math.pow(0.03 * dataRange, 2), 1);
        double[] a = x;
        double[] b = y;
        int[] scaleDims = dims.clone();
        double product = 1;
        int last = MS_SSIM_WEIGHTS.length - 1;
        for (int scale = 0; scale <= last; scale++) {
            double[] ssimAndCs = LocalMoments.meanSsimAndContrastStructure(a, b, scaleDims, kernel, false,
                    stabilisers, scale < last);
            double term = scale == last ? ssimAndCs[0] : ssimAndCs[1];
            product *= Math.pow(Math.max(0, requireFinite(term, x, y)), MS_SSIM_WEIGHTS[scale]);
            if (scale < last) {
                a = halve(a, scaleDims);
                b = halve(b, scaleDims);
                for (int axis = 0; axis < scaleDims.length; axis++) {
                    scaleDims[axis] = (scaleDims[axis] + 1) / 2;
                }
            }
        }
        return product;
    }

    /** 2× average pooling along every axis; an odd side's last element is paired with itself. */
    private static double[] halve(double[] values, int[] dims) {
        double[] current = values;
        int[] currentDims = dims.clone();
        for (int axis = 0; axis < dims.length; axis++) {
            int stride = 1;
            for (int a = 0; a < axis; a++) {
                stride *= currentDims[a];
            }
            int length = currentDims[axis];
            int half = (length + 1) / 2;
            int outer = current.length / (stride * length);
            double[] next = new double[outer * half * stride];
            for (int o = 0; o < outer; o++) {
                for (int j = 0; j < half; j++) {
                    int first = (o * length + 2 * j) * stride;
                    int second = (o * length + Math.min(2 * j + 1, length - 1)) * stride;
                    int dst = (o * half + j) * stride;
                    for (int t = 0; t < stride; t++) {
                        next[dst + t] = 0.5 * (current[first + t] + current[second + t]);
                    }
                }
            }
            current = next;
            currentDims[axis] = half;
        }
        return current;
    }

    static double[] uniformKernel(int size) {
        double[] k = new double[size];
        Arrays.fill(k, 1.0 / size);
        return k;
    }

    /** scipy.ndimage's Gaussian: exp(−x²/2σ²) on −r..r, normalised to sum 1. */
    public static double[] gaussianKernel(double sigma, int radius) {
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

    /**
     * Returns {@code value} unless it is not finite because an input holds a non-finite value; then says where.
     * Checking only a non-finite result keeps the common case free of an extra pass.
     */
    private static double requireFinite(double value, double[] reference, double[] candidate) {
        if (!Double.isFinite(value)) {
            checkFinite("reference", reference);
            checkFinite("candidate", candidate);
        }
        return value;
    }

    private static void checkFinite(String which, double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(which + " has a non-finite value (" + values[i] + ") at element " + i);
            }
        }
    }

    private static void checkDataRange(double dataRange) {
        if (!(dataRange > 0)) {
            throw new IllegalArgumentException("data range must be positive, got " + dataRange);
        }
    }

    /** The checks of the windowed metrics, which need two or more dimensions. */
    private static void checkShape(double[] x, double[] y, int[] dims) {
        checkSameLength(x, y);
        if (dims.length < 2) {
            throw new IllegalArgumentException("SSIM needs a 2D or 3D image, not " + dims.length + "D");
        }
        long elements = 1;
        for (int d : dims) {
            elements *= d;
        }
        if (elements != x.length) {
            throw new IllegalArgumentException("a " + shape(dims) + " image has " + elements + " elements, not "
                    + x.length);
        }
    }

    private static void checkSameLength(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("images differ in size: " + a.length + " vs " + b.length + " elements");
        }
        if (a.length == 0) {
            throw new IllegalArgumentException("images are empty");
        }
    }

    static String shape(int[] dims) {
        return String.join("×", Arrays.stream(dims).mapToObj(Integer::toString).toList());
    }
}
