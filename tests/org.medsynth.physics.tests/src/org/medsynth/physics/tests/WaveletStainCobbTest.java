package org.medsynth.physics.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.medsynth.physics.CobbAngle;
import org.medsynth.physics.HaarWavelet3D;
import org.medsynth.physics.StainSeparation;

import com.google.gson.JsonObject;

class WaveletStainCobbTest {

    @Test
    void haarIsOrthonormalAndInvertsPerfectly() {
        int nx = 8;
        int ny = 6;
        int nz = 4;
        float[] v = new float[nx * ny * nz];
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        float[][] bands = HaarWavelet3D.forward(v, nx, ny, nz);
        assertEquals(8, bands.length);
        double energy = 0;
        for (float[] b : bands) {
            assertEquals(v.length / 8, b.length);
            energy += RadonTest.dot(b, b);
        }
        assertEquals(RadonTest.dot(v, v), energy, 1e-3);
        assertArrayEquals(v, HaarWavelet3D.inverse(bands, nx, ny, nz), 1e-5f);
        // a volume varying only along x puts its detail in the x-high-pass band (index 1) alone
        float[] ramp = new float[nx * ny * nz];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = i % nx;
        }
        float[][] rb = HaarWavelet3D.forward(ramp, nx, ny, nz);
        for (int b = 2; b < 8; b++) {
            assertEquals(0, RadonTest.dot(rb[b], rb[b]), 1e-9, "band " + b);
        }
        assertEquals(-1 / Math.sqrt(8) * 4, rb[1][0], 1e-5);
        assertThrows(IllegalArgumentException.class, () -> HaarWavelet3D.forward(new float[27], 3, 3, 3));
    }

    @Test
    void hedMatchesScikitImage() throws IOException {
        JsonObject ref = XRayProjectorTest.readJson("reference/stain_reference.json");
        float[] hed = StainSeparation.rgbToHed(XRayProjectorTest.toFloats(ref.getAsJsonArray("rgb")));
        assertArrayEquals(XRayProjectorTest.toFloats(ref.getAsJsonArray("hed")), hed, 1e-5f);
    }

    @Test
    void macenkoRecoversTheStainsAnImageWasMadeWith() {
        double[][] stains = {{0.65, 0.22}, {0.70, 0.80}, {0.29, 0.56}};
        normaliseColumns(stains);
        int pixels = 4000;
        float[] rgb = new float[3 * pixels];
        SplittableRandom random = new SplittableRandom(5);
        for (int p = 0; p < pixels; p++) {
            // strong enough that every channel's optical density passes Macenko's 0.15 tissue threshold
            double h = 0.6 + random.nextDouble();
            double e = 0.8 + random.nextDouble();
            // a third of the pixels are pure stain so the extreme angles are the stain directions themselves
            if (p % 3 == 0) {
                e = 0;
            } else if (p % 3 == 1) {
                h = 0;
            }
            for (int c = 0; c < 3; c++) {
                rgb[3 * p + c] = (float) (240 * Math.exp(-(stains[c][0] * h + stains[c][1] * e)) - 1);
            }
        }
        StainSeparation.Separation s = StainSeparation.macenko(rgb, 0.15, 0.1);
        for (int c = 0; c < 3; c++) {
            assertEquals(stains[c][0], s.stains()[c][0], 0.02, "haematoxylin channel " + c);
            assertEquals(stains[c][1], s.stains()[c][1], 0.02, "eosin channel " + c);
        }
        float[] normalised = StainSeparation.normaliseMacenko(rgb);
        assertEquals(rgb.length, normalised.length);
    }

    @Test
    void vahadaneRecoversTheStainsOfASparselyMixedNoisyImage() {
        double[][] stains = {{0.65, 0.22}, {0.70, 0.80}, {0.29, 0.56}};
        normaliseColumns(stains);
        float[] rgb = sparseStainImage(stains, 6000, 11);
        StainSeparation.Separation vahadane = StainSeparation.vahadane(rgb, 0.15, 0.1);
        StainSeparation.Separation macenko = StainSeparation.macenko(rgb, 0.15, 1);
        for (int s = 0; s < 2; s++) {
            double error = angleDegrees(stains, vahadane.stains(), s);
            assertTrue(error < 1, "stain " + s + " off by " + error + "°");
            // the noise widens the angle distribution whose percentiles Macenko takes (measured 5.1° and 3.8°;
            // Vahadane 0.3° and 0.5°)
            double macenkoError = angleDegrees(stains, macenko.stains(), s);
            assertTrue(macenkoError > 3 * error, "stain " + s + ": Macenko " + macenkoError + "°, Vahadane " + error);
        }
        assertEquals(rgb.length / 3 * 2, vahadane.concentrations().length);
        // λ‖H‖₁ makes the decomposition sparse: most single-stain pixels get exactly zero of the other stain
        int zeros = 0;
        for (float c : vahadane.concentrations()) {
            zeros += c == 0 ? 1 : 0;
        }
        assertTrue(zeros > 0.3 * rgb.length / 3, zeros + " zero concentrations");
        assertThrows(IllegalArgumentException.class, () -> StainSeparation.vahadane(new float[] {240, 240, 240}, 0.15,
                0.1), "no tissue");
    }

    @Test
    void vahadaneMatchesScikitLearnsSparseDictionaryLearning() throws IOException {
        JsonObject ref = XRayProjectorTest.readJson("reference/stain_vahadane_reference.json");
        StainSeparation.Separation separation = StainSeparation.vahadane(
                XRayProjectorTest.toFloats(ref.getAsJsonArray("rgb")), 0.15, ref.get("lambda").getAsDouble());
        float[] stains = XRayProjectorTest.toFloats(ref.getAsJsonArray("stains"));
        double[][] expected = new double[3][2];
        for (int c = 0; c < 3; c++) {
            for (int s = 0; s < 2; s++) {
                expected[c][s] = stains[2 * c + s];
            }
        }
        for (int s = 0; s < 2; s++) {
            // measured 5·10⁻⁵°; both sides are 0.36° and 0.48° from the stains the image was made with
            assertEquals(0, angleDegrees(expected, separation.stains(), s), 0.01, "stain " + s);
        }
        // sparse_encode's coordinate descent stops at its tolerance: measured max |Δ| 5·10⁻⁴ on values up to 1.8
        assertArrayEquals(XRayProjectorTest.toFloats(ref.getAsJsonArray("concentrations")),
                separation.concentrations(), 2e-3f);
    }

    @Test
    void vahadaneNormalisationTakesOnTheTargetsStains() {
        double[][] source = {{0.65, 0.22}, {0.70, 0.80}, {0.29, 0.56}};
        // 12° and 13° away from the source's stains; every channel of either stain passes the 0.15 OD threshold
        double[][] target = {{0.50, 0.35}, {0.80, 0.65}, {0.40, 0.68}};
        normaliseColumns(source);
        normaliseColumns(target);
        float[] targetRgb = sparseStainImage(target, 5000, 12);
        float[] normalised = StainSeparation.normaliseVahadane(sparseStainImage(source, 5000, 13), targetRgb);
        StainSeparation.Separation result = StainSeparation.vahadane(normalised, 0.15, 0.1);
        StainSeparation.Separation reference = StainSeparation.vahadane(targetRgb, 0.15, 0.1);
        for (int s = 0; s < 2; s++) {
            assertTrue(angleDegrees(target, result.stains(), s) < 1, "stain " + s + " of the normalised image is "
                    + angleDegrees(target, result.stains(), s) + "° off");
            assertEquals(percentile99(reference.concentrations(), s), percentile99(result.concentrations(), s),
                    0.03 * percentile99(reference.concentrations(), s), "99th percentile of stain " + s);
        }
    }

    private static double percentile99(float[] c, int s) {
        float[] values = new float[c.length / 2];
        for (int p = 0; p < values.length; p++) {
            values[p] = c[2 * p + s];
        }
        java.util.Arrays.sort(values);
        return values[(int) Math.round(0.99 * (values.length - 1))];
    }

    /**
     * 40 % haematoxylin and 40 % eosin pixels with up to 3 % of the other stain, 10 % mixtures, 10 % background;
     * optical density noise of σ = 0.05 and 8-bit rounding.
     */
    private static float[] sparseStainImage(double[][] stains, int pixels, long seed) {
        float[] rgb = new float[3 * pixels];
        SplittableRandom random = new SplittableRandom(seed);
        for (int p = 0; p < pixels; p++) {
            double u = random.nextDouble();
            double h = 0.5 + random.nextDouble();
            double e = 0.6 + random.nextDouble();
            if (u < 0.4) {
                e *= 0.03 * random.nextDouble();
            } else if (u < 0.8) {
                h *= 0.03 * random.nextDouble();
            } else if (u > 0.9) {
                h = 0.02 * random.nextDouble();
                e = 0.02 * random.nextDouble();
            }
            for (int c = 0; c < 3; c++) {
                double od = stains[c][0] * h + stains[c][1] * e + 0.05 * random.nextGaussian();
                rgb[3 * p + c] = (float) Math.max(0, Math.min(255, Math.rint(240 * Math.exp(-od) - 1)));
            }
        }
        return rgb;
    }

    /** Angle between column {@code s} of two stain matrices, degrees. */
    private static double angleDegrees(double[][] a, double[][] b, int s) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int c = 0; c < 3; c++) {
            dot += a[c][s] * b[c][s];
            na += a[c][s] * a[c][s];
            nb += b[c][s] * b[c][s];
        }
        return Math.toDegrees(Math.acos(Math.min(1, dot / Math.sqrt(na * nb))));
    }

    private static void normaliseColumns(double[][] m) {
        for (int j = 0; j < 2; j++) {
            double n = Math.sqrt(m[0][j] * m[0][j] + m[1][j] * m[1][j] + m[2][j] * m[2][j]);
            for (int i = 0; i < 3; i++) {
                m[i][j] /= n;
            }
        }
    }

    @Test
    void cobbAngleFromEndPlatesAndFromACentreline() {
        double a = Math.toRadians(12);
        double b = Math.toRadians(-23);
        assertEquals(35, CobbAngle.fromEndPlates(new double[] {0, 0, Math.cos(a), Math.sin(a)},
                new double[] {5, 9, 5 + Math.cos(b), 9 + Math.sin(b)}), 1e-9);
        // x = A sin(2πy/L): tangent inclinations span ±atan(2πA/L)
        int n = 2001;
        double[] xs = new double[n];
        double[] ys = new double[n];
        double amplitude = 30;
        double length = 400;
        for (int i = 0; i < n; i++) {
            ys[i] = length * i / (n - 1);
            xs[i] = amplitude * Math.sin(2 * Math.PI * ys[i] / length);
        }
        assertEquals(2 * Math.toDegrees(Math.atan(2 * Math.PI * amplitude / length)), CobbAngle.fromCentreline(xs, ys),
                0.01);
    }
}
