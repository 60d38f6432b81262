package org.medsynth.eval.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.stream.IntStream;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsynth.eval.AngleAgreement;
import org.medsynth.eval.BinaryMask;
import org.medsynth.eval.ConnectedComponents;
import org.medsynth.eval.ConnectedComponents.Connectivity;
import org.medsynth.eval.DistanceTransform;
import org.medsynth.eval.RoiMetrics;
import org.medsynth.eval.SegmentationMetrics;
import org.medsynth.eval.SegmentationMetrics.SurfaceDistances;
import org.medsynth.eval.Voxels;

/**
 * Segmentation and task metrics against scipy.ndimage and numpy on closed-form masks with anisotropic spacing;
 * the masks are rebuilt here exactly as reference/segmentation_reference.py builds them, and its output is
 * reference/segmentation_reference.json.
 */
class SegmentationReferenceTest {
    private static final double RELATIVE = 1e-6;
    static final double[] SPACING_3D = {0.7, 0.9, 2.5};
    static final int[] DIMS_3D = {40, 36, 20};
    private static final double[] SPACING_2D = {0.8, 1.3};
    private static final int[] DIMS_2D = {50, 40};
    private static JsonObject reference;

    @BeforeAll
    static void loadReference() throws IOException {
        reference = ReferenceFiles.json("segmentation_reference.json");
    }

    /** Voxels whose centre lies in the ellipsoid: Σ ((i − c)·s/a)² ≤ 1, summed x first as the script does. */
    static BinaryMask ellipsoid(int[] dims, double[] spacing, double[] centre, double[] semiAxesMm) {
        return fill(dims, spacing, coordinate -> {
            double total = 0;
            for (int a = 0; a < dims.length; a++) {
                double u = (coordinate[a] - centre[a]) * spacing[a] / semiAxesMm[a];
                total = total + u * u;
            }
            return total <= 1;
        });
    }

    /** lower ≤ i < upper on every axis. */
    static BinaryMask box(int[] dims, double[] spacing, int[] lower, int[] upper) {
        return fill(dims, spacing, coordinate -> IntStream.range(0, dims.length)
                .allMatch(a -> coordinate[a] >= lower[a] && coordinate[a] < upper[a]));
    }

    private interface Inside {
        boolean at(int[] coordinate);
    }

    private static BinaryMask fill(int[] dims, double[] spacing, Inside inside) {
        boolean[] f = new boolean[IntStream.of(dims).reduce(1, (a, b) -> a * b)];
        int[] coordinate = new int[dims.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = inside.at(coordinate);
            for (int a = 0; a < dims.length && ++coordinate[a] == dims[a]; a++) {
                coordinate[a] = 0;
            }
        }
        return new BinaryMask(f, dims, spacing);
    }

    static BinaryMask union(BinaryMask... masks) {
        boolean[] f = new boolean[masks[0].foreground().length];
        for (BinaryMask m : masks) {
            for (int i = 0; i < f.length; i++) {
                f[i] |= m.foreground()[i];
            }
        }
        return new BinaryMask(f, masks[0].dims(), masks[0].spacing());
    }

    private static double[] v(double... values) {
        return values;
    }

    private static int[] i(int... values) {
        return values;
    }

    private static void assertRelative(double expected, double actual, String what) {
        assertEquals(expected, actual, Math.abs(expected) * RELATIVE, what);
    }

    private static void checkCase(String key, BinaryMask ref, BinaryMask cand) {
        JsonObject r = reference.getAsJsonObject(key);
        assertEquals(r.get("reference_voxels").getAsInt(), ref.count(), key + " reference voxels");
        assertEquals(r.get("candidate_voxels").getAsInt(), cand.count(), key + " candidate voxels");
        assertRelative(r.get("dice").getAsDouble(), SegmentationMetrics.dice(ref, cand), key + " dice");
        assertRelative(r.get("iou").getAsDouble(), SegmentationMetrics.iou(ref, cand), key + " iou");
        SurfaceDistances d = SurfaceDistances.between(ref, cand);
        assertEquals(r.get("reference_surface_voxels").getAsInt(), d.referenceToCandidate().length, key + " surface");
        assertEquals(r.get("candidate_surface_voxels").getAsInt(), d.candidateToReference().length, key + " surface");
        // the largest distance is one voxel-to-voxel distance, computed as scipy computes it: equal to the bit
        double largest = Math.max(Arrays.stream(d.referenceToCandidate()).max().orElseThrow(),
                Arrays.stream(d.candidateToReference()).max().orElseThrow());
        assertEquals(r.get("hausdorff").getAsDouble(), largest, 0, key + " hausdorff");
        assertRelative(r.get("hd95").getAsDouble(), d.hd95(), key + " hd95");
        assertRelative(r.get("hd95").getAsDouble(), SegmentationMetrics.hd95(ref, cand), key + " hd95");
        assertRelative(r.get("assd").getAsDouble(), SegmentationMetrics.assd(ref, cand), key + " assd");
        assertRelative(r.get("nsd_1mm").getAsDouble(), SegmentationMetrics.nsd(ref, cand, 1.0), key + " nsd 1 mm");
        assertRelative(r.get("nsd_2.5mm").getAsDouble(), d.nsd(2.5), key + " nsd 2.5 mm");
    }

