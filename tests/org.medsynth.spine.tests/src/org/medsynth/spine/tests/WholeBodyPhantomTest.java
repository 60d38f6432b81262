package org.medsynth.spine.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.core.runtime.FileLocator;
import org.eclipse.core.runtime.Platform;
import org.junit.jupiter.api.Test;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.eval.Voxels;
import org.medsynth.spine.maskel.WholeBodyPhantom;
import org.medsynth.spine.maskel.WholeBodyPhantom.Body;

/**
 * The whole-body phantom: mask and radiograph of one body agree, the head's pixels match Beer–Lambert through the
 * soft tissue and the skull shell as computed independently (reference/whole_body_head.py), the stature and the
 * pose show in the mask, the seed decides the body, and bodies outside the documented ranges are refused.
 */
class WholeBodyPhantomTest {
    private static final double[] STRAIGHT = {0, 0};

    private static Body body(double stature, double build, double arms) {
        return new Body(stature, build, new double[] {arms, arms}, STRAIGHT, new double[] {5, 5}, 0);
    }

    @Test
    void maskAndRadiographShowTheSameBody() {
        WholeBodyPhantom phantom = WholeBodyPhantom.random(3);
        MedicalImage<?> xray = phantom.radiograph(96);
        MedicalImage<?> mask = phantom.mask(96);
        assertEquals(Modality.DX, xray.modality());
        assertEquals(IntensityUnit.OPACITY, xray.unit());
        assertEquals(IntensityUnit.LABEL, mask.unit());
        double[] x = Voxels.of(xray).values();
        double[] m = Voxels.of(mask).values();
        int body = 0;
        for (int p = 0; p < x.length; p++) {
            assertTrue(m[p] == 0 || m[p] == 1, "binary mask");
            if (m[p] == 1) {
                body++;
                assertTrue(x[p] > 0, "body pixel " + p + " attenuates");
            }
            if (x[p] == 0) {
                assertEquals(0, m[p], "no attenuation outside the body, pixel " + p);
            }
        }
        assertTrue(body > 0.03 * x.length && body < 0.3 * x.length, "body covers " + body + " of " + x.length);
    }

    @Test
    void headPixelsMatchTheIndependentBeerLambertValues() throws IOException {
        List<String> rows = Files.readAllLines(reference("whole_body_head.csv"), StandardCharsets.UTF_8);
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            double stature = Double.parseDouble(f[0]);
            int size = (int) Double.parseDouble(f[1]);
            int column = Integer.parseInt(f[2]);
            int line = Integer.parseInt(f[3]);
            double expected = Double.parseDouble(f[4]);
            double[] xray = Voxels.of(WholeBodyPhantom.of(body(stature, 1.1, 30), 1).radiograph(size)).values();
            assertEquals(expected, xray[line * size + column], 1e-5, row);
        }
    }

    @Test
    void statureSetsTheMaskHeightAndAbductionItsWidth() {
        for (double stature : new double[] {1500, 1850}) {
            int[] extent = extent(WholeBodyPhantom.of(body(stature, 1.0, 30), 5));
            double spacing = WholeBodyPhantom.FIELD_MM / 200;
            // vertex to sole: the stature within 3%
            assertEquals(stature, extent[0] * spacing, 0.03 * stature, "height of the " + stature + " mm body");
        }
        int narrow = extent(WholeBodyPhantom.of(body(1700, 1.0, 8), 5))[1];
        int wide = extent(WholeBodyPhantom.of(body(1700, 1.0, 60), 5))[1];
        assertTrue(wide > narrow + 40, "arms out widen the mask: " + narrow + " → " + wide + " columns");
    }

    /** Rows and columns spanned by the body in a 200² mask. */
    private static int[] extent(WholeBodyPhantom phantom) {
        double[] m = Voxels.of(phantom.mask(200)).values();
        int top = 200;
        int bottom = -1;
        int left = 200;
        int right = -1;
        for (int j = 0; j < 200; j++) {
            for (int i = 0; i < 200; i++) {
                if (m[j * 200 + i] > 0) {
                    top = Math.min(top, j);
                    bottom = Math.max(bottom, j);
                    left = Math.min(left, i);
                    right = Math.max(right, i);
                }
            }
        }
        return new int[] {bottom - top + 1, right - left + 1};
    }

    @Test
    void theSeedDecidesTheBody() {
        double[] a = Voxels.of(WholeBodyPhantom.random(8).radiograph(64)).values();
        double[] again = Voxels.of(WholeBodyPhantom.random(8).radiograph(64)).values();
        double[] other = Voxels.of(WholeBodyPhantom.random(9).radiograph(64)).values();
        assertArrayEquals(a, again);
        assertFalse(java.util.Arrays.equals(a, other));
        Body drawn = WholeBodyPhantom.random(9).body();
        assertTrue(drawn.statureMm() >= WholeBodyPhantom.MIN_STATURE_MM
                && drawn.statureMm() <= WholeBodyPhantom.MAX_STATURE_MM, drawn.toString());
    }

    @Test
    void bodiesOutsideTheRangesAreRefusedByName() {
        IllegalArgumentException stature = assertThrows(IllegalArgumentException.class,
                () -> WholeBodyPhantom.of(body(1400, 1.0, 30), 1));
        assertTrue(stature.getMessage().contains("stature"), stature.getMessage());
        IllegalArgumentException arm = assertThrows(IllegalArgumentException.class,
                () -> WholeBodyPhantom.of(body(1700, 1.0, 95), 1));
        assertTrue(arm.getMessage().contains("arm abduction"), arm.getMessage());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> WholeBodyPhantom.random(1).mask(8));
        assertTrue(size.getMessage().contains("16..2048"), size.getMessage());
    }

    private static Path reference(String name) throws IOException {
        return Path.of(FileLocator.toFileURL(Platform.getBundle("org.medsynth.spine.tests").getEntry("reference/"
                + name)).getPath());
    }
}
