package org.medsynth.data.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;

import org.junit.jupiter.api.Test;
import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.data.dataset.Augmentation;
import org.medsynth.data.dataset.IntensityTransforms;
import org.medsynth.data.dataset.Patches;
import org.medsynth.data.dataset.Patches.Patch;
import org.medsynth.data.dataset.Patches.Weighting;
import org.medsynth.data.dataset.SpatialTransforms;

/**
 * Transforms against scipy/numpy reference values (reference/resample_reference.py) and against analytic results:
 * linear interpolation of a linear function is exact, and a pixel kept by a geometric transform must stay where it
 * was in the patient.
 */
class TransformsTest {
    private static final double C = Math.cos(0.4);
    private static final double S = Math.sin(0.4);
    /** Rotated about z, origin off zero, anisotropic: any slip between index and patient space shows. */
    private static final Geometry OBLIQUE = new Geometry(new double[] {0.9, 1.3, 2.2}, new double[] {-20, 14, 7},
            new double[] {C, -S, 0, S, C, 0, 0, 0, 1});

    private static double[] doubles(JsonArray a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).getAsDouble();
        }
        return v;
    }

    private static int[] ints(JsonArray a) {
        return Arrays.stream(doubles(a)).mapToInt(x -> (int) x).toArray();
    }

    private static JsonObject reference() throws Exception {
        return JsonParser.parseString(Files.readString(TestImages.reference("resample_reference.json"))).getAsJsonObject();
    }

    private static MedicalImage<FloatType> fromValues(double[] values, int[] size, Geometry geometry) {
        float[] data = new float[values.length];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) values[i];
        }
        return MedicalImage.of(ArrayImgs.floats(data, Arrays.stream(size).mapToLong(s -> s).toArray()), geometry,
                Modality.CT, IntensityUnit.HOUNSFIELD);
    }

    @Test
    void resamplingMatchesScipyMapCoordinatesOrder1() throws Exception {
        for (var element : reference().getAsJsonArray("cases")) {
            JsonObject c = element.getAsJsonObject();
            int[] size = ints(c.getAsJsonArray("size"));
            double[] spacing = doubles(c.getAsJsonArray("spacing"));
            double[] target = doubles(c.getAsJsonArray("target"));
            double[] origin = new double[size.length];
            Arrays.fill(origin, 3.5);
            Geometry g = new Geometry(spacing, origin, size.length == 3 ? OBLIQUE.direction() : new double[] {C, -S, S, C});
            MedicalImage<FloatType> out = SpatialTransforms.resample(fromValues(doubles(c.getAsJsonArray("input")), size, g),
                    target);
            String name = c.get("name").getAsString();
            assertArrayEquals(Arrays.stream(ints(c.getAsJsonArray("expected_size"))).mapToLong(s -> s).toArray(),
                    out.dimensions(), name);
            assertArrayEquals(doubles(c.getAsJsonArray("expected")), TestImages.values(out), 2e-4, name);
            assertArrayEquals(target, out.geometry().spacing(), name);
            assertArrayEquals(origin, out.geometry().origin(), name);
            assertArrayEquals(g.direction(), out.geometry().direction(), name);
            assertEquals(IntensityUnit.HOUNSFIELD, out.unit());
        }
    }

    private static double plane(double[] point) {
        return 2.5 * point[0] - 1.5 * point[1] + 0.75 * point[2] + 11;
    }

    @Test
    void resampledLinearFieldEqualsTheFieldAtEachNewPixelCentre() {
        MedicalImage<FloatType> in = TestImages.of(new int[] {9, 8, 6}, OBLIQUE,
                p -> plane(OBLIQUE.indexToPhysical(new double[] {p[0], p[1], p[2]})));
        MedicalImage<FloatType> out = SpatialTransforms.resample(in, new double[] {0.5, 1.7, 1.0});
        assertArrayEquals(new long[] {16, 6, 13}, out.dimensions());
        double[] values = TestImages.values(out);
        int checked = 0;
        int i = 0;
        for (int z = 0; z < 13; z++) {
            for (int y = 0; y < 6; y++) {
                for (int x = 0; x < 16; x++, i++) {
                    double[] point = out.geometry().indexToPhysical(new double[] {x, y, z});
                    double[] source = in.geometry().physicalToIndex(point);
                    if (source[0] <= 8 + 1e-9 && source[1] <= 7 + 1e-9 && source[2] <= 5 + 1e-9) {
                        assertEquals(plane(point), values[i], 1e-3, "pixel " + x + "," + y + "," + z);
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked > 1000, "checked " + checked);
    }

    /** Each pixel of {@code out} holds the value {@code in} has at the same place in the patient, or {@code pad}. */
    private static void assertSamePlaceSameValue(MedicalImage<?> in, MedicalImage<?> out, double pad) {
        long[] inDims = in.dimensions();
        long[] dims = out.dimensions();
        double[] inValues = TestImages.values(in);
        double[] outValues = TestImages.values(out);
        int i = 0;
        for (int z = 0; z < dims[2]; z++) {
            for (int y = 0; y < dims[1]; y++) {
                for (int x = 0; x < dims[0]; x++, i++) {
                    double[] source = in.geometry().physicalToIndex(out.geometry().indexToPhysical(new double[] {x, y, z}));
                    long[] s = Arrays.stream(source).mapToLong(Math::round).toArray();
                    for (int a = 0; a < 3; a++) {
                        assertEquals(s[a], source[a], 1e-6, "pixel centres must coincide");
                    }
                    boolean inside = s[0] >= 0 && s[1] >= 0 && s[2] >= 0 && s[0] < inDims[0] && s[1] < inDims[1]
                            && s[2] < inDims[2];
                    double expected = inside ? inValues[(int) (s[0] + inDims[0] * (s[1] + inDims[1] * s[2]))] : pad;
                    assertEquals(expected, outValues[i], 0, "pixel " + x + "," + y + "," + z);
                }
            }
        }
    }

    @Test
    void cropOrPadCentresAndKeepsEveryPixelInPlace() {
        MedicalImage<FloatType> in = TestImages.of(new int[] {7, 6, 5}, OBLIQUE, p -> p[0] + 10 * p[1] + 100 * p[2]);
        MedicalImage<FloatType> out = SpatialTransforms.cropOrPad(in, new int[] {4, 9, 5}, -1000);
        assertArrayEquals(new long[] {4, 9, 5}, out.dimensions());
        // x: (7 - 4) / 2 = 1 pixel cropped at the start; y: (9 - 6) / 2 = 1 pixel padded at the start
        assertEquals(-1000, TestImages.values(out)[0]);
        assertEquals(1, TestImages.values(out)[4]);
        assertSamePlaceSameValue(in, out, -1000);
    }

    @Test
    void flipReversesTheArrayButNotTheAnatomy() {
        MedicalImage<FloatType> in = TestImages.of(new int[] {5, 4, 3}, OBLIQUE, p -> p[0] + 10 * p[1] + 100 * p[2]);
        MedicalImage<FloatType> out = SpatialTransforms.flip(in, 1);
        assertEquals(30, TestImages.values(out)[0]);
        assertSamePlaceSameValue(in, out, Double.NaN);
        assertThrows(IllegalArgumentException.class, () -> SpatialTransforms.flip(in, 3));
    }

    @Test
    void affineOfALinearFieldIsTheFieldAtTheMappedPoints() {
        Geometry g = new Geometry(new double[] {1.0, 1.5}, new double[] {4, -2}, new double[] {C, -S, S, C});
        int[] size = {21, 15};
        MedicalImage<FloatType> in = TestImages.of(size, g, p -> 3 * p[0] - 2 * p[1] + 7);
        double angle = Math.toRadians(25);
        double[] matrix = {1.1 * Math.cos(angle), -1.1 * Math.sin(angle), 1.1 * Math.sin(angle), 1.1 * Math.cos(angle)};
        double[] shift = {1.5, -2.0};
        MedicalImage<FloatType> out = SpatialTransforms.affine(in, matrix, shift, -99);
        assertEquals(g, out.geometry());
        double[] values = TestImages.values(out);
        double[] centre = g.indexToPhysical(new double[] {10, 7});
        int inside = 0;
        int filled = 0;
        for (int y = 0, i = 0; y < size[1]; y++) {
            for (int x = 0; x < size[0]; x++, i++) {
                double[] u = g.indexToPhysical(new double[] {x, y});
                double ux = u[0] - centre[0];
                double uy = u[1] - centre[1];
                double[] target = {centre[0] + matrix[0] * ux + matrix[1] * uy + shift[0],
                        centre[1] + matrix[2] * ux + matrix[3] * uy + shift[1]};
                double[] q = g.physicalToIndex(target);
                if (q[0] >= 0 && q[1] >= 0 && q[0] <= size[0] - 1 && q[1] <= size[1] - 1) {
                    assertEquals(3 * q[0] - 2 * q[1] + 7, values[i], 1e-4, "pixel " + x + "," + y);
                    inside++;
                } else if (q[0] < -1e-3 || q[1] < -1e-3 || q[0] > size[0] - 1 + 1e-3 || q[1] > size[1] - 1 + 1e-3) {
                    assertEquals(-99, values[i], "pixel " + x + "," + y);
                    filled++;
                }
            }
        }
        assertTrue(inside > 150 && filled > 10, inside + " inside, " + filled + " filled");
    }

    @Test
    void windowAndNormalisationsFollowTheirFormulas() throws Exception {
        MedicalImage<FloatType> in = TestImages.of(new int[] {21, 3}, Geometry.isotropic(2, 1), p -> -1000 + 100 * p[0] + p[1]);
        double[] v = TestImages.values(in);

        double[] window = TestImages.values(IntensityTransforms.window(in, 40, 400));
        for (int i = 0; i < v.length; i++) {
            assertEquals(Math.min(1, Math.max(0, (v[i] - (40 - 200)) / 400)), window[i], 1e-6);
        }
        double mean = Arrays.stream(v).average().orElseThrow();
        double std = Math.sqrt(Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / v.length);
        double[] z = TestImages.values(IntensityTransforms.zScore(in));
        for (int i = 0; i < v.length; i++) {
            assertEquals((v[i] - mean) / std, z[i], 1e-5);
        }
        double[] unit = TestImages.values(IntensityTransforms.minMax(in));
        assertEquals(0, Arrays.stream(unit).min().orElseThrow(), 0);
        assertEquals(1, Arrays.stream(unit).max().orElseThrow(), 1e-7);
        assertEquals(IntensityUnit.ARBITRARY, IntensityTransforms.minMax(in).unit());
        MedicalImage<FloatType> constant = TestImages.of(new int[] {3, 3}, Geometry.isotropic(2, 1), p -> 5);
        assertArrayEquals(new double[9], TestImages.values(IntensityTransforms.zScore(constant)));
        assertThrows(IllegalArgumentException.class, () -> IntensityTransforms.window(in, 40, 0));
    }

    @Test
    void percentileClipUsesNumpysPercentiles() throws Exception {
        JsonObject ref = reference();
        JsonObject c = ref.getAsJsonArray("cases").get(0).getAsJsonObject();
        MedicalImage<FloatType> in = fromValues(doubles(c.getAsJsonArray("input")), ints(c.getAsJsonArray("size")),
                Geometry.of(doubles(c.getAsJsonArray("spacing"))));
        double[] q = doubles(ref.getAsJsonObject("percentiles").getAsJsonArray("q"));
        double[] expected = doubles(ref.getAsJsonObject("percentiles").getAsJsonArray("values"));
        for (int i = 0; i < q.length; i++) {
            for (int j = i; j < q.length; j++) {
                double[] clipped = TestImages.values(IntensityTransforms.percentileClip(in, q[i], q[j]));
                assertEquals(expected[i], Arrays.stream(clipped).min().orElseThrow(), 1e-4, "low " + q[i]);
                assertEquals(expected[j], Arrays.stream(clipped).max().orElseThrow(), 1e-4, "high " + q[j]);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> IntensityTransforms.percentileClip(in, 60, 40));
    }

    @Test
    void patchesStitchBackToExactlyTheImage() {
        Random random = new Random(3);
        MedicalImage<FloatType> volume = TestImages.of(new int[] {13, 11, 7}, OBLIQUE, p -> random.nextGaussian() * 1e3);
        MedicalImage<FloatType> twoChannels = TestImages.of(new int[] {10, 9}, Geometry.isotropic(2, 0.5),
                List.of("t1", "t2"), p -> random.nextFloat());
        for (MedicalImage<FloatType> image : List.of(volume, twoChannels)) {
            int d = image.geometry().dimensions();
            int[] size = d == 3 ? new int[] {5, 4, 3} : new int[] {4, 4};
            int[] overlap = d == 3 ? new int[] {2, 1, 1} : new int[] {1, 3};
            List<Patch> patches = Patches.extract(image, size, overlap);
            for (Patch p : patches) {
                double[] start = Arrays.stream(p.offset()).asDoubleStream().toArray();
                assertArrayEquals(image.geometry().indexToPhysical(start), p.image().geometry().origin(), 1e-9);
            }
            for (Weighting w : Weighting.values()) {
                MedicalImage<FloatType> back = Patches.stitch(patches, image, w);
                assertArrayEquals(TestImages.values(image), TestImages.values(back), 0, w + " " + d + "D");
                assertEquals(image.geometry(), back.geometry());
            }
        }
        MedicalImage<FloatType> tiled = TestImages.ramp(0, 12, 8);
        assertEquals(6, Patches.extract(tiled, new int[] {4, 4}, new int[] {0, 0}).size());
    }

    @Test
    void overlapsAreTheWeightedMeanOfThePatches() {
        MedicalImage<FloatType> image = TestImages.ramp(0, 6, 1);
        List<Patch> patches = Patches.extract(image, new int[] {4, 1}, new int[] {2, 0});
        assertEquals(2, patches.size());
        List<Patch> constant = List.of(
                new Patch(patches.get(0).offset(), IntensityTransforms.scaleShift(patches.get(0).image(), 0, 1)),
                new Patch(patches.get(1).offset(), IntensityTransforms.scaleShift(patches.get(1).image(), 0, 3)));
        assertArrayEquals(new double[] {1, 1, 2, 2, 3, 3},
                TestImages.values(Patches.stitch(constant, image, Weighting.UNIFORM)), 1e-6);
        // in-patch weights 1 2 2 1: pixel 2 is (2·1 + 1·3) / 3, pixel 3 is (1·1 + 2·3) / 3
        assertArrayEquals(new double[] {1, 1, 5.0 / 3, 7.0 / 3, 3, 3},
                TestImages.values(Patches.stitch(constant, image, Weighting.LINEAR)), 1e-6);

        IllegalArgumentException gap = assertThrows(IllegalArgumentException.class,
                () -> Patches.stitch(constant.subList(0, 1), image, Weighting.UNIFORM));
        assertTrue(gap.getMessage().contains("pixel [4, 0] is covered by no patch"), gap.getMessage());
        IllegalArgumentException large = assertThrows(IllegalArgumentException.class,
                () -> Patches.extract(image, new int[] {7, 1}, new int[] {0, 0}));
        assertTrue(large.getMessage().contains("pad the image first"), large.getMessage());
    }

    @Test
    void augmentationIsAFunctionOfTheSeed() {
        MedicalImage<FloatType> in = TestImages.of(new int[] {12, 10, 6}, OBLIQUE, p -> p[0] * p[1] - 3 * p[2]);
        Augmentation all = new Augmentation(new Augmentation.Settings(0.5, 10, 0.1, 2, 0.2, 5, -1));
        double[] a = TestImages.values(all.apply(in, 17));
        assertArrayEquals(a, TestImages.values(all.apply(in, 17)), 0);
        assertFalse(Arrays.equals(a, TestImages.values(all.apply(in, 18))));
    }

    @Test
    void flipAugmentationKeepsTheGeometryTrue() {
        MedicalImage<FloatType> in = TestImages.of(new int[] {5, 4, 3}, OBLIQUE, p -> p[0] + 10 * p[1] + 100 * p[2]);
        MedicalImage<FloatType> out = new Augmentation(new Augmentation.Settings(1, 0, 0, 0, 0, 0, 0)).apply(in, 1);
        assertSamePlaceSameValue(in, out, Double.NaN);
        assertEquals(234, TestImages.values(out)[0]);
    }

    @Test
    void intensityAugmentationIsAnAffineMapOfTheValues() {
        MedicalImage<FloatType> in = TestImages.of(new int[] {6, 5}, Geometry.isotropic(2, 1), p -> p[0] * 7 - p[1] * 3);
        MedicalImage<FloatType> out = new Augmentation(new Augmentation.Settings(0, 0, 0, 0, 0.2, 5, 0)).apply(in, 99);
        double[] v = TestImages.values(in);
        double[] w = TestImages.values(out);
        double scale = (w[1] - w[0]) / (v[1] - v[0]);
        double shift = w[0] - scale * v[0];
        assertTrue(scale >= 0.8 && scale <= 1.2 && Math.abs(shift) <= 5 && scale != 1, scale + ", " + shift);
        for (int i = 0; i < v.length; i++) {
            assertEquals(scale * v[i] + shift, w[i], 1e-4);
        }
    }
}
