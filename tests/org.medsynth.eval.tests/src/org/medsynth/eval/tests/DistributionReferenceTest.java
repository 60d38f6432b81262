package org.medsynth.eval.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsynth.eval.DistributionMetrics;
import org.medsynth.eval.DistributionMetrics.Value;
import org.medsynth.eval.SymmetricEigen;

/**
 * Distribution metrics against numpy/scipy/scikit-learn on closed-form feature matrices; the reference values and the
 * script that made them are in reference/ (distribution_reference.py, distribution_reference.json).
 */
class DistributionReferenceTest {
    private static final double FID_RELATIVE = 1e-4;
    private static final double RELATIVE = 1e-6;
    private static JsonObject reference;

    @BeforeAll
    static void loadReference() throws IOException {
        reference = ReferenceFiles.json("distribution_reference.json");
    }

    /** x[i][j] = sin(0.7i + 1.3j) + 0.1 j cos(0.37 i j + 0.5). */
    static double[][] referenceFeatures(int n, int d) {
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = Math.sin(0.7 * i + 1.3 * j) + 0.1 * j * Math.cos(0.37 * i * j + 0.5);
            }
        }
        return x;
    }

    /** y[i][j] = 1.1 sin(0.53i + 1.7j + 0.4) + 0.2 cos(1.9i − 0.6j) + 0.25. */
    static double[][] candidateFeatures(int n, int d) {
        double[][] y = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                y[i][j] = 1.1 * Math.sin(0.53 * i + 1.7 * j + 0.4) + 0.2 * Math.cos(1.9 * i - 0.6 * j) + 0.25;
            }
        }
        return y;
    }

    private static void assertRelative(double expected, double actual, double relative, String what) {
        assertEquals(expected, actual, Math.abs(expected) * relative, what);
    }

    private static double number(String... path) {
        JsonObject o = reference;
        for (int i = 0; i < path.length - 1; i++) {
            o = o.getAsJsonObject(path[i]);
        }
        return o.get(path[path.length - 1]).getAsDouble();
    }

    private static int[][] indexLists(JsonArray lists) {
        int[][] result = new int[lists.size()][];
        for (int s = 0; s < lists.size(); s++) {
            JsonArray list = lists.get(s).getAsJsonArray();
            result[s] = IntStream.range(0, list.size()).map(i -> list.get(i).getAsInt()).toArray();
        }
        return result;
    }

    @Test
    void fidMatchesPytorchFidsScipySqrtm() {
        Value fid = DistributionMetrics.frechetDistance(referenceFeatures(60, 8), candidateFeatures(50, 8));
        assertRelative(number("fid"), fid.value(), FID_RELATIVE, "fid");
        assertEquals(List.of(), fid.warnings());
        double[][] x = referenceFeatures(60, 8);
        assertRelative(number("fid_reference_vs_first_half_of_itself"),
                DistributionMetrics.frechetDistance(x, Arrays.copyOf(x, 30)).value(), FID_RELATIVE, "fid half");
    }

    @Test
    void identicalSamplesHaveFidZero() {
        double[][] x = referenceFeatures(60, 8);
        assertEquals(0, DistributionMetrics.frechetDistance(x, x).value(), 1e-9);
    }

    @Test
    void kidMatchesTorchFidelityOnTheSameSubsets() {
        JsonObject kid = reference.getAsJsonObject("kid");
        Value v = DistributionMetrics.kernelInceptionDistance(referenceFeatures(60, 8), candidateFeatures(50, 8),
                indexLists(kid.getAsJsonArray("x_subsets")), indexLists(kid.getAsJsonArray("y_subsets")));
        assertRelative(number("kid", "mean"), v.value(), RELATIVE, "kid");
        assertRelative(number("kid", "mean"), v.components().get("mean"), RELATIVE, "kid mean");
        assertRelative(number("kid", "sd"), v.components().get("sd"), RELATIVE, "kid sd");
    }

    @Test
    void randomSubsetsAreSeededAndWithoutReplacement() {
        int[][] subsets = DistributionMetrics.randomSubsets(50, 20, 30, 7);
        assertTrue(Arrays.deepEquals(subsets, DistributionMetrics.randomSubsets(50, 20, 30, 7)));
        assertTrue(!Arrays.deepEquals(subsets, DistributionMetrics.randomSubsets(50, 20, 30, 8)));
        for (int[] subset : subsets) {
            assertEquals(30, Arrays.stream(subset).distinct().filter(i -> i >= 0 && i < 50).count());
        }
        assertTrue(!Arrays.equals(subsets[0], subsets[1]), "each subset is a new draw");
    }

    @Test
    void gaussianMmdMatchesNumpy() {
        double[][] x = referenceFeatures(60, 8);
        double[][] y = candidateFeatures(50, 8);
        double median = DistributionMetrics.medianBandwidth(x, y);
        assertRelative(number("mmd", "median_bandwidth"), median, RELATIVE, "median bandwidth");
        assertRelative(number("mmd", "median"), DistributionMetrics.gaussianMmd(x, y, median).value(), RELATIVE, "mmd");
        assertRelative(number("mmd", "bandwidth_1_5"), DistributionMetrics.gaussianMmd(x, y, 1.5).value(), RELATIVE,
                "mmd σ 1.5");
    }

    @Test
    void precisionRecallDensityCoverageMatchPrdc() {
        double[][] x = referenceFeatures(60, 4);
        double[][] y = candidateFeatures(50, 4);
        for (int k : new int[] {3, 5}) {
            String key = "prdc_first_4_columns_k" + k;
            Value pr = DistributionMetrics.precisionRecall(x, y, k);
            assertRelative(number(key, "precision"), pr.value(), RELATIVE, key + " precision");
            assertRelative(number(key, "recall"), pr.components().get("recall"), RELATIVE, key + " recall");
            Value dc = DistributionMetrics.densityCoverage(x, y, k);
            assertRelative(number(key, "density"), dc.value(), RELATIVE, key + " density");
            assertRelative(number(key, "coverage"), dc.components().get("coverage"), RELATIVE, key + " coverage");
        }
    }

    @Test
    void inceptionScoreMatchesTheOriginalSplitting() {
        double[][] logits = new double[50][6];
        for (int i = 0; i < 50; i++) {
            for (int c = 0; c < 6; c++) {
                logits[i][c] = 2 * Math.sin(0.3 * i * (c + 1) + c);
            }
        }
        Value is = DistributionMetrics.inceptionScore(DistributionMetrics.softmax(logits), 5);
        assertRelative(number("inception_score_splits5", "mean"), is.value(), RELATIVE, "IS");
        assertRelative(number("inception_score_splits5", "sd"), is.components().get("sd"), RELATIVE, "IS sd");
    }

    @Test
    void tinySamplesCarryAWarningWithTheCount() {
        Value fid = DistributionMetrics.frechetDistance(referenceFeatures(5, 8), candidateFeatures(50, 8));
        assertTrue(fid.warnings().stream().anyMatch(w -> w.contains("has 5 images for 8 features")),
                fid.warnings().toString());
        Value single = DistributionMetrics.frechetDistance(referenceFeatures(1, 8), candidateFeatures(50, 8));
        assertTrue(Double.isNaN(single.value()));
        assertTrue(single.warnings().get(0).contains("has 1 image(s)"), single.warnings().toString());
        Value kid = DistributionMetrics.kernelInceptionDistance(referenceFeatures(1, 8), candidateFeatures(50, 8),
                new int[][] {{0}}, new int[][] {{0}});
        assertTrue(Double.isNaN(kid.value()));
        assertTrue(kid.warnings().get(0).contains("has 1 image(s)"), kid.warnings().toString());
        Value pr = DistributionMetrics.precisionRecall(referenceFeatures(12, 4), candidateFeatures(50, 4), 3);
        assertTrue(pr.warnings().get(0).contains("only 12 images"), pr.warnings().toString());
        IllegalArgumentException tooFew = assertThrows(IllegalArgumentException.class,
                () -> DistributionMetrics.densityCoverage(referenceFeatures(5, 4), candidateFeatures(50, 4), 5));
        assertTrue(tooFew.getMessage().contains("got 5 reference"), tooFew.getMessage());
    }

    @Test
    void nonFiniteFeaturesAreRefusedWithRowAndColumn() {
        double[][] y = candidateFeatures(50, 8);
        y[3][2] = Double.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DistributionMetrics.frechetDistance(referenceFeatures(60, 8), y));
        assertEquals("the candidate features have a non-finite value (NaN) in row 3, column 2", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DistributionMetrics.gaussianMmd(y, y, 1));
        IllegalArgumentException columns = assertThrows(IllegalArgumentException.class,
                () -> DistributionMetrics.precisionRecall(referenceFeatures(60, 8), candidateFeatures(50, 4), 3));
        assertTrue(columns.getMessage().contains("4 columns in row 0 but 8 are expected"), columns.getMessage());
    }

    @Test
    void symmetricEigenReconstructsTheMatrix() {
        double[][] x = referenceFeatures(60, 8);
        double[][] a = new double[8][8];
        for (double[] row : x) {
            for (int i = 0; i < 8; i++) {
                for (int j = 0; j < 8; j++) {
                    a[i][j] += row[i] * row[j] - (i == j ? 0.5 : 0);
                }
            }
        }
        SymmetricEigen eigen = new SymmetricEigen(a);
        double[] values = eigen.values();
        double[][] v = eigen.vectors();
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) {
                double s = 0;
                for (int k = 0; k < 8; k++) {
                    s += v[i][k] * values[k] * v[j][k];
                }
                assertEquals(a[i][j], s, 1e-10 * Math.abs(values[7]));
            }
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        assertArrayEquals(sorted, values);
        assertNotEquals(values[0], values[7]);
        assertArrayEquals(values, SymmetricEigen.eigenvalues(a), 1e-12 * Math.abs(values[7]),
                "without vectors the same eigenvalues");
        double[][] root = eigen.sqrtPsd();
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) {
                double s = 0;
                for (int k = 0; k < 8; k++) {
                    s += root[i][k] * root[k][j];
                }
                // a has 6 negative eigenvalues (0.5·60 was subtracted from the diagonal), so root² is its PSD part
                double psd = 0;
                for (int k = 0; k < 8; k++) {
                    psd += v[i][k] * Math.max(values[k], 0) * v[j][k];
                }
                assertEquals(psd, s, 1e-10 * Math.abs(values[7]));
            }
        }
    }
}