    @Test
    void ellipsoidsWithAnisotropicSpacingMatchScipy() {
        checkCase("ellipsoids_3d", ellipsoid(DIMS_3D, SPACING_3D, v(19.5, 17.0, 9.3), v(10, 9, 15)),
                ellipsoid(DIMS_3D, SPACING_3D, v(20.8, 16.4, 9.7), v(11, 8, 14)));
    }

    @Test
    void offsetBoxesMatchScipy() {
        checkCase("boxes_3d", box(DIMS_3D, SPACING_3D, i(5, 4, 3), i(25, 30, 15)),
                box(DIMS_3D, SPACING_3D, i(8, 2, 5), i(30, 28, 17)));
    }

    @Test
    void masksCutByTheImageBorderHaveASurfaceThere() {
        checkCase("border_3d", ellipsoid(DIMS_3D, SPACING_3D, v(2, 17, 1), v(9, 12, 10)),
                ellipsoid(DIMS_3D, SPACING_3D, v(1, 18, 2), v(8, 11, 11)));
    }

    @Test
    void ellipsesWithAFalsePositiveBlobIn2dMatchScipy() {
        checkCase("ellipses_2d", ellipsoid(DIMS_2D, SPACING_2D, v(20, 18.5), v(12, 14)),
                union(ellipsoid(DIMS_2D, SPACING_2D, v(21.3, 17.6), v(11, 15)),
                        ellipsoid(DIMS_2D, SPACING_2D, v(44, 6), v(2, 3))));
    }

    @Test
    void distanceTransformIsScipysExactEdt() {
        JsonObject r = reference.getAsJsonObject("edt_12x10x8");
        int[] dims = {12, 10, 8};
        BinaryMask features = fill(dims, SPACING_3D, c -> (7 * c[0] + 3 * c[1] + 5 * c[2]) % 23 == 0);
        assertEquals(r.get("features").getAsInt(), features.count());
        double[] distances = DistanceTransform.distanceToNearest(features.foreground(), dims, SPACING_3D);
        JsonArray expected = r.getAsJsonArray("distances");
        assertEquals(expected.size(), distances.length);
        for (int k = 0; k < distances.length; k++) {
            assertEquals(expected.get(k).getAsDouble(), distances[k], 0, "distance at " + k);
        }
        double[] none = DistanceTransform.distanceToNearest(new boolean[24], new int[] {6, 4}, v(1, 1));
        assertTrue(Arrays.stream(none).allMatch(d -> d == Double.POSITIVE_INFINITY));
    }

    static BinaryMask lesions3d() {
        int[] d = {30, 30, 12};
        return union(box(d, SPACING_3D, i(2, 2, 1), i(8, 8, 5)), box(d, SPACING_3D, i(8, 8, 5), i(12, 12, 8)),
                box(d, SPACING_3D, i(20, 20, 10), i(21, 21, 11)), box(d, SPACING_3D, i(14, 2, 2), i(16, 3, 3)),
                ellipsoid(d, SPACING_3D, v(22, 12, 6), v(4, 5, 6)),
                box(d, SPACING_3D, i(27, 25, 0), i(29, 27, 1)), box(d, SPACING_3D, i(26, 27, 0), i(27, 29, 1)));
    }

    private static BinaryMask lesions2d() {
        int[] d = {24, 20};
        double[] unit = {1, 1};
        return union(box(d, unit, i(1, 1), i(6, 5)), box(d, unit, i(6, 5), i(9, 9)), box(d, unit, i(15, 2), i(16, 3)),
                ellipsoid(d, unit, v(16, 13), v(4, 5)));
    }

    private static int[] sizes(JsonObject labelling, String connectivity) {
        JsonArray a = labelling.getAsJsonObject(connectivity).getAsJsonArray("sizes");
        return IntStream.range(0, a.size()).map(k -> a.get(k).getAsInt()).toArray();
    }

