package org.medsynth.eval.stats;

/**
 * Area under the ROC curve with DeLong's variance, and DeLong's test for two correlated AUCs measured on the same
 * cases (DeLong, DeLong and Clarke-Pearson 1988), computed with the midrank algorithm of Sun and Xu (2014). Higher
 * scores mean "more likely positive"; ties count one half.
 */
public final class DeLong {
    private DeLong() {
    }

    /** An AUC with its DeLong variance and a Wald interval clipped to [0, 1]. */
    public record Auc(double auc, double variance, double low, double high, double confidence) {
    }

    /**
     * Two AUCs on the same cases and the two-sided test of their difference.
     *
     * @param z the difference divided by its DeLong standard error
     */
    public record Comparison(Auc first, Auc second, double difference, double covariance, double z, double pValue) {
    }

    /** AUC of one score per case; {@code positive[i]} says whether case i is a positive. */
    public static Auc auc(double[] scores, boolean[] positive, double confidence) {
        Components c = components(scores, positive);
        return auc(c.auc, c.s10[0][0] / c.m + c.s01[0][0] / c.n, confidence);
    }

    /** Compares the AUCs of two scores on the same cases. */
    public static Comparison compare(double[] first, double[] second, boolean[] positive, double confidence) {
        Components a = components(first, positive);
        Components b = components(second, positive);
        double[][] v10 = {a.v10, b.v10};
        double[][] v01 = {a.v01, b.v01};
        double[][] s10 = covariance(v10);
        double[][] s01 = covariance(v01);
        double varA = s10[0][0] / a.m + s01[0][0] / a.n;
        double varB = s10[1][1] / a.m + s01[1][1] / a.n;
        double cov = s10[0][1] / a.m + s01[0][1] / a.n;
        double difference = a.auc - b.auc;
        double z = difference / Math.sqrt(varA + varB - 2 * cov);
        return new Comparison(auc(a.auc, varA, confidence), auc(b.auc, varB, confidence), difference, cov, z,
                2 * Distributions.normalSf(Math.abs(z)));
    }

    private static Auc auc(double auc, double variance, double confidence) {
        double half = Distributions.normalQuantile(0.5 + confidence / 2) * Math.sqrt(variance);
        return new Auc(auc, variance, Math.max(0, auc - half), Math.min(1, auc + half), confidence);
    }

    /** Structural components: v10[i] = P(score of positive i > a negative), v01[j] = P(a positive > negative j). */
    private record Components(double auc, double[] v10, double[] v01, int m, int n, double[][] s10, double[][] s01) {
    }

    private static Components components(double[] scores, boolean[] positive) {
        if (scores.length != positive.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + positive.length + " labels");
        }
        int m = 0;
        for (boolean p : positive) {
            m += p ? 1 : 0;
        }
        int n = scores.length - m;
        if (m < 2 || n < 2) {
            throw new IllegalArgumentException("DeLong's variance needs at least 2 positives and 2 negatives, got "
                    + m + " and " + n);
        }
        double[] x = new double[m];
        double[] y = new double[n];
        for (int i = 0, xi = 0, yi = 0; i < scores.length; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new IllegalArgumentException("score " + i + " is not finite: " + scores[i]);
            }
            if (positive[i]) {
                x[xi++] = scores[i];
            } else {
                y[yi++] = scores[i];
            }
        }
        double[] all = new double[m + n];
        System.arraycopy(x, 0, all, 0, m);
        System.arraycopy(y, 0, all, m, n);
        double[] rankAll = Ranks.average(all);
        double[] rankX = Ranks.average(x);
        double[] rankY = Ranks.average(y);
        double[] v10 = new double[m];
        double[] v01 = new double[n];
        double sum = 0;
        for (int i = 0; i < m; i++) {
            v10[i] = (rankAll[i] - rankX[i]) / n;
            sum += v10[i];
        }
        for (int j = 0; j < n; j++) {
            v01[j] = 1 - (rankAll[m + j] - rankY[j]) / m;
        }
        return new Components(sum / m, v10, v01, m, n, covariance(new double[][] {v10}),
                covariance(new double[][] {v01}));
    }

    /** Sample covariance matrix (divisor k − 1) of the rows. */
    private static double[][] covariance(double[][] rows) {
        int k = rows[0].length;
        double[] means = new double[rows.length];
        for (int r = 0; r < rows.length; r++) {
            means[r] = Summary.mean(rows[r]);
        }
        double[][] cov = new double[rows.length][rows.length];
        for (int a = 0; a < rows.length; a++) {
            for (int b = 0; b < rows.length; b++) {
                double s = 0;
                for (int i = 0; i < k; i++) {
                    s += (rows[a][i] - means[a]) * (rows[b][i] - means[b]);
                }
                cov[a][b] = s / (k - 1);
            }
        }
        return cov;
    }
}
