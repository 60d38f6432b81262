package org.medsynth.spine.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.eval.Voxels;
import org.medsynth.spine.SpinePhantom;
import org.medsynth.spine.SpinePhantom.Curve;
import org.medsynth.spine.SpinePhantom.Vertebra;

/** The spine phantom's construction: exact curve angles, determinism, renderings and refusal of bad parameters. */
class SpinePhantomTest {
    private static final int T8 = SpinePhantom.levelIndex("T8");
    private static final int WIDTH = 128;

    @Test
    void singleCurveHasItsCobbAngleExactlyBetweenItsEndVertebrae() {
        for (double cobb : new double[] {5, 30, 80}) {
            SpinePhantom spine = SpinePhantom.singleCurve(3, cobb, T8, 4);
            Curve major = spine.trueCurves().get(0);
            assertEquals(cobb, major.angleDegrees(), 1e-9, "Cobb angle " + cobb);
            assertEquals(T8 - 4, major.upperEnd(), "upper end vertebra T4");
            assertEquals(T8 + 4, major.lowerEnd(), "lower end vertebra T12");
            assertEquals(cobb / 2, spine.vertebrae().get(T8 - 4).tiltDegrees(), 1e-9);
            assertEquals(-cobb / 2, spine.vertebrae().get(T8 + 4).tiltDegrees(), 1e-9);
            assertEquals(0, spine.vertebrae().get(0).tiltDegrees(), 1e-9, "T1 level");
            assertEquals(0, spine.vertebrae().get(SpinePhantom.VERTEBRAE - 1).tiltDegrees(), 1e-9, "L5 level");
        }
    }

    @Test
    void doubleCurveHasBothCobbAnglesExactly() {
        SpinePhantom spine = SpinePhantom.doubleCurve(5, 40, SpinePhantom.levelIndex("T7"), 30,
                SpinePhantom.levelIndex("L2"));
        List<Curve> curves = spine.trueCurves();
        assertEquals(2, curves.size());
        assertEquals(40, curves.get(0).angleDegrees(), 1e-9, "upper (major) curve");
        assertEquals(30, curves.get(1).angleDegrees(), 1e-9, "lower curve");
        assertEquals(curves.get(0).lowerEnd(), curves.get(1).upperEnd(), "the curves share the junction vertebra T10");
        assertEquals("T10", SpinePhantom.levelName(curves.get(0).lowerEnd()));
    }

    @Test
    void endVertebraTooCloseToT1MovesOntoIt() {
        SpinePhantom spine = SpinePhantom.singleCurve(1, 40, SpinePhantom.levelIndex("T4"), 2);
        Curve major = spine.trueCurves().get(0);
        assertEquals(0, major.upperEnd(), "T2 would leave one level to level off: the curve ends at T1");
        assertEquals(40, major.angleDegrees(), 1e-9);
    }

    @Test
    void sameSeedGivesIdenticalPixelsAndAnotherSeedOtherAnatomy() {
        SpinePhantom a = SpinePhantom.singleCurve(42, 25, T8, 4);
        SpinePhantom b = SpinePhantom.singleCurve(42, 25, T8, 4);
        SpinePhantom c = SpinePhantom.singleCurve(43, 25, T8, 4);
        assertArrayEquals(pixels(a.labelMap(WIDTH)), pixels(b.labelMap(WIDTH)));
        assertArrayEquals(pixels(a.radiograph(WIDTH)), pixels(b.radiograph(WIDTH)));
        assertArrayEquals(pixels(a.ultrasound(WIDTH)), pixels(b.ultrasound(WIDTH)));
        assertFalse(Arrays.equals(pixels(a.radiograph(WIDTH)), pixels(c.radiograph(WIDTH))), "seed changes sizes");
        assertFalse(Arrays.equals(pixels(a.ultrasound(WIDTH)), pixels(c.ultrasound(WIDTH))), "seed changes speckle");
        assertEquals(a.trueCurves(), c.trueCurves(), "the angles do not depend on the seed");
    }

    @Test
    void renderingsShareTheGridAndTheLabelMapHoldsEveryBone() {
        SpinePhantom spine = SpinePhantom.singleCurve(2, 30, T8, 4);
        MedicalImage<?> labels = spine.labelMap(256);
        MedicalImage<?> xray = spine.radiograph(256);
        assertArrayEquals(new long[] {256, 512}, labels.dimensions());
        assertEquals(labels.geometry(), xray.geometry());
        assertEquals(labels.geometry(), spine.ultrasound(256).geometry());
        assertEquals(SpinePhantom.FIELD_WIDTH_MM / 256, labels.geometry().spacing(0), 1e-12);
        double[] l = Voxels.of(labels).values();
        for (int label = 0; label <= SpinePhantom.RIB_LABEL; label++) {
            int wanted = label;
            assertTrue(Arrays.stream(l).anyMatch(v -> v == wanted), "label " + label + " is drawn");
        }
        for (Vertebra v : spine.vertebrae()) {
            assertEquals(v.index() + 1, l[pixelAt(labels, v.centreX(), v.centreY())], v.name() + " at its centre");
        }
    }

