import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.medsynth.eval.DistributionMetrics;

/**
 * Times DistributionMetrics.frechetDistance (means, covariances and the trace of the matrix square root) on two deterministic feature sets of N×D values, the same ones fid_benchmark.py
 * builds for scipy, and writes the time and the value as JSON for fid_benchmark.py to compare.
 * <p>
 * usage: java -cp org.medsynth.eval.jar FidBenchmark.java N D OUTPUT.json
 */
public final class FidBenchmark {
    /**
     * Sample {@code which} (0 reference, 1 candidate) as reference/fid_large_reference.py's features(): entry (i, j)
     * from murmur3's 64-bit finaliser of the counter (which·10⁶ + i)·d + j, bit-exact in numpy's uint64 arithmetic,
     * the candidate's columns scaled by 1 + j/d so that the two covariances differ.
     */
    static double[][] features(int which, int n, int d) {
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                long z = (which * 1_000_000L + i) * d + j;
                z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
                z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
                double u = ((z ^ (z >>> 33)) >>> 11) * 0x1.0p-53;
                x[i][j] = which == 0 ? u : u * (1 + (double) j / d);
            }
        }
        return x;
    }

    public static void main(String[] args) throws IOException {
        int n = Integer.parseInt(args[0]);
        int d = Integer.parseInt(args[1]);
        double[][] x = features(0, n, d);
        double[][] y = features(1, n, d);
        long start = System.nanoTime();
        double fid = DistributionMetrics.frechetDistance(x, y).value();
        double seconds = (System.nanoTime() - start) / 1e9;
        Files.writeString(Path.of(args[2]), String.format(Locale.ROOT,
                "{\"java\": \"%s\", \"processors\": %d, \"n\": %d, \"d\": %d, \"fid\": %.17g, \"seconds\": %.6f}%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), n, d, fid, seconds));
        System.out.printf(Locale.ROOT, "Java FID %.10g in %.2f s%n", fid, seconds);
    }
}
