package org.medsynth.eval.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsynth.eval.stats.Bootstrap;
import org.medsynth.eval.stats.Bootstrap.Method;
import org.medsynth.eval.stats.DeLong;
import org.medsynth.eval.stats.Distributions;
import org.medsynth.eval.stats.HypothesisTests;
import org.medsynth.eval.stats.HypothesisTests.WilcoxonResult;
import org.medsynth.eval.stats.Summary;

/**
 * Statistics against scipy.stats and scikit-learn on closed-form data; reference values and the script that made them
 * are in reference/ (statistics_reference.py, statistics_reference.json).
 */
class StatisticsReferenceTest {
    private static final double RELATIVE = 1e-6;
    private static final double P_ABSOLUTE = 1e-12;
    private static JsonObject reference;

    @BeforeAll
    static void loadReference() throws IOException {
        reference = ReferenceFiles.json("statistics_reference.json");
    }

    static double[][] pairedDistinct() {
        double[] x = new double[20];
        double[] y = new double[20];
        for (int i = 0; i < 20; i++) {
            x[i] = 30 + 3 * Math.sin(1.7 * i) + 0.1 * i;
            y[i] = x[i] - 0.8 - 1.2 * Math.cos(2.3 * i);
        }
        return new double[][] {x, y};
    }

    static double[][] pairedTies() {
        double[] x = new double[30];
        double[] y = new double[30];
        for (int i = 0; i < 30; i++) {
            x[i] = (i * 7) % 11;
            y[i] = (i * 3) % 5 + 2;
        }
        return new double[][] {x, y};
    }

    static double[][] pairedLarge() {
        double[] x = new double[60];
        double[] y = new double[60];
        for (int i = 0; i < 60; i++) {
            x[i] = 10 * Math.sin(0.37 * i);
            y[i] = 10 * Math.cos(0.91 * i) - 1.5;
        }
        return new double[][] {x, y};
    }

    private static void assertRelative(double expected, double actual, String what) {
        assertEquals(expected, actual, Math.abs(expected) * RELATIVE, what);
    }

    private static void assertPValue(double expected, double actual, String what) {
        assertEquals(expected, actual, Math.max(Math.abs(expected) * RELATIVE, P_ABSOLUTE), what);
    }

    private static void checkPaired(String key, double[][] data, boolean expectExact) {
        JsonObject r = reference.getAsJsonObject(key);
        Summary s = Summary.of(data[0]);
        assertEquals(data[0].length, s.n());
        assertRelative(r.get("mean_x").getAsDouble(), s.mean(), key + " mean");
        assertRelative(r.get("sd_x").getAsDouble(), s.sd(), key + " sd");
        HypothesisTests.Result t = HypothesisTests.pairedTTest(data[0], data[1]);
        assertRelative(r.get("ttest_statistic").getAsDouble(), t.statistic(), key + " t");
        assertPValue(r.get("ttest_pvalue").getAsDouble(), t.pValue(), key + " t-test p");
        WilcoxonResult w = HypothesisTests.wilcoxon(data[0], data[1], false);
        assertEquals(expectExact, w.exact(), key + " exact Wilcoxon");
        JsonArray expected = r.getAsJsonArray("wilcoxon");
        assertRelative(expected.get(0).getAsDouble(), w.statistic(), key + " Wilcoxon statistic");
        assertPValue(expected.get(1).getAsDouble(), w.pValue(), key + " Wilcoxon p");
        if (r.has("wilcoxon_continuity")) {
            WilcoxonResult corrected = HypothesisTests.wilcoxon(data[0], data[1], true);
            assertPValue(r.getAsJsonArray("wilcoxon_continuity").get(1).getAsDouble(), corrected.pValue(),
                    key + " Wilcoxon p with continuity correction");
        }
    }

    @Test
    void pairedTestsWithoutTiesMatchScipy() {
        checkPaired("distinct", pairedDistinct(), true);
    }

    @Test
    void pairedTestsWithZerosAndTiesUseTheCorrectedNormalApproximation() {
        checkPaired("ties", pairedTies(), false);
    }

    @Test
    void pairedTestsAboveTheExactLimitUseTheNormalApproximation() {
        checkPaired("large", pairedLarge(), false);
    }

    @Test
    void binomialTestMatchesScipyBinomtest() {
        for (JsonElement e : reference.getAsJsonArray("binomial")) {
            JsonObject c = e.getAsJsonObject();
            int k = c.get("k").getAsInt();
            int n = c.get("n").getAsInt();
            double p = c.get("p").getAsDouble();
            HypothesisTests.Result r = HypothesisTests.binomialTest(k, n, p);
            assertPValue(c.get("pvalue").getAsDouble(), r.pValue(), "binomtest(" + k + ", " + n + ", " + p + ")");
            assertEquals((double) k / n, r.statistic());
        }
    }

