package org.medsynth.radiography.tests.ct2x;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.eclipse.core.runtime.FileLocator;
import org.eclipse.core.runtime.Platform;
import org.junit.jupiter.api.Test;
import org.medsynth.data.phantom.TorsoPhantom;
import org.medsynth.physics.Volume;
import org.medsynth.physics.XRayProjector;
import org.medsynth.radiography.ct2x.Ct2xData;
import org.medsynth.radiography.ct2x.CtVolumes;
import org.medsynth.radiography.ct2x.Radiographs;
import org.medsynth.radiography.ct2x.ViewProjection;

/**
 * CT2X-GAN's data: varied torso cubes, DRRs, MIPs and radiograph-style images of the same anatomy, the blur checked
 * against scipy, and the view projection of the feature volume.
 */
class RadiographsTest {
    private static final int CT = 24;
    private static final int IMAGE = 32;

    @Test
    void torsoVariationIsSeededAndAnatomical() {
        Volume a = CtVolumes.torso(CT, new SplittableRandom(3));
        Volume again = CtVolumes.torso(CT, new SplittableRandom(3));
        Volume other = CtVolumes.torso(CT, new SplittableRandom(4));
        assertArrayEquals(a.data(), again.data());
        assertFalse(Arrays.equals(a.data(), other.data()));
        assertEquals(CtVolumes.TORSO_CUBE_MM / CT, a.sx(), 1e-12);
        // corners are air, the centre of the body is soft tissue or blood, the spine is bone-like
        assertEquals(TorsoPhantom.AIR, a.data()[0], 1e-3);
        float max = Float.NEGATIVE_INFINITY;
        for (float v : a.data()) {
            max = Math.max(max, v);
        }
        assertTrue(max > 300, "bone present: max " + max);
    }

    @Test
    void drrAndRadiographShowTheSameAnatomyInDifferentStyles() {
        Volume hu = CtVolumes.torso(CT, new SplittableRandom(5));
        float[] drr = Radiographs.drr(hu, IMAGE, 0);
        float[] radiograph = Radiographs.radiograph(hu, IMAGE, 0, new SplittableRandom(1));
        float[] noisier = Radiographs.radiograph(hu, IMAGE, 0, new SplittableRandom(2));
        for (float v : drr) {
            assertTrue(v >= 0 && v <= 1, "DRR in [0, 1]: " + v);
        }
        for (float v : radiograph) {
            assertTrue(v >= 0 && v <= 1, "radiograph in [0, 1]: " + v);
        }
        assertFalse(Arrays.equals(radiograph, noisier), "noise and processing are seeded per image");
        // the same anatomy: inside the shutters' reach the radiograph follows the DRR (dense bright)
        double r = correlation(centre(drr), centre(radiograph));
        assertTrue(r > 0.5, "correlation " + r);
        // but not the same image: processing changes it far beyond noise
        assertTrue(meanAbsolute(drr, radiograph) > 0.05, "differs from the DRR");
        // the body's centre is brighter than the corner in both
        int centre = IMAGE / 2 + IMAGE * (IMAGE / 2);
        assertTrue(drr[centre] > drr[IMAGE + 1] + 0.2);
    }

    @Test
    void drrIsTheScaledLineIntegralAtTheDrrEnergy() {
        Volume hu = CtVolumes.torso(CT, new SplittableRandom(6));
        float[] drr = Radiographs.drr(hu, IMAGE, 30);
        float[] p = XRayProjector.lineIntegrals(org.medsynth.physics.AttenuationModel.atKvp(Radiographs.DRR_KVP)
                .attenuation(hu), Radiographs.view(Radiographs.cubeMm(hu), IMAGE, 30), XRayProjector.Method.SIDDON, 0);
        for (int i = 0; i < p.length; i++) {
            assertEquals(Math.min(1, p[i] / Radiographs.DRR_FULL_SCALE), drr[i], 1e-6);
        }
    }

