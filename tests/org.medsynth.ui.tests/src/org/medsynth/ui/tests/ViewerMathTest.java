package org.medsynth.ui.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.core.image.Provenance;
import org.medsynth.ui.internal.viewer.ColorMap;
import org.medsynth.ui.internal.viewer.Plane;
import org.medsynth.ui.internal.viewer.SliceRenderer;
import org.medsynth.ui.internal.viewer.VolumeSlicer;
import org.medsynth.ui.internal.viewer.Window;
import org.medsynth.ui.internal.viewer.WindowPresets;
import org.medsynth.ui.viewer.Annotation;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;

/** The viewer's pixel arithmetic, without widgets: windowing, colour maps, reslicing, label blending, angles. */
class ViewerMathTest {
    /** x + 10 y + 100 z on a 4 × 3 × 2 grid with spacing 0.5 × 1 × 2.5 mm. */
    private static VolumeSlicer coded() {
        float[] values = new float[4 * 3 * 2];
        for (int z = 0; z < 2; z++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 4; x++) {
                    values[x + 4 * (y + 3 * z)] = x + 10 * y + 100 * z;
                }
            }
        }
        var pixels = ArrayImgs.floats(values, 4, 3, 2);
        return new VolumeSlicer(MedicalImage.of(pixels, Geometry.of(new double[] { 0.5, 1, 2.5 }), Modality.CT,
                IntensityUnit.HOUNSFIELD));
    }

    @Test
    void windowFollowsDicomLinearExact() {
        // PS3.3 C.11.2.1.3.2: y = ((x - c) / w + 0.5) * 255 inside (c - w/2, c + w/2], clamped outside
        Window brain = new Window(40, 80);
        assertEquals(0, brain.level(-1000));
        assertEquals(0, brain.level(0));
        assertEquals(1, brain.level(0.2)); // 0.6375 rounds up
        assertEquals(128, brain.level(40)); // 127.5
        assertEquals(191, brain.level(60)); // 191.25
        assertEquals(255, brain.level(80));
        assertEquals(255, brain.level(3000));
        Window narrow = new Window(0.5, 0.25); // widths below 1 for float images in arbitrary units
        assertEquals(64, narrow.level(0.4375)); // 63.75
        assertThrows(IllegalArgumentException.class, () -> new Window(0, 0));
        assertEquals(new Window(1.5, 3), Window.ofRange(0, 3));
    }

    @Test
    void draggingRightWidensAndDownRaisesTheCentre() {
        Window dragged = new Window(40, 400).dragged(10, -20, 2);
        assertEquals(0, dragged.center());
        assertEquals(420, dragged.width());
        assertEquals(2, new Window(40, 400).dragged(-1000, 0, 2).width(), "never narrower than one step");
    }

    @Test
    void hotMapFollowsMatplotlibsSegments() {
        // matplotlib's _hot_data: red 0 -> 1 over [0, 0.365079], green over [0.365079, 0.746032], blue over the rest
        assertEquals(0x000000, ColorMap.HOT.rgb(0));
        assertEquals(rgb(90, 0, 0), ColorMap.HOT.rgb(33)); // 33/255/0.365079 = 0.3545
        assertEquals(rgb(255, 92, 0), ColorMap.HOT.rgb(128)); // (0.50196 - 0.365079)/0.380953 = 0.3593
        assertEquals(rgb(255, 255, 3), ColorMap.HOT.rgb(191)); // (0.74902 - 0.746032)/0.253968 = 0.0118
        assertEquals(0xFFFFFF, ColorMap.HOT.rgb(255));
        assertEquals(rgb(77, 77, 77), ColorMap.GREY.rgb(77));
        assertEquals(rgb(178, 178, 178), ColorMap.INVERTED.rgb(77));
    }

    private static int rgb(int r, int g, int b) {
        return (r << 16) | (g << 8) | b;
    }

    @Test
    void reslicesEachPlaneWithItsSpacing() {
        VolumeSlicer slicer = coded();
        float[] buffer = new float[12];
        slicer.extract(Plane.AXIAL, 1, 0, buffer);
        assertArrayEquals(new float[] { 100, 101, 102, 103, 110, 111, 112, 113, 120, 121, 122, 123 }, buffer);
        assertEquals(2.0, slicer.pixelAspect(Plane.AXIAL));

        slicer.extract(Plane.CORONAL, 2, 0, buffer); // y = 2; rows are z from the top (z = 1) down
        assertArrayEquals(new float[] { 120, 121, 122, 123, 20, 21, 22, 23 }, java.util.Arrays.copyOf(buffer, 8));
        assertEquals(4, slicer.width(Plane.CORONAL));
        assertEquals(2, slicer.height(Plane.CORONAL));
        assertEquals(5.0, slicer.pixelAspect(Plane.CORONAL), "2.5 mm slices under 0.5 mm columns");

        slicer.extract(Plane.SAGITTAL, 3, 0, buffer); // x = 3; columns are y
        assertArrayEquals(new float[] { 103, 113, 123, 3, 13, 23 }, java.util.Arrays.copyOf(buffer, 6));
        assertEquals(2.5, slicer.pixelAspect(Plane.SAGITTAL));
        assertEquals(3, slicer.slices(Plane.CORONAL));
        assertEquals(4, slicer.slices(Plane.SAGITTAL));

        assertEquals(121.0, slicer.value(new int[] { 1, 2, 1 }, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> slicer.extract(Plane.AXIAL, 2, 0, buffer));
        assertThrows(IllegalArgumentException.class, () -> slicer.extract(Plane.AXIAL, 0, 0, new float[11]));
    }

    @Test
    void readsColourChannelsOfA2dImage() {
        float[] values = new float[2 * 2 * 3];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        MedicalImage<FloatType> rgb = new MedicalImage<>(ArrayImgs.floats(values, 2, 2, 3), Geometry.of(new double[] { 1, 1 }),
                Modality.SM, IntensityUnit.ARBITRARY, List.of("R", "G", "B"), Provenance.acquired());
        VolumeSlicer slicer = new VolumeSlicer(rgb);
        assertFalse(slicer.isVolume());
        assertEquals(3, slicer.channels());
        float[] buffer = new float[4];
        slicer.extract(Plane.AXIAL, 0, 2, buffer);
        assertArrayEquals(new float[] { 8, 9, 10, 11 }, buffer);
    }

    @Test
    void rendersWindowedGreyAndBlendsLabels() {
        float[] values = { -1000, 40, 80, 2000 };
        byte[] out = new byte[8 * 2]; // two rows of two pixels, 8 bytes per line (padding kept untouched)
        SliceRenderer.renderGrey(values, 2, 2, new Window(40, 80), ColorMap.GREY, out, 8);
        assertArrayEquals(new byte[] { 0, 0, 0, (byte) 128, (byte) 128, (byte) 128, 0, 0 }, java.util.Arrays.copyOf(out, 8));
        assertEquals((byte) 255, out[8]);
        assertEquals((byte) 255, out[13]);

        float[] labels = { 0, 1, 0, 0 };
        SliceRenderer.blendLabels(labels, 2, 2, 0.5, out, 8);
        int colour = SliceRenderer.labelColour(1); // 0xE6194B over grey 128
        assertEquals(Math.round(128 + ((colour >> 16 & 0xFF) - 128) * 0.5), out[3] & 0xFF);
        assertEquals(Math.round(128 + ((colour >> 8 & 0xFF) - 128) * 0.5), out[4] & 0xFF);
        assertEquals(Math.round(128 + ((colour & 0xFF) - 128) * 0.5), out[5] & 0xFF);
        assertEquals(0, out[0], "label 0 leaves the pixel as it was");

        float[] difference = new float[2];
        SliceRenderer.difference(new float[] { 5, 1 }, new float[] { 2, 4 }, 2, difference);
        assertArrayEquals(new float[] { 3, -3 }, difference);
    }

    @Test
    void ctGetsRadiologyPresetsAndOthersAnAutomaticWindow() {
        List<WindowPresets.Preset> ct = WindowPresets.forImage(coded());
        assertEquals(List.of("Soft tissue", "Brain", "Lung", "Bone", "Auto", "Full range"),
                ct.stream().map(WindowPresets.Preset::name).toList());
        assertEquals(new Window(-600, 1500), ct.get(2).window());
        assertEquals(Window.ofRange(0, 123), ct.get(5).window());

        float[] ramp = new float[1000];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = i;
        }
        VolumeSlicer pet = new VolumeSlicer(MedicalImage.of(ArrayImgs.floats(ramp, 10, 10, 10), Geometry.isotropic(3, 2),
                Modality.PT, IntensityUnit.SUV_BODY_WEIGHT));
        List<WindowPresets.Preset> presets = WindowPresets.forImage(pet);
        assertEquals("Auto", presets.get(0).name());
        assertEquals(Window.ofRange(5, 994), presets.get(0).window(), "0.5 and 99.5 % of 0..999");
        assertEquals(ColorMap.HOT, WindowPresets.defaultColorMap(pet));

        ramp[0] = Float.NaN;
        ramp[1] = Float.POSITIVE_INFINITY;
        assertEquals(Window.ofRange(2, 999), WindowPresets.forImage(pet).get(1).window(), "full range of finite values");
        java.util.Arrays.fill(ramp, Float.NaN);
        assertEquals(Window.ofRange(0, 1), WindowPresets.forImage(pet).get(0).window(), "no finite value: 0..1");
    }

    @Test
    void cobbAngleIsMeasuredInMillimetres() {
        Annotation upper = Annotation.line("upper end plate", new double[] { 0, 0, 0 }, new double[] { 10, 0, 0 });
        Annotation lower = Annotation.line("lower end plate", new double[] { 0, 0, 0 }, new double[] { 10, 10, 0 });
        assertEquals(45, Annotation.angleDegrees(upper, lower, 1, 1), 1e-9);
        // pixels twice as tall as wide: the 10 × 10 pixel diagonal is 10 × 20 mm, atan(2) from the horizontal
        assertEquals(Math.toDegrees(Math.atan(2)), Annotation.angleDegrees(upper, lower, 1, 2), 1e-9);
        Annotation reversed = Annotation.line("reversed", new double[] { 10, 10, 0 }, new double[] { 0, 0, 0 });
        assertEquals(45, Annotation.angleDegrees(upper, reversed, 1, 1), 1e-9, "direction of drawing does not matter");
        assertThrows(IllegalArgumentException.class,
                () -> Annotation.angleDegrees(upper, Annotation.landmark("apex", 1, 2, 0), 1, 1));
        assertTrue(upper.isLine());
    }
}