    @Test
    void bootstrapIntervalsMatchScipyOnTheSameResamples() {
        JsonObject b = reference.getAsJsonObject("bootstrap");
        int[][] indices = b.getAsJsonArray("indices").asList().stream()
                .map(row -> Arrays.stream(row.getAsString().split(" ")).mapToInt(Integer::parseInt).toArray())
                .toArray(int[][]::new);
        double[] data = pairedDistinct()[0];
        JsonObject expected = b.getAsJsonObject("mean");
        for (Method method : Method.values()) {
            for (double level : new double[] {0.95, 0.9}) {
                String key = (method == Method.BCA ? "BCa" : "percentile") + "_" + level;
                Bootstrap.Interval ci = Bootstrap.interval(data, Bootstrap.MEAN, method, level, indices);
                assertRelative(expected.getAsJsonArray(key).get(0).getAsDouble(), ci.low(), key + " low");
                assertRelative(expected.getAsJsonArray(key).get(1).getAsDouble(), ci.high(), key + " high");
                assertEquals(Summary.of(data).mean(), ci.estimate());
            }
        }
    }

    @Test
    void seededBootstrapIsReproducibleAndCoversTheMean() {
        double[] data = pairedDistinct()[0];
        Bootstrap.Interval first = Bootstrap.interval(data, Bootstrap.MEAN, Method.BCA, 0.95, 2000, 7);
        assertEquals(first, Bootstrap.interval(data, Bootstrap.MEAN, Method.BCA, 0.95, 2000, 7));
        assertFalse(first.equals(Bootstrap.interval(data, Bootstrap.MEAN, Method.BCA, 0.95, 2000, 8)));
        assertTrue(first.low() < first.estimate() && first.estimate() < first.high(), first.toString());
        // the percentile interval from 2000 resamples is close to the t interval of the mean
        Summary s = Summary.of(data);
        double half = 2.093 * s.sd() / Math.sqrt(data.length);
        Bootstrap.Interval percentile = Bootstrap.interval(data, Bootstrap.MEAN, Method.PERCENTILE, 0.95, 2000, 7);
        assertEquals(s.mean() - half, percentile.low(), 0.25 * half);
        assertEquals(s.mean() + half, percentile.high(), 0.25 * half);
    }

    static boolean[] rocPositive() {
        boolean[] positive = new boolean[40];
        for (int i = 0; i < 40; i++) {
            positive[i] = i % 3 != 0;
        }
        return positive;
    }

    static double[][] rocScores() {
        boolean[] positive = rocPositive();
        double[] first = new double[40];
        double[] second = new double[40];
        for (int i = 0; i < 40; i++) {
            double label = positive[i] ? 1 : 0;
            first[i] = label + Math.sin(2.1 * i);
            second[i] = Math.floor(4 * (0.6 * label + Math.cos(1.3 * i))) / 4;
        }
        return new double[][] {first, second};
    }

    @Test
    void deLongMatchesADirectImplementationAndScikitLearnsAuc() {
        JsonObject r = reference.getAsJsonObject("delong");
        double[][] scores = rocScores();
        DeLong.Comparison c = DeLong.compare(scores[0], scores[1], rocPositive(), 0.95);
        DeLong.Auc[] aucs = {c.first(), c.second()};
        for (int k = 0; k < 2; k++) {
            assertRelative(r.getAsJsonArray("auc_sklearn").get(k).getAsDouble(), aucs[k].auc(), "AUC " + k);
            assertRelative(r.getAsJsonArray("variance").get(k).getAsDouble(), aucs[k].variance(), "variance " + k);
            JsonArray ci = r.getAsJsonArray("ci95").get(k).getAsJsonArray();
            assertRelative(ci.get(0).getAsDouble(), aucs[k].low(), "CI low " + k);
            assertRelative(ci.get(1).getAsDouble(), aucs[k].high(), "CI high " + k);
            assertEquals(aucs[k], DeLong.auc(scores[k], rocPositive(), 0.95), "single-AUC form " + k);
        }
        assertRelative(r.get("covariance").getAsDouble(), c.covariance(), "covariance");
        assertRelative(r.get("z").getAsDouble(), c.z(), "z");
        assertPValue(r.get("pvalue").getAsDouble(), c.pValue(), "DeLong p");
    }

    @Test
    void specialFunctionsAtKnownValues() {
        assertRelative(0.5 * Math.log(Math.PI), Distributions.logGamma(0.5), "lnΓ(1/2)");
        assertRelative(Math.log(362880), Distributions.logGamma(10), "lnΓ(10)");
        assertRelative(0.975, Distributions.normalCdf(Distributions.normalQuantile(0.975)), "Φ(Φ⁻¹)");
        assertRelative(1.959963984540054, Distributions.normalQuantile(0.975), "z 0.975");
        assertRelative(7.61985302416047e-24, Distributions.normalSf(10), "upper tail at 10σ");
        // t with 1 degree of freedom is Cauchy: P(T ≤ 1) = 3/4
        assertRelative(0.75, Distributions.studentTCdf(1, 1), "Cauchy");
    }

    @Test
    void undefinedTestsSaySo() {
        double[] same = {1, 2, 3};
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> HypothesisTests.wilcoxon(same, same, false));
        assertTrue(zero.getMessage().contains("all paired differences are zero"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HypothesisTests.pairedTTest(same, new double[] {2, 3, 4}));
        assertThrows(IllegalArgumentException.class, () -> HypothesisTests.binomialTest(5, 4, 0.5));
        IllegalArgumentException few = assertThrows(IllegalArgumentException.class,
                () -> DeLong.auc(new double[] {1, 2, 3}, new boolean[] {true, false, false}, 0.95));
        assertTrue(few.getMessage().contains("2 positives"), few.getMessage());
    }
}