    @Test
    void componentsAreScipysLabelsInScanOrder() {
        for (String key : new String[] {"lesions_3d", "lesions_2d"}) {
            BinaryMask mask = key.equals("lesions_3d") ? lesions3d() : lesions2d();
            JsonObject r = reference.getAsJsonObject(key);
            assertArrayEquals(sizes(r, "face"), ConnectedComponents.label(mask, Connectivity.FACE).sizes(), key);
            assertArrayEquals(sizes(r, "full"), ConnectedComponents.label(mask, Connectivity.FULL).sizes(), key);
        }
    }

    @Test
    void lesionsSmallerThanTheMinimumSizeAreNotCounted() {
        BinaryMask mask = lesions3d();
        // face components: 4, 2, 144, 2, 325, 48 and 1 voxels of 0.7·0.9·2.5 = 1.575 mm³
        assertEquals(7, ConnectedComponents.count(mask, Connectivity.FACE, 1, 0));
        assertEquals(4, ConnectedComponents.count(mask, Connectivity.FACE, 3, 0));
        double volume48 = 48 * mask.voxelVolume();
        assertEquals(3, ConnectedComponents.count(mask, Connectivity.FACE, 1, volume48), "the minimum is inclusive");
        assertEquals(2, ConnectedComponents.count(mask, Connectivity.FACE, 1, volume48 * (1 + 1e-9)));
        assertEquals(2, ConnectedComponents.count(mask, Connectivity.FULL, 7, 0));
    }

    @Test
    void cobbAgreementMatchesLinregressAndBlandAltman() {
        JsonObject r = reference.getAsJsonObject("cobb");
        double[] ref = new double[15];
        double[] cand = new double[15];
        for (int k = 0; k < 15; k++) {
            ref[k] = 10 + 3.7 * k + 5 * Math.sin(k);
            cand[k] = 0.93 * ref[k] + 2.1 + 3 * Math.cos(1.7 * k);
        }
        AngleAgreement a = AngleAgreement.of(ref, cand);
        assertEquals(15, a.n());
        assertRelative(r.get("slope").getAsDouble(), a.slope(), "slope");
        assertRelative(r.get("slope_angle_degrees").getAsDouble(), a.slopeAngleDegrees(), "slope angle");
        assertRelative(r.get("intercept").getAsDouble(), a.intercept(), "intercept");
        assertRelative(r.get("r_squared").getAsDouble(), a.rSquared(), "R²");
        assertRelative(r.get("pearson_r").getAsDouble(), a.pearsonR(), "r");
        assertRelative(r.get("bias").getAsDouble(), a.bias(), "bias");
        assertRelative(r.get("sd_difference").getAsDouble(), a.sdDifference(), "sd");
        assertRelative(r.get("lower_limit").getAsDouble(), a.lowerLimit(), "lower limit");
        assertRelative(r.get("upper_limit").getAsDouble(), a.upperLimit(), "upper limit");
    }

    /** SUV-like volume 2 + sin(x/3)·cos(y/4) + z/10; the candidate is 1.1·reference + 0.05. */
    static Voxels petImage(boolean candidate) {
        double[] values = new double[DIMS_3D[0] * DIMS_3D[1] * DIMS_3D[2]];
        for (int z = 0, k = 0; z < DIMS_3D[2]; z++) {
            for (int y = 0; y < DIMS_3D[1]; y++) {
                for (int x = 0; x < DIMS_3D[0]; x++, k++) {
                    double ref = 2 + Math.sin(x / 3.0) * Math.cos(y / 4.0) + z / 10.0;
                    values[k] = candidate ? ref * 1.1 + 0.05 : ref;
                }
            }
        }
        return new Voxels(values, DIMS_3D, SPACING_3D);
    }

    static BinaryMask lesionRoi() {
        return ellipsoid(DIMS_3D, SPACING_3D, v(19.5, 17.0, 9.3), v(5, 6, 8));
    }

    static BinaryMask backgroundRoi() {
        return box(DIMS_3D, SPACING_3D, i(2, 2, 2), i(10, 10, 6));
    }

    @Test
    void roiStatisticsMatchNumpy() {
        for (String which : new String[] {"reference", "candidate"}) {
            JsonObject r = reference.getAsJsonObject("roi").getAsJsonObject(which);
            Voxels image = petImage(which.equals("candidate"));
            assertRelative(r.get("suv_mean").getAsDouble(), RoiMetrics.mean(image, lesionRoi()), which + " SUVmean");
            assertEquals(r.get("suv_max").getAsDouble(), RoiMetrics.max(image, lesionRoi()), 0, which + " SUVmax");
            assertRelative(r.get("cnr").getAsDouble(), RoiMetrics.cnr(image, lesionRoi(), backgroundRoi()), which + " CNR");
        }
    }