    @Test
    void radiographShowsBoneBrighterThanTheDiscsBetween() {
        SpinePhantom spine = SpinePhantom.singleCurve(2, 30, T8, 4);
        MedicalImage<?> xray = spine.radiograph(256);
        double[] x = Voxels.of(xray).values();
        for (int k = 0; k + 1 < SpinePhantom.VERTEBRAE; k++) {
            Vertebra upper = spine.vertebrae().get(k);
            Vertebra lower = spine.vertebrae().get(k + 1);
            double disc = x[pixelAt(xray, (upper.centreX() + lower.centreX()) / 2,
                    (upper.centreY() + upper.height() / 2 + lower.centreY() - lower.height() / 2) / 2)];
            assertTrue(x[pixelAt(xray, lower.centreX(), lower.centreY())] > disc + 0.15, lower.name()
                    + " body against the disc above it");
        }
    }

    @Test
    void ultrasoundEchoesThePosteriorBoneAndShadowsTheBodies() {
        SpinePhantom spine = SpinePhantom.singleCurve(4, 30, T8, 4);
        MedicalImage<?> us = spine.ultrasound(256);
        double[] v = Voxels.of(us).values();
        double lamina = 0;
        double shadow = 0;
        for (Vertebra vertebra : spine.vertebrae()) {
            // a lamina 0.23 widths right of the midline; the body's lateral rim, beyond the laminae
            lamina += v[acrossVertebra(us, vertebra, 0.23)];
            shadow += v[acrossVertebra(us, vertebra, -0.44)];
        }
        lamina /= SpinePhantom.VERTEBRAE;
        shadow /= SpinePhantom.VERTEBRAE;
        assertTrue(lamina > 0.6, "laminae echo brightly (amplitude 1 under speckle): " + lamina);
        assertTrue(shadow < 0.08, "the bodies lie in the acoustic shadow (amplitude 0.03): " + shadow);
    }

    /** The pixel {@code widths} vertebra widths from its centre along its tilted width axis (positive: right). */
    private static int acrossVertebra(MedicalImage<?> image, Vertebra vertebra, double widths) {
        double tilt = Math.toRadians(vertebra.tiltDegrees());
        double offset = widths * vertebra.width();
        return pixelAt(image, vertebra.centreX() + offset * Math.cos(tilt), vertebra.centreY() - offset * Math.sin(tilt));
    }

    @Test
    void ultrasoundSpeckleIsRayleighOfMeanOne() {
        SpinePhantom spine = SpinePhantom.singleCurve(9, 20, T8, 4);
        MedicalImage<?> us = spine.ultrasound(256);
        double[] v = Voxels.of(us).values();
        int nx = 256;
        // soft tissue left of the pelvis, below the iliac wing and the ribs: echo 0.15 everywhere in it
        double sum = 0;
        double sumSquares = 0;
        int n = 0;
        for (int y = 475; y < 510; y++) {
            for (int x = 40; x < 60; x++) {
                sum += v[y * nx + x];
                sumSquares += v[y * nx + x] * v[y * nx + x];
                n++;
            }
        }
        double mean = sum / n;
        assertEquals(0.15, mean, 0.15 * 0.05, "mean echo of soft tissue");
        // for a Rayleigh variable E[R]² / E[R²] = π/4
        assertEquals(Math.PI / 4, mean * mean / (sumSquares / n), 0.03, "Rayleigh moment ratio");
    }

    @Test
    void badParametersAreRefusedWithTheirName() {
        IllegalArgumentException tooSteep = assertThrows(IllegalArgumentException.class,
                () -> SpinePhantom.singleCurve(0, 95, T8, 4));
        assertTrue(tooSteep.getMessage().contains("cobb angle") && tooSteep.getMessage().contains("95"),
                tooSteep.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SpinePhantom.singleCurve(0, Double.NaN, T8, 4));
        assertThrows(IllegalArgumentException.class, () -> SpinePhantom.singleCurve(0, -1, T8, 4));
        IllegalArgumentException apex = assertThrows(IllegalArgumentException.class,
                () -> SpinePhantom.singleCurve(0, 20, 0, 4));
        assertTrue(apex.getMessage().contains("T1"), apex.getMessage());
        IllegalArgumentException order = assertThrows(IllegalArgumentException.class,
                () -> SpinePhantom.doubleCurve(0, 20, SpinePhantom.levelIndex("L2"), 20, T8));
        assertTrue(order.getMessage().contains("below the upper apex"), order.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SpinePhantom.doubleCurve(0, 20, T8, 0, 13));
        assertThrows(IllegalArgumentException.class, () -> SpinePhantom.levelIndex("C7"));
        assertThrows(IllegalArgumentException.class, () -> spineOfWidth(10));
    }

    private static void spineOfWidth(int columns) {
        SpinePhantom.singleCurve(0, 10, T8, 4).labelMap(columns);
    }

    /** Flat index of the pixel containing the phantom point (x, y) in mm. */
    static int pixelAt(MedicalImage<?> image, double x, double y) {
        double[] index = image.geometry().physicalToIndex(new double[] {x, y});
        return (int) Math.round(index[1]) * (int) image.dimensions()[0] + (int) Math.round(index[0]);
    }

    private static double[] pixels(MedicalImage<?> image) {
        return Voxels.of(image).values();
    }
}
