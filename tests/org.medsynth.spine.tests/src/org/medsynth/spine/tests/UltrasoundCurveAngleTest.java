package org.medsynth.spine.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

import net.imglib2.img.array.ArrayImgs;

import org.junit.jupiter.api.Test;
import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.spine.SpinePhantom;
import org.medsynth.spine.uxdiff.UltrasoundCurveAngle;

/**
 * The ultrasound curve angle measured on coronal ultrasounds: equal to an independent NumPy/SciPy implementation on
 * a committed image (reference/ultrasound_curve_angle.py), close to the true Cobb angle of phantom spines, and clear
 * refusals of images it cannot measure.
 */
class UltrasoundCurveAngleTest {
    private static final int WIDTH = 128;

    @Test
    void equalsTheIndependentImplementationOnTheCommittedUltrasound() throws IOException {
        byte[] pixels = ReferenceFiles.npyBytes(ReferenceFiles.reference("spine_ultrasound_band.npy.gz"), 64 * 256);
        float[] values = new float[pixels.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = pixels[i] & 0xff;
        }
        double spacing = 310.0 / 128;
        MedicalImage<?> ultrasound = MedicalImage.of(ArrayImgs.floats(values, 64, 256),
                new Geometry(new double[] {spacing, spacing}, new double[] {0, 0}, Geometry.identity(2)),
                Modality.US, IntensityUnit.ARBITRARY);
        List<String> rows = Files.readAllLines(ReferenceFiles.reference("ultrasound_curve_angle.csv"),
                StandardCharsets.UTF_8);
        double expected = Double.parseDouble(rows.get(1).split(",")[0]);
        assertEquals(expected, UltrasoundCurveAngle.measure(ultrasound), 1e-4);
    }

    @Test
    void tracksTheCobbAngleOfPhantomSpines() {
        double sumAbsolute = 0;
        int n = 0;
        for (int i = 0; i < 12; i++) {
            double cobb = 5 * i + 5;
            SpinePhantom spine = i % 3 == 2
                    ? SpinePhantom.doubleCurve(i, cobb, SpinePhantom.levelIndex("T6"), 20,
                            SpinePhantom.levelIndex("L1"))
                    : SpinePhantom.singleCurve(i, cobb, SpinePhantom.levelIndex(i % 2 == 0 ? "T8" : "T11"), 3 + i % 3);
            double truth = spine.trueCurves().get(0).angleDegrees();
            double uca = UltrasoundCurveAngle.measure(spine.ultrasound(WIDTH));
            assertEquals(truth, uca, 12, "UCA of " + spine.trueCurves());
            sumAbsolute += Math.abs(uca - truth);
            n++;
        }
        assertTrue(sumAbsolute / n < 6, "mean |UCA - Cobb| " + sumAbsolute / n);
        double straight = UltrasoundCurveAngle.measure(SpinePhantom.singleCurve(3, 0, SpinePhantom.levelIndex("T8"),
                3).ultrasound(WIDTH));
        assertTrue(straight < 8, "a straight spine reads " + straight);
    }

    @Test
    void refusesImagesWithoutASpineOrNotTwoDimensional() {
        MedicalImage<?> empty = MedicalImage.of(ArrayImgs.floats(64, 256), Geometry.isotropic(2, 2.4), Modality.US,
                IntensityUnit.ARBITRARY);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> UltrasoundCurveAngle.measure(empty))
                .getMessage().contains("no spine"));
        MedicalImage<?> volume = MedicalImage.of(ArrayImgs.floats(8, 8, 8), Geometry.isotropic(3, 1), Modality.US,
                IntensityUnit.ARBITRARY);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> UltrasoundCurveAngle.measure(volume))
                .getMessage().contains("2D"));
    }
}
