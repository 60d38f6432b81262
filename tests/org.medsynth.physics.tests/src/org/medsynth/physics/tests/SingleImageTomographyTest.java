package org.medsynth.physics.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.medsynth.physics.SingleImageTomography;
import org.medsynth.physics.SingleImageTomography.Correction;

class SingleImageTomographyTest {

    @Test
    void simulationIsBeerLambertWithChiTenAsOpacity() {
        int n = 32;
        float[] density = new float[n * n * n];
        // a slab of density 0.3 filling half the depth along z: α = exp(−10 · 0.3 · 0.5)
        for (int z = 0; z < n / 2; z++) {
            for (int i = 0; i < n * n; i++) {
                density[i + n * n * z] = 0.3f;
            }
        }
        float[] opacity = SingleImageTomography.simulate(density, n, new double[] {0, 0, 1}, 16);
        assertEquals(1 - Math.exp(-10 * 0.3 * 0.5), opacity[8 + 16 * 8], 0.01);
        float[] empty = SingleImageTomography.simulate(new float[n * n * n], n, new double[] {0, 0, 1}, 4);
        assertEquals(0, empty[5], 0);
        assertThrows(IllegalArgumentException.class,
                () -> SingleImageTomography.simulate(density, n, new double[] {0, 0, -1}, 4));
        for (int k = 0; k < 50; k++) {
            double[] d = SingleImageTomography.hemisphereDirection(k / 50.0, (k * 0.37) % 1);
            assertTrue(d[2] >= 0 && Math.abs(d[0] * d[0] + d[1] * d[1] + d[2] * d[2] - 1) < 1e-12);
        }
    }

    @Test
    void exactFusionReproducesTheInputXRayAndPrintedFusionMovesTowardsIt() {
        int slices = 128;
        int pixels = 50;
        SplittableRandom random = new SplittableRandom(4);
        float[] coarse = new float[slices * pixels];
        for (int i = 0; i < coarse.length; i++) {
            coarse[i] = (float) (0.2 * random.nextDouble());
        }
        float[] opacity = new float[pixels];
        for (int p = 0; p < pixels; p++) {
            opacity[p] = (float) (0.3 + 0.5 * random.nextDouble());
        }
        float[] exact = SingleImageTomography.fuse(coarse, slices, opacity, Correction.EXACT);
        float[] printed = SingleImageTomography.fuse(coarse, slices, opacity, Correction.AS_PRINTED);
        for (int p = 0; p < pixels; p++) {
            double before = opacityOf(coarse, p, pixels, slices);
            assertEquals(opacity[p], opacityOf(exact, p, pixels, slices), 1e-4);
            double after = opacityOf(printed, p, pixels, slices);
            assertTrue(Math.abs(after - opacity[p]) < Math.abs(before - opacity[p]) + 1e-9,
                    "pixel " + p + ": " + before + " → " + after + " target " + opacity[p]);
        }
    }

    private static double opacityOf(float[] stack, int p, int pixels, int slices) {
        double sum = 0;
        for (int i = 0; i < slices; i++) {
            sum += stack[p + pixels * i];
        }
        return 1 - Math.exp(-SingleImageTomography.CHI * sum / slices);
    }
}
