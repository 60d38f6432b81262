package org.medsynth.spine.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import net.imglib2.type.numeric.real.FloatType;

import org.junit.jupiter.api.Test;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.data.phantom.Phantoms;
import org.medsynth.spine.CobbAngle;
import org.medsynth.spine.CobbAngle.Measurement;
import org.medsynth.spine.SpinePhantom;
import org.medsynth.spine.SpinePhantom.Curve;

/**
 * Automatic Cobb angles against the phantoms' true angles (both curves of S curves): on label maps within 1°, on the
 * rendered radiographs within 5° (mean absolute error within 2°), and with Gaussian noise added (major curve). The
 * error statistics are printed.
 */
class CobbAngleTest {
    private static final int WIDTH = 256;

    /** C curves 0..60° at various apexes and seeds, and S curves. */
    private static List<SpinePhantom> spines() {
        List<SpinePhantom> spines = new ArrayList<>();
        String[] apexes = {"T6", "T7", "T8", "T9", "T10", "T11", "L1"};
        for (int i = 0; i <= 6; i++) {
            spines.add(SpinePhantom.singleCurve(100 + i, 10 * i, SpinePhantom.levelIndex(apexes[i]), 3 + i % 3));
        }
        spines.add(SpinePhantom.doubleCurve(200, 40, SpinePhantom.levelIndex("T7"), 30, SpinePhantom.levelIndex("L2")));
        spines.add(SpinePhantom.doubleCurve(201, 25, SpinePhantom.levelIndex("T6"), 35, SpinePhantom.levelIndex("T12")));
        spines.add(SpinePhantom.doubleCurve(202, 55, SpinePhantom.levelIndex("T8"), 45, SpinePhantom.levelIndex("L3")));
        return spines;
    }

    @Test
    void cobbRuleFindsTheMajorCurveThenTheLargestOutsideIt() {
        double[] tilts = {0, 10, 20, 5, -15, -10, 0};
        List<Curve> curves = CobbAngle.curves(tilts, 3);
        assertEquals(new Curve(2, 4, 35), curves.get(0));
        assertEquals(new Curve(0, 2, 20), curves.get(1), "above the major curve");
        assertEquals(new Curve(4, 6, 15), curves.get(2), "below it");
        assertEquals(1, CobbAngle.curves(tilts, 1).size());
        assertEquals(List.of(), CobbAngle.curves(new double[] {3}, 2), "one vertebra has no curve");
        assertThrows(IllegalArgumentException.class, () -> CobbAngle.curves(new double[] {0, Double.NaN}, 1));
    }

    @Test
    void labelMapTiltsAndCobbAnglesMatchTheConstruction() {
        Stats stats = new Stats();
        for (SpinePhantom spine : spines()) {
            List<Curve> truth = spine.trueCurves();
            Measurement m = CobbAngle.fromLabelMap(spine.labelMap(WIDTH), SpinePhantom.VERTEBRAE, truth.size());
            assertEquals(SpinePhantom.VERTEBRAE, m.vertebrae().size());
            double[] tilts = spine.tilts();
            for (int k = 0; k < tilts.length; k++) {
                // T1 and T2 are about 23 × 12 pixels: the grid shifts their measured tilt by up to about 1°
                assertEquals(tilts[k], m.vertebrae().get(k).tiltDegrees(), 1.5, SpinePhantom.levelName(k) + " tilt");
            }
            for (int c = 0; c < truth.size(); c++) {
                Curve measured = m.curves().get(c);
                assertEquals(truth.get(c).angleDegrees(), measured.angleDegrees(), 1.0, "curve " + c + " of " + truth);
                if (truth.get(c).angleDegrees() > 0) {
                    // the tilts level off at the end vertebrae, so a neighbour may measure as the end
                    assertEquals(truth.get(c).upperEnd(), measured.upperEnd(), 1, "upper end of " + truth.get(c));
                    assertEquals(truth.get(c).lowerEnd(), measured.lowerEnd(), 1, "lower end of " + truth.get(c));
                }
                stats.add(measured.angleDegrees() - truth.get(c).angleDegrees());
            }
        }
        System.out.println("Cobb angle on label maps, " + stats);
    }

    @Test
    void radiographCobbAnglesAreWithinFiveDegrees() {
        Stats stats = new Stats();
        for (SpinePhantom spine : spines()) {
            List<Curve> truth = spine.trueCurves();
            Measurement m = CobbAngle.fromRadiograph(spine.radiograph(WIDTH), truth.size());
            assertTrue(m.vertebrae().size() >= SpinePhantom.VERTEBRAE - 2 && m.vertebrae().size()
                    <= SpinePhantom.VERTEBRAE, m.vertebrae().size() + " bodies found for " + truth);
            for (int c = 0; c < truth.size(); c++) {
                double measured = m.curves().get(c).angleDegrees();
                assertEquals(truth.get(c).angleDegrees(), measured, 5, "curve " + c + " of " + truth);
                stats.add(measured - truth.get(c).angleDegrees());
            }
        }
        System.out.println("Cobb angle on radiographs (both curves of an S), " + stats);
        assertTrue(stats.meanAbsolute() < 2, stats.toString());
    }

    @Test
    void radiographCobbAnglesSurviveGaussianNoise() {
        Stats stats = new Stats();
        List<SpinePhantom> spines = spines();
        for (int i = 0; i < spines.size(); i += 2) {
            SpinePhantom spine = spines.get(i);
            MedicalImage<FloatType> xray = spine.radiograph(WIDTH);
            // 0.05 is about a seventh of a thoracic body's contrast over the soft tissue
            Phantoms.addGaussianNoise(Phantoms.data(xray), 0.05, new SplittableRandom(i));
            double truth = spine.trueCurves().get(0).angleDegrees();
            double measured = CobbAngle.fromRadiograph(xray, 1).majorCobbDegrees();
            assertEquals(truth, measured, 7, "major curve of " + spine.trueCurves());
            stats.add(measured - truth);
        }
        System.out.println("Cobb angle on radiographs with noise sigma 0.05, " + stats);
        assertTrue(stats.meanAbsolute() < 3, stats.toString());
    }

    @Test
    void imagesThatAreNotCoronalSlicesAreRefused() {
        MedicalImage<?> volume = Phantoms.sheppLogan3d(16, 1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CobbAngle.fromRadiograph(volume, 1));
        assertTrue(e.getMessage().contains("2D"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CobbAngle.fromLabelMap(Phantoms.sheppLogan2d(16, 1, 2),
                17, 1), "fractional labels");
    }

    /** Signed errors: mean, mean absolute and largest absolute. */
    private static final class Stats {
        private final List<Double> errors = new ArrayList<>();

        void add(double error) {
            errors.add(error);
        }

        double meanAbsolute() {
            return errors.stream().mapToDouble(Math::abs).average().orElse(0);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d curves: mean error %.2f°, mean absolute %.2f°, max absolute %.2f°",
                    errors.size(), errors.stream().mapToDouble(Double::doubleValue).average().orElse(0),
                    meanAbsolute(), errors.stream().mapToDouble(Math::abs).max().orElse(0));
        }
    }
}
