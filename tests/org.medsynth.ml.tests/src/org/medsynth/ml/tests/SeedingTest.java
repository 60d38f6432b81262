package org.medsynth.ml.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.medsynth.ml.MlEngine;
import org.medsynth.ml.Seeding;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

class SeedingTest {
    private static final Shape NOISE = new Shape(4, 1, 16, 16);

    @Test
    void sameSeedGivesBitIdenticalNoise() {
        float[] first = noiseAfterSeeding(1234);
        float[] second = noiseAfterSeeding(1234);
        // Arrays.equals on float[] compares bit patterns (floatToIntBits)
        assertArrayEquals(first, second);
        assertFalse(Arrays.equals(first, new float[first.length]), "noise is not all zeros");
    }

    @Test
    void differentSeedGivesDifferentNoise() {
        assertFalse(Arrays.equals(noiseAfterSeeding(1234), noiseAfterSeeding(1235)));
    }

    @Test
    void javaSideRandomFollowsTheSeed() {
        SplittableRandom a = Seeding.seedAll(99);
        SplittableRandom b = Seeding.seedAll(99);
        SplittableRandom c = Seeding.seedAll(100);
        long[] fromA = a.longs(8).toArray();
        assertArrayEquals(fromA, b.longs(8).toArray());
        assertNotEquals(Arrays.toString(fromA), Arrays.toString(c.longs(8).toArray()));
    }

    @Test
    void seedIsRecordedByTheEngine() {
        Seeding.seedAll(77);
        assertEquals(77, MlEngine.pytorch().getSeed());
    }

    private static float[] noiseAfterSeeding(long seed) {
        Seeding.seedAll(seed);
        try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
            float[] normal = manager.randomNormal(NOISE).toFloatArray();
            float[] uniform = manager.randomUniform(0f, 1f, NOISE).toFloatArray();
            float[] both = Arrays.copyOf(normal, normal.length + uniform.length);
            System.arraycopy(uniform, 0, both, normal.length, uniform.length);
            return both;
        }
    }
}
