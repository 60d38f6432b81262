package org.medsynth.eval.stats;

import java.util.Arrays;

/**
 * Two-sided tests for paired measurements and for reader studies, defined as scipy.stats defines them so results
 * agree with scipy (reference values and the script that produced them are kept with the tests).
 */
public final class HypothesisTests {
    /** Largest number of non-zero differences for which the Wilcoxon p-value is exact (scipy's 'auto' limit). */
    public static final int WILCOXON_EXACT_LIMIT = 50;

    private HypothesisTests() {
    }

    /** A test statistic and its two-sided p-value. */
    public record Result(double statistic, double pValue) {
    }

    /**
     * A Wilcoxon signed-rank result.
     *
     * @param statistic min(R+, R−), scipy's two-sided statistic
     * @param exact     whether the p-value comes from the exact null distribution
     * @param z         the normal-approximation z (NaN when exact)
     * @param n         number of non-zero differences used
     */
    public record WilcoxonResult(double statistic, double pValue, boolean exact, double z, int n) {
    }

    /** Paired t-test on x − y (scipy.stats.ttest_rel); statistic t with n − 1 degrees of freedom. */
    public static Result pairedTTest(double[] x, double[] y) {
        double[] d = differences(x, y);
        if (d.length < 2) {
            throw new IllegalArgumentException("a paired t-test needs at least 2 pairs, got " + d.length);
        }
        Summary s = Summary.of(d);
        if (s.sd() == 0) {
            throw new IllegalArgumentException("all paired differences are equal (" + s.mean() + "): t is undefined");
        }
        double t = s.mean() / (s.sd() / Math.sqrt(d.length));
        return new Result(t, Distributions.studentTTwoSided(t, d.length - 1));
    }

    /**
     * Wilcoxon signed-rank test on x − y, two-sided, zeros dropped (scipy's zero_method='wilcox'). The p-value is
     * exact for at most {@value #WILCOXON_EXACT_LIMIT} differences with neither zeros nor tied magnitudes, as
     * scipy's default method='auto'; otherwise it is the normal approximation with the tie correction of the
     * variance, and with a continuity correction of 0.5 only when asked (scipy's default correction=False). Unlike
     * scipy 1.10, tied magnitudes also switch to the approximation: the exact distribution assumes distinct ranks.
     */
    public static WilcoxonResult wilcoxon(double[] x, double[] y, boolean continuityCorrection) {
        double[] nonZero = Arrays.stream(differences(x, y)).filter(v -> v != 0).toArray();
        int n = nonZero.length;
        if (n == 0) {
            throw new IllegalArgumentException("all paired differences are zero: the Wilcoxon test is undefined");
        }
        double[] magnitudes = Arrays.stream(nonZero).map(Math::abs).toArray();
        double[] ranks = Ranks.average(magnitudes);
        double rPlus = 0;
        double rMinus = 0;
        for (int i = 0; i < n; i++) {
            if (nonZero[i] > 0) {
                rPlus += ranks[i];
            } else {
                rMinus += ranks[i];
            }
        }
        double statistic = Math.min(rPlus, rMinus);
        boolean hadZeros = n < x.length;
        int[] tieSizes = Ranks.tieSizes(magnitudes);
        if (n <= WILCOXON_EXACT_LIMIT && !hadZeros && tieSizes.length == 0) {
            return new WilcoxonResult(statistic, exactSignedRankP((int) rPlus, n), true, Double.NaN, n);
        }
        double mean = n * (n + 1) / 4.0;
        double variance = n * (n + 1.0) * (2.0 * n + 1);
        for (int t : tieSizes) {
            variance -= 0.5 * t * ((double) t * t - 1);
        }
        double se = Math.sqrt(variance / 24);
        double correction = continuityCorrection ? 0.5 * Math.signum(statistic - mean) : 0;
        double z = (statistic - mean - correction) / se;
        return new WilcoxonResult(statistic, Math.min(1, 2 * Distributions.normalSf(Math.abs(z))), false, z, n);
    }

    /** Two-sided exact p of a signed-rank sum R+ over n distinct ranks: 2·min(P(R ≤ r), P(R ≥ r)), at most 1. */
    private static double exactSignedRankP(int rPlus, int n) {
        int max = n * (n + 1) / 2;
        // counts[s] = number of sign patterns with R+ = s; below 2^53 for n ≤ 50, so doubles count exactly
        double[] counts = new double[max + 1];
        counts[0] = 1;
        for (int rank = 1; rank <= n; rank++) {
            for (int s = rank * (rank + 1) / 2; s >= rank; s--) {
                counts[s] += counts[s - rank];
            }
        }
        if (2 * rPlus == max) {
            return 1;
        }
        double total = Math.pow(2, n);
        double less = 0;
        for (int s = 0; s <= rPlus; s++) {
            less += counts[s];
        }
        double greater = 0;
        for (int s = rPlus; s <= max; s++) {
            greater += counts[s];
        }
        return Math.min(1, 2 * Math.min(less, greater) / total);
    }

    /**
     * Exact two-sided binomial test of k successes in n trials against probability p (scipy.stats.binomtest): the
     * p-value sums the probabilities of all outcomes no more likely than k (with scipy's relative slack of 1e-7).
     * For a 2AFC or real/fake reader study, k is the number of correct answers and p = 0.5 is chance.
     */
    public static Result binomialTest(int k, int n, double p) {
        if (n < 1 || k < 0 || k > n) {
            throw new IllegalArgumentException("binomial test needs 0 ≤ k ≤ n and n ≥ 1, got k=" + k + ", n=" + n);
        }
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("probability must be in [0, 1], got " + p);
        }
        double proportion = (double) k / n;
        double d = Distributions.binomialPmf(k, n, p);
        double slack = d * (1 + 1e-7);
        double pValue;
        if (k == p * n) {
            pValue = 1;
        } else if (k < p * n) {
            // the first outcome above the mode at least as unlikely as k
            int first = (int) Math.ceil(p * n);
            while (first <= n && Distributions.binomialPmf(first, n, p) > slack) {
                first++;
            }
            pValue = Distributions.binomialCdf(k, n, p) + Distributions.binomialSf(first - 1, n, p);
        } else {
            int last = (int) Math.floor(p * n);
            while (last >= 0 && Distributions.binomialPmf(last, n, p) > slack) {
                last--;
            }
            pValue = Distributions.binomialCdf(last, n, p) + Distributions.binomialSf(k - 1, n, p);
        }
        return new Result(proportion, Math.min(1, pValue));
    }

    private static double[] differences(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("paired samples differ in length: " + x.length + " vs " + y.length);
        }
        double[] d = new double[x.length];
        for (int i = 0; i < d.length; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                throw new IllegalArgumentException("pair " + i + " has a non-finite value: " + x[i] + ", " + y[i]);
            }
            d[i] = x[i] - y[i];
        }
        return d;
    }
}
