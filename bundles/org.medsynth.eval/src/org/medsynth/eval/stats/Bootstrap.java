package org.medsynth.eval.stats;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Bootstrap confidence intervals of a one-sample statistic, percentile or BCa, computed as scipy.stats.bootstrap
 * computes them from the same resamples (np.percentile's linear interpolation; BCa after Efron and Tibshirani 1993,
 * §14.3, with the jackknife acceleration). Resamples come from a seed, so equal seeds give equal intervals.
 */
public final class Bootstrap {
    /** Interval construction. */
    public enum Method {
        PERCENTILE, BCA
    }

    /** A confidence interval; NaN bounds when it cannot be computed (e.g. a degenerate bootstrap distribution). */
    public record Interval(double estimate, double low, double high, double confidence, Method method) {
    }

    private Bootstrap() {
    }

    /** The mean of the values, the statistic most reports use. */
    public static final ToDoubleFunction<double[]> MEAN = Summary::mean;

    /**
     * Interval from {@code resamples} resamples drawn with a {@link SplittableRandom} seeded with {@code seed}.
     *
     * @param confidence e.g. 0.95
     */
    public static Interval interval(double[] data, ToDoubleFunction<double[]> statistic, Method method,
            double confidence, int resamples, long seed) {
        if (resamples < 2) {
            throw new IllegalArgumentException("need at least 2 bootstrap resamples, got " + resamples);
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[][] indices = new int[resamples][data.length];
        for (int[] row : indices) {
            for (int i = 0; i < row.length; i++) {
                row[i] = random.nextInt(data.length);
            }
        }
        return interval(data, statistic, method, confidence, indices);
    }

    /** Interval from given resamples: row b holds the indices of the data drawn for resample b. */
    public static Interval interval(double[] data, ToDoubleFunction<double[]> statistic, Method method,
            double confidence, int[][] resampleIndices) {
        if (data.length < 2) {
            throw new IllegalArgumentException("a bootstrap interval needs at least 2 values, got " + data.length);
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be between 0 and 1, got " + confidence);
        }
        double estimate = statistic.applyAsDouble(data);
        double[] replicates = new double[resampleIndices.length];
        double[] resample = new double[data.length];
        for (int b = 0; b < replicates.length; b++) {
            for (int i = 0; i < resample.length; i++) {
                resample[i] = data[resampleIndices[b][i]];
            }
            replicates[b] = statistic.applyAsDouble(resample);
        }
        Arrays.sort(replicates);
        double alpha = (1 - confidence) / 2;
        double lowFraction = alpha;
        double highFraction = 1 - alpha;
        if (method == Method.BCA) {
            double z0 = Distributions.normalQuantile(fractionBelow(replicates, estimate));
            double a = acceleration(data, statistic);
            lowFraction = adjusted(z0, a, Distributions.normalQuantile(alpha));
            highFraction = adjusted(z0, a, -Distributions.normalQuantile(alpha));
        }
        return new Interval(estimate, percentile(replicates, lowFraction), percentile(replicates, highFraction),
                confidence, method);
    }

    private static double adjusted(double z0, double a, double z) {
        double num = z0 + z;
        return Distributions.normalCdf(z0 + num / (1 - a * num));
    }

    /** scipy's percentile of score, 'mean' kind: (#below + #below-or-equal) / 2B. */
    private static double fractionBelow(double[] sorted, double score) {
        int below = 0;
        int belowOrEqual = 0;
        for (double v : sorted) {
            below += v < score ? 1 : 0;
            belowOrEqual += v <= score ? 1 : 0;
        }
        return (below + belowOrEqual) / (2.0 * sorted.length);
    }

    /** Jackknife acceleration: Σu³ / (6 (Σu²)^{3/2}) with u_i = mean of the leave-one-out values − value i. */
    private static double acceleration(double[] data, ToDoubleFunction<double[]> statistic) {
        int n = data.length;
        double[] leaveOneOut = new double[n];
        double[] rest = new double[n - 1];
        for (int i = 0; i < n; i++) {
            for (int j = 0, k = 0; j < n; j++) {
                if (j != i) {
                    rest[k++] = data[j];
                }
            }
            leaveOneOut[i] = statistic.applyAsDouble(rest);
        }
        double mean = Summary.mean(leaveOneOut);
        double cubes = 0;
        double squares = 0;
        for (double v : leaveOneOut) {
            double u = mean - v;
            cubes += u * u * u;
            squares += u * u;
        }
        return cubes / (6 * Math.pow(squares, 1.5));
    }

    /** np.percentile with linear interpolation, at a fraction in [0, 1]; NaN fraction gives NaN. */
    static double percentile(double[] sorted, double fraction) {
        if (Double.isNaN(fraction)) {
            return Double.NaN;
        }
        double position = fraction * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        double t = position - below;
        return sorted[below] + (sorted[above] - sorted[below]) * t;
    }
}
