package org.medsynth.radiography.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.medsynth.data.examples.InvesaliusHeadCt;
import org.medsynth.radiography.tomography.SkullPhantom;

/** The head-like training volumes: seeded, bone densities in [0, 1], all inside the sphere of radius ½. */
class SkullPhantomTest {
    private static final int N = 32;

    @Test
    void skullsAreSeededAndVary() {
        float[] first = SkullPhantom.sample(new SplittableRandom(5), N);
        assertArrayEquals(first, SkullPhantom.sample(new SplittableRandom(5), N));
        assertFalse(Arrays.equals(first, SkullPhantom.sample(new SplittableRandom(6), N)));
    }

    @Test
    void skullsAreBoneInsideTheBoundingSphere() {
        for (long seed = 0; seed < 5; seed++) {
            float[] skull = SkullPhantom.sample(new SplittableRandom(seed), N);
            checkInsideSphere(skull, N);
            double boneFraction = fraction(skull, 0.3);
            assertTrue(boneFraction > 0.01 && boneFraction < 0.2, "bone fraction " + boneFraction);
        }
    }

    @Test
    void theHeadCtBecomesBoneDensitiesOfTheSameScale() throws IOException {
        float[] head = SkullPhantom.headCt(InvesaliusHeadCt.readInstalled(), N);
        checkInsideSphere(head, N);
        double boneFraction = fraction(head, 0.1);
        assertTrue(boneFraction > 0.01 && boneFraction < 0.3, "bone fraction " + boneFraction);
    }

    @Test
    void tooSmallAVolumeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SkullPhantom.sample(new SplittableRandom(1), 4));
        assertTrue(e.getMessage().contains("at least 8"), e.getMessage());
    }

    private static void checkInsideSphere(float[] volume, int n) {
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < n; i++) {
                    float v = volume[i + n * (j + n * k)];
                    assertTrue(v >= 0 && v <= 1, "density " + v);
                    double x = (i + 0.5) / n - 0.5;
                    double y = (j + 0.5) / n - 0.5;
                    double z = (k + 0.5) / n - 0.5;
                    if (x * x + y * y + z * z > 0.25) {
                        assertEquals(0, v, "outside the sphere at " + i + "," + j + "," + k);
                    }
                }
            }
        }
    }

    private static double fraction(float[] volume, double threshold) {
        long count = 0;
        for (float v : volume) {
            if (v > threshold) {
                count++;
            }
        }
        return (double) count / volume.length;
    }
}
