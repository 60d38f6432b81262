import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.medsynth.eval.ImageMetrics;
import org.medsynth.eval.ImageMetrics.SsimOptions;

/**
 * Times ImageMetrics.ssim (scikit-image's defaults, and Wang et al.'s Gaussian window) and ImageMetrics.psnr on
 * deterministic 512² pairs, the same ones
 * benchmark.py builds for scikit-image, and writes the times and every value as JSON for benchmark.py to compare.
 * Pairs are built one at a time outside the timed calls, so memory stays flat for any number of pairs.
 * <p>
 * usage: java -cp org.medsynth.eval.jar PairedMetricsBenchmark.java PAIRS OUTPUT.json
 */
public final class PairedMetricsBenchmark {
    private static final int SIDE = 512;
    private static final int WARM_UP_PAIRS = 20;

    /** Pair i, x fastest; benchmark.py's pair(i) is the same formula. */
    static double[][] pair(int i) {
        double[] ref = new double[SIDE * SIDE];
        double[] cand = new double[ref.length];
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                int k = y * SIDE + x;
                ref[k] = 100 * Math.sin(x / (5.0 + i % 7)) * Math.cos(y / (7.0 + i % 5)) + 0.5 * x + 20;
                cand[k] = ref[k] + 10 * Math.sin(x * 12.9898 + y * 78.233 + 0.1 * i);
            }
        }
        return new double[][] {ref, cand};
    }

    static double range(double[] values) {
        return Arrays.stream(values).max().orElseThrow() - Arrays.stream(values).min().orElseThrow();
    }

    public static void main(String[] args) throws IOException {
        int pairs = Integer.parseInt(args[0]);
        Path output = Path.of(args[1]);
        int[] dims = {SIDE, SIDE};
        // let the JIT compile the loops before anything is timed
        for (int i = 0; i < WARM_UP_PAIRS; i++) {
            double[][] p = pair(i);
            ImageMetrics.ssim(p[0], p[1], dims, range(p[0]), SsimOptions.SCIKIT_IMAGE_DEFAULTS);
            ImageMetrics.ssim(p[0], p[1], dims, range(p[0]), SsimOptions.WANG_2004);
            ImageMetrics.psnr(p[0], p[1], range(p[0]));
        }
        double[] ssim = new double[pairs];
        double[] gaussianSsim = new double[pairs];
        double[] psnr = new double[pairs];
        long ssimNanos = 0;
        long gaussianNanos = 0;
        long psnrNanos = 0;
        for (int i = 0; i < pairs; i++) {
            double[][] p = pair(i);
            double r = range(p[0]);
            long start = System.nanoTime();
            ssim[i] = ImageMetrics.ssim(p[0], p[1], dims, r, SsimOptions.SCIKIT_IMAGE_DEFAULTS);
            long afterSsim = System.nanoTime();
            gaussianSsim[i] = ImageMetrics.ssim(p[0], p[1], dims, r, SsimOptions.WANG_2004);
            long afterGaussian = System.nanoTime();
            psnr[i] = ImageMetrics.psnr(p[0], p[1], r);
            psnrNanos += System.nanoTime() - afterGaussian;
            gaussianNanos += afterGaussian - afterSsim;
            ssimNanos += afterSsim - start;
        }
        String json = String.format(Locale.ROOT,
                "{\"java\": \"%s\", \"processors\": %d, \"pairs\": %d, \"side\": %d, \"ssim_seconds\": %.6f, "
                        + "\"gaussian_ssim_seconds\": %.6f, \"psnr_seconds\": %.6f, \"ssim\": %s, "
                        + "\"gaussian_ssim\": %s, \"psnr\": %s}%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), pairs, SIDE, ssimNanos / 1e9,
                gaussianNanos / 1e9, psnrNanos / 1e9, list(ssim), list(gaussianSsim), list(psnr));
        Files.writeString(output, json);
    }

    private static String list(double[] values) {
        return Arrays.stream(values).mapToObj(v -> String.format(Locale.ROOT, "%.17g", v))
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