    @Test
    void emptyMasksFollowTheDocumentedConventions() {
        BinaryMask empty = new BinaryMask(new boolean[DIMS_3D[0] * DIMS_3D[1] * DIMS_3D[2]], DIMS_3D, SPACING_3D);
        BinaryMask ball = ellipsoid(DIMS_3D, SPACING_3D, v(19.5, 17.0, 9.3), v(10, 9, 15));
        assertEquals(1.0, SegmentationMetrics.dice(empty, empty));
        assertEquals(1.0, SegmentationMetrics.iou(empty, empty));
        assertEquals(0.0, SegmentationMetrics.hd95(empty, empty));
        assertEquals(0.0, SegmentationMetrics.assd(empty, empty));
        assertEquals(1.0, SegmentationMetrics.nsd(empty, empty, 1));
        for (BinaryMask[] pair : new BinaryMask[][] {{empty, ball}, {ball, empty}}) {
            assertEquals(0.0, SegmentationMetrics.dice(pair[0], pair[1]));
            assertEquals(0.0, SegmentationMetrics.iou(pair[0], pair[1]));
            assertEquals(Double.POSITIVE_INFINITY, SegmentationMetrics.hd95(pair[0], pair[1]));
            assertEquals(Double.POSITIVE_INFINITY, SegmentationMetrics.assd(pair[0], pair[1]));
            assertEquals(0.0, SegmentationMetrics.nsd(pair[0], pair[1], 1));
        }
        assertEquals(1.0, SegmentationMetrics.dice(ball, ball));
        assertEquals(0.0, SegmentationMetrics.hd95(ball, ball));
        assertEquals(1.0, SegmentationMetrics.nsd(ball, ball, 0));
    }

    @Test
    void masksOnDifferentGridsAreRefused() {
        BinaryMask ball = ellipsoid(DIMS_3D, SPACING_3D, v(19.5, 17.0, 9.3), v(10, 9, 15));
        BinaryMask transposed = ellipsoid(i(36, 40, 20), SPACING_3D, v(17.0, 19.5, 9.3), v(9, 10, 15));
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> SegmentationMetrics.dice(ball, transposed));
        assertEquals("reference and candidate masks differ in shape: 40×36×20 vs 36×40×20", shape.getMessage());
        BinaryMask resampled = ellipsoid(DIMS_3D, v(0.7, 0.9, 2.0), v(19.5, 17.0, 9.3), v(10, 9, 15));
        IllegalArgumentException spacing = assertThrows(IllegalArgumentException.class,
                () -> SegmentationMetrics.hd95(ball, resampled));
        assertTrue(spacing.getMessage().startsWith("reference and candidate masks differ in voxel spacing"),
                spacing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SegmentationMetrics.nsd(ball, ball, -1));
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> BinaryMask.of(new Voxels(v(0, 1, Double.NaN, 0), i(2, 2), v(1, 1))));
        assertEquals("mask has a non-finite value (NaN) at element 2", nan.getMessage());
        IllegalArgumentException roi = assertThrows(IllegalArgumentException.class,
                () -> RoiMetrics.mean(petImage(false), transposed));
        assertTrue(roi.getMessage().startsWith("ROI and image differ in shape"), roi.getMessage());
    }

    @Test
    void undefinedAgreementAndContrastAreRefused() {
        IllegalArgumentException constant = assertThrows(IllegalArgumentException.class,
                () -> AngleAgreement.of(v(20, 20, 20, 20), v(18, 22, 19, 25)));
        assertTrue(constant.getMessage().contains("reference angles are all equal"), constant.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AngleAgreement.of(v(20, 30), v(21, 29)));
        assertThrows(IllegalArgumentException.class, () -> AngleAgreement.of(v(20, 30, 40), v(21, 29)));
        Voxels flat = new Voxels(new double[DIMS_3D[0] * DIMS_3D[1] * DIMS_3D[2]], DIMS_3D, SPACING_3D);
        IllegalArgumentException noNoise = assertThrows(IllegalArgumentException.class,
                () -> RoiMetrics.cnr(flat, lesionRoi(), backgroundRoi()));
        assertTrue(noNoise.getMessage().contains("constant in the background"), noNoise.getMessage());
    }
}
