package org.medsynth.eval.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;

import com.google.gson.JsonObject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsynth.eval.DistributionMetrics;

/**
 * FID on hundreds of features against pytorch-fid's formula (fid_large_reference.py), through each of the three
 * ways {@link DistributionMetrics#frechetDistance} takes the trace of the matrix square root.
 */
class FidReferenceTest {
    private static final double FID_RELATIVE = 1e-4;
    private static JsonObject reference;

    @BeforeAll
    static void load() throws IOException {
        reference = ReferenceFiles.json("fid_large_reference.json");
    }

    /** murmur3's 64-bit finaliser of a counter to [0, 1), as fid_large_reference.py's hashed(). */
    private static double hashed(long counter) {
        long z = counter;
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return ((z ^ (z >>> 33)) >>> 11) * 0x1.0p-53;
    }

    private static double[][] features(int sample, int n, int d) {
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double u = hashed((sample * 1_000_000L + i) * d + j);
                x[i][j] = sample == 0 ? u : u * (1 + (double) j / d);
            }
        }
        return x;
    }

    private static void assertFid(String key, double[][] x, double[][] y) {
        double expected = reference.get(key).getAsDouble();
        assertEquals(expected, DistributionMetrics.frechetDistance(x, y).value(), FID_RELATIVE * expected, key);
    }

    @Test
    void fewerImagesThanFeaturesThroughTheGramMatrix() {
        assertFid("gram_300_vs_260_at_512", features(0, 300, 512), features(1, 260, 512));
    }

    @Test
    void moreImagesThanFeaturesThroughTheCholeskyFactor() {
        assertFid("cholesky_700_vs_650_at_512", features(0, 700, 512), features(1, 650, 512));
    }

    @Test
    void collinearFeaturesThroughThePsdSquareRoot() {
        double[][] x = features(0, 200, 64);
        for (double[] row : x) {
            row[1] = 2 * row[0];
        }
        assertFid("collinear_200_vs_180_at_64", x, features(1, 180, 64));
    }
}
