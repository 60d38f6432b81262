package org.medsynth.eval.stats;

/**
 * Sample size, mean and sample standard deviation (divisor n − 1; NaN for fewer than two values).
 */
public record Summary(int n, double mean, double sd) {

    public static Summary of(double[] values) {
        int n = values.length;
        if (n == 0) {
            return new Summary(0, Double.NaN, Double.NaN);
        }
        double mean = mean(values);
        if (n == 1) {
            return new Summary(1, mean, Double.NaN);
        }
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        return new Summary(n, mean, Math.sqrt(ss / (n - 1)));
    }

    static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }
}