    @Test
    void mipIsBrightWhereBoneIs() {
        Volume hu = CtVolumes.torso(CT, new SplittableRandom(7));
        float[] mip = Radiographs.mip(Radiographs.normalisedCt(hu), IMAGE, 0);
        int centre = IMAGE / 2 + IMAGE * (IMAGE / 2);
        assertTrue(mip[centre] > 0.5, "spine and aorta on the central ray: " + mip[centre]);
        assertEquals(0, mip[0], 0.05, "corner ray misses the body");
    }

    @Test
    void trainingDataMixesTorsosAndTheHeadOnlyWhenAsked() {
        assertThrows(IllegalArgumentException.class,
                () -> new Ct2xData(CT, IMAGE, Radiographs.PAPER_ANGLES, 0.5, null));
        Ct2xData data = new Ct2xData(CT, IMAGE, Radiographs.PAPER_ANGLES, 0, null);
        Ct2xData.View view = data.view(new SplittableRandom(1));
        assertTrue(List.of(-60.0, -30.0, 0.0, 30.0, 60.0).contains(view.degrees()));
        assertEquals(IMAGE * IMAGE, view.drr().length);
        assertEquals(CT * CT * CT, view.normalisedCt().data().length);
    }

    @Test
    void blurMatchesScipy() throws IOException {
        int size = 24;
        double[] image = new double[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                image[x + size * y] = Math.sin(0.7 * x) * Math.cos(0.45 * y) + 0.05 * x
                        + (x >= 5 && x < 11 && y >= 14 && y < 20 ? 2.0 : 0);
            }
        }
        List<String> lines = Files.readAllLines(reference("ct2x_blur.csv"));
        double[] two = Radiographs.blur(image, size, 2);
        double[] three = Radiographs.blur(image, size, 3);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            double[] blurred = Double.parseDouble(f[0]) == 2 ? two : three;
            assertEquals(Double.parseDouble(f[2]), blurred[Integer.parseInt(f[1])], 1e-12, line);
        }
    }

    @Test
    void viewProjectionSplitsEachRayIntoDepthSlabs() {
        ViewProjection projection = new ViewProjection(6, 8, 2);
        float[] matrix = projection.matrix(30);
        int voxels = 6 * 6 * 6;
        int pixels = 8 * 8;
        assertEquals(voxels * 2 * pixels, matrix.length);
        // summed over both slabs, the matrix applied to ones is the line integral through the unit-voxel cube / 6
        float[] ones = new float[voxels];
        Arrays.fill(ones, 1);
        float[] expected = XRayProjector.lineIntegrals(Volume.cube(ones, 6, 1), Radiographs.view(6, 8, 30),
                XRayProjector.Method.SIDDON, 0);
        float[] near = new float[pixels];
        for (int p = 0; p < pixels; p++) {
            double sum = 0;
            for (int v = 0; v < voxels; v++) {
                sum += matrix[v * 2 * pixels + p] + matrix[v * 2 * pixels + pixels + p];
                near[p] += matrix[v * 2 * pixels + p];
            }
            assertEquals(expected[p] / 6, sum, 1e-4);
        }
        int centre = 4 + 8 * 4;
        assertTrue(near[centre] > 0.3 * expected[centre] / 6 && near[centre] < 0.7 * expected[centre] / 6,
                "the central ray is split about half and half");
        assertTrue(projection.matrix(30) == matrix, "computed once per angle");
    }

    private static Path reference(String name) throws IOException {
        return Path.of(FileLocator.toFileURL(Platform.getBundle("org.medsynth.radiography.tests")
                .getEntry("reference/" + name)).getPath());
    }

    /** The central square that collimation (at most 12 % per side) never covers. */
    private static float[] centre(float[] image) {
        int from = IMAGE / 8;
        int side = IMAGE - 2 * from;
        float[] out = new float[side * side];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                out[x + side * y] = image[from + x + IMAGE * (from + y)];
            }
        }
        return out;
    }

    private static double correlation(float[] a, float[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.length;
        mb /= b.length;
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (a[i] - ma) * (b[i] - mb);
            aa += (a[i] - ma) * (a[i] - ma);
            bb += (b[i] - mb) * (b[i] - mb);
        }
        return ab / Math.sqrt(aa * bb);
    }

    private static double meanAbsolute(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(a[i] - b[i]);
        }
        return sum / a.length;
    }
}
