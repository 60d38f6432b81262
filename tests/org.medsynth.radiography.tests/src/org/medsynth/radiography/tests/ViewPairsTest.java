package org.medsynth.radiography.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.medsynth.physics.SingleImageTomography;
import org.medsynth.radiography.tomography.SkullPhantom;
import org.medsynth.radiography.tomography.TomographyEvaluation;
import org.medsynth.radiography.tomography.ViewPairs;

/**
 * Training pairs: the volume in the view's frame projects (along its slices) to the x-ray the paper's model
 * simulates from the cube, for frontal and oblique views; views stay in their cone; the bilinear resize equals
 * PyTorch's (reference/bilinear_resize.py).
 */
class ViewPairsTest {
    private static final int N = 32;

    @Test
    void theViewFrameVolumeReprojectsToTheSimulatedXray() {
        float[] skull = SkullPhantom.sample(new SplittableRandom(3), N);
        SplittableRandom views = new SplittableRandom(4);
        for (double[] direction : List.of(ViewPairs.FRONTAL, ViewPairs.direction(views, 90),
                ViewPairs.direction(views, 90))) {
            ViewPairs.Pair pair = ViewPairs.of(skull, N, direction, N, N);
            double error = TomographyEvaluation.reprojectionError(pair.volume(), N, pair.xray());
            double mean = 0;
            for (float v : pair.xray()) {
                mean += v / pair.xray().length;
            }
            assertTrue(mean > 0.05, "the skull is visible: mean opacity " + mean);
            // both integrate the same trilinear field; they differ in sample positions only
            assertTrue(error < 0.1 * mean, "re-projection error " + error + " of mean opacity " + mean);
        }
    }

    @Test
    void viewsStayInTheirCone() {
        SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < 200; i++) {
            double[] d = ViewPairs.direction(random, 30);
            assertEquals(1, d[0] * d[0] + d[1] * d[1] + d[2] * d[2], 1e-12);
            assertTrue(d[2] >= Math.cos(Math.toRadians(30)) - 1e-12, "z " + d[2]);
        }
        double[] frontal = ViewPairs.direction(random, 0);
        assertEquals(1, frontal[2], 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ViewPairs.direction(random, 120));
        assertTrue(e.getMessage().contains("0..90"), e.getMessage());
    }

    @Test
    void bilinearResizeEqualsPyTorch() throws IOException {
        for (String line : Files.readAllLines(ReferenceFiles.file("bilinear_resize.csv"))) {
            String[] fields = line.split(",");
            int w = Integer.parseInt(fields[0]);
            int h = Integer.parseInt(fields[1]);
            int ow = Integer.parseInt(fields[2]);
            int oh = Integer.parseInt(fields[3]);
            float[] plane = new float[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    plane[x + w * y] = (float) (Math.sin(0.7 * x + 0.3) + 0.25 * y * y - 0.1 * x * y);
                }
            }
            float[] resized = ViewPairs.resize(plane, w, h, ow, oh);
            assertEquals(ow * oh, fields.length - 4);
            for (int p = 0; p < ow * oh; p++) {
                assertEquals(Double.parseDouble(fields[4 + p]), resized[p], 1e-5, line.substring(0, 8) + " pixel " + p);
            }
        }
    }

    @Test
    void projectingAStackIsThePapersModel() {
        // one ray through 4 slices of density 0.1: 1 − exp(−χ · 0.4 / 4)
        float[] stack = {0.1f, 0.1f, 0.1f, 0.1f};
        assertEquals(1 - Math.exp(-SingleImageTomography.CHI * 0.1), SingleImageTomography.projectSlices(stack, 4,
                1)[0], 1e-6);
    }
}
