package org.medsynth.eval.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonObject;

import net.imglib2.img.array.ArrayImgs;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.medsynth.core.api.Contribution;
import org.medsynth.core.api.Contribution.Kind;
import org.medsynth.core.api.EvaluationRequest;
import org.medsynth.core.api.EvaluationResult;
import org.medsynth.core.api.Evaluator;
import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.core.registry.Contributions;
import org.medsynth.eval.ImageMetrics;
import org.medsynth.eval.ImageMetrics.Normalization;
import org.medsynth.eval.ImageMetrics.SsimOptions;

/**
 * Paired metrics against scikit-image (and, for MS-SSIM, the numpy implementation in the reference script) on
 * closed-form 2D and 3D images; reference values and the script that made them are in reference/
 * (metrics_reference.py, metrics_reference.json).
 */
class MetricsReferenceTest {
    private static final double RELATIVE = 1e-6;
    private static JsonObject reference;

    @BeforeAll
    static void loadReference() throws IOException {
        reference = ReferenceFiles.json("metrics_reference.json");
    }

    /** ref = 100 sin(x/5) cos(y/7) + 0.5x + 20 on 48×40; cand adds 10 sin(12.9898x + 78.233y). */
    static double[][] image2d() {
        double[] ref = new double[48 * 40];
        double[] cand = new double[ref.length];
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 48; x++) {
                int i = y * 48 + x;
                ref[i] = 100 * Math.sin(x / 5.0) * Math.cos(y / 7.0) + 0.5 * x + 20;
                cand[i] = ref[i] + 10 * Math.sin(x * 12.9898 + y * 78.233);
            }
        }
        return new double[][] {ref, cand};
    }

    static double[][] image3d() {
        double[] ref = new double[20 * 18 * 16];
        double[] cand = new double[ref.length];
        for (int z = 0; z < 16; z++) {
            for (int y = 0; y < 18; y++) {
                for (int x = 0; x < 20; x++) {
                    int i = (z * 18 + y) * 20 + x;
                    ref[i] = 50 * Math.sin(x / 4.0) * Math.cos(y / 6.0) * Math.cos(z / 5.0) + x - y + z;
                    cand[i] = ref[i] + 5 * Math.sin(x * 12.9898 + y * 78.233 + z * 37.719);
                }
            }
        }
        return new double[][] {ref, cand};
    }

    /**
     * ref = 100 sin(x/9) cos(y/13) + 0.3x + 20 on 192×176; cand = 0.6 ref + 10 sin(12.9898x + 78.233y)
     * + 40 cos(x/17 + y/23), different at coarse scales so that how each scale's border is pooled shows in MS-SSIM.
     */
    static double[][] image2dLarge() {
        double[] ref = new double[192 * 176];
        double[] cand = new double[ref.length];
        for (int y = 0; y < 176; y++) {
            for (int x = 0; x < 192; x++) {
                int i = y * 192 + x;
                ref[i] = 100 * Math.sin(x / 9.0) * Math.cos(y / 13.0) + 0.3 * x + 20;
                cand[i] = 0.6 * ref[i] + 10 * Math.sin(x * 12.9898 + y * 78.233) + 40 * Math.cos(x / 17.0 + y / 23.0);
            }
        }
        return new double[][] {ref, cand};
    }

    /** 165×163×161: odd sides at every MS-SSIM scale, so the pooling of a last odd slice shows in the value. */
    static double[][] image3dLarge() {
        double[] ref = new double[165 * 163 * 161];
        double[] cand = new double[ref.length];
        for (int z = 0; z < 161; z++) {
            for (int y = 0; y < 163; y++) {
                for (int x = 0; x < 165; x++) {
                    int i = (z * 163 + y) * 165 + x;
                    ref[i] = 50 * Math.sin(x / 7.0) * Math.cos(y / 11.0) * Math.cos(z / 9.0) + x - y + z;
                    cand[i] = 0.6 * ref[i] + 5 * Math.sin(x * 12.9898 + y * 78.233 + z * 37.719)
                            + 30 * Math.cos(x / 13.0 + z / 7.0);
                }
            }
        }
        return new double[][] {ref, cand};
    }

    private static void assertRelative(double expected, double actual, String what) {
        assertEquals(expected, actual, Math.abs(expected) * RELATIVE, what);
    }

    private static void check(String key, double[][] images, int[] dims) {
        JsonObject r = reference.getAsJsonObject(key);
        double range = r.get("data_range").getAsDouble();
        double[] ref = images[0];
        double[] cand = images[1];
        assertRelative(r.get("psnr").getAsDouble(), ImageMetrics.psnr(ref, cand, range), key + " psnr");
        assertRelative(r.get("psnr_range_255").getAsDouble(), ImageMetrics.psnr(ref, cand, 255), key + " psnr 255");
        assertRelative(r.get("ssim_uniform7").getAsDouble(),
                ImageMetrics.ssim(ref, cand, dims, range, SsimOptions.SCIKIT_IMAGE_DEFAULTS), key + " ssim");
        assertRelative(r.get("ssim_uniform5").getAsDouble(),
                ImageMetrics.ssim(ref, cand, dims, range, new SsimOptions(false, 5, 1.5, true, 0.01, 0.03)), key + " ssim w5");
        assertRelative(r.get("ssim_gaussian_wang").getAsDouble(),
                ImageMetrics.ssim(ref, cand, dims, range, SsimOptions.WANG_2004), key + " ssim gaussian");
        assertRelative(r.get("dssim_uniform7").getAsDouble(),
                ImageMetrics.dssim(ref, cand, dims, range, SsimOptions.SCIKIT_IMAGE_DEFAULTS), key + " dssim");
        assertRelative(r.get("dssim_gaussian_wang").getAsDouble(),
                ImageMetrics.dssim(ref, cand, dims, range, SsimOptions.WANG_2004), key + " dssim gaussian");
        assertRelative(r.get("mae").getAsDouble(), ImageMetrics.mae(ref, cand), key + " mae");
        assertRelative(r.get("mse").getAsDouble(), ImageMetrics.mse(ref, cand), key + " mse");
        assertRelative(r.get("nrmse_euclidean").getAsDouble(), ImageMetrics.nrmse(ref, cand, Normalization.EUCLIDEAN),
                key + " nrmse euclidean");
        assertRelative(r.get("nrmse_min_max").getAsDouble(), ImageMetrics.nrmse(ref, cand, Normalization.MIN_MAX),
                key + " nrmse min-max");
        assertRelative(r.get("nrmse_mean").getAsDouble(), ImageMetrics.nrmse(ref, cand, Normalization.MEAN),
                key + " nrmse mean");
        assertRelative(r.get("nmse_euclidean").getAsDouble(), ImageMetrics.nmse(ref, cand, Normalization.EUCLIDEAN),
                key + " nmse");
    }

    /** MS-SSIM, and SSIM and the error metrics on images large enough for the parallel paths. */
    private static void checkLarge(String key, double[][] images, int[] dims) {
        JsonObject r = reference.getAsJsonObject(key);
        double range = r.get("data_range").getAsDouble();
        double[] ref = images[0];
        double[] cand = images[1];
        assertRelative(r.get("ms_ssim").getAsDouble(), ImageMetrics.msSsim(ref, cand, dims, range), key + " ms-ssim");
        assertRelative(r.get("ms_ssim_range_255").getAsDouble(), ImageMetrics.msSsim(ref, cand, dims, 255),
                key + " ms-ssim 255");
        assertRelative(r.get("ssim_uniform7").getAsDouble(),
                ImageMetrics.ssim(ref, cand, dims, range, SsimOptions.SCIKIT_IMAGE_DEFAULTS), key + " ssim");
        assertRelative(r.get("ssim_gaussian_wang").getAsDouble(),
                ImageMetrics.ssim(ref, cand, dims, range, SsimOptions.WANG_2004), key + " ssim gaussian");
        assertRelative(r.get("mae").getAsDouble(), ImageMetrics.mae(ref, cand), key + " mae");
        assertRelative(r.get("nrmse_min_max").getAsDouble(), ImageMetrics.nrmse(ref, cand, Normalization.MIN_MAX),
                key + " nrmse min-max");
        assertRelative(r.get("nrmse_mean").getAsDouble(), ImageMetrics.nrmse(ref, cand, Normalization.MEAN),
                key + " nrmse mean");
    }

    @Test
    void matchesScikitImageIn2d() {
        check("image_2d", image2d(), new int[] {48, 40});
    }

    @Test
    void matchesScikitImageIn3d() {
        check("image_3d", image3d(), new int[] {20, 18, 16});
    }

    @Test
    void largeImagesMatchIn2d() {
        checkLarge("image_2d_large", image2dLarge(), new int[] {192, 176});
    }

    @Test
    void largeImagesMatchIn3dWithOddSides() {
        checkLarge("image_3d_large", image3dLarge(), new int[] {165, 163, 161});
    }

    private static MedicalImage<?> image(double[] values, long... dims) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return MedicalImage.of(ArrayImgs.floats(f, dims), Geometry.isotropic(dims.length, 1), Modality.OT,
                IntensityUnit.ARBITRARY);
    }

    private static EvaluationResult evaluate(String id, Map<String, String> params, MedicalImage<?> ref,
            MedicalImage<?> cand) throws CoreException {
        Contribution c = Contributions.get().require(Kind.EVALUATOR, id);
        Evaluator e = Contributions.get().create(c, Evaluator.class);
        return e.evaluate(new EvaluationRequest(c, c.resolve(params), List.of(ref), List.of(cand), List.of("case-1")),
                new NullProgressMonitor());
    }

    @Test
    void contributedEvaluatorsUseTheSameDefinitions() throws CoreException {
        double[][] im = image2d();
        JsonObject r = reference.getAsJsonObject("image_2d");
        // float32 pixels: agreement to float rounding, not to double precision
        assertEquals(r.get("psnr").getAsDouble(), evaluate("psnr", Map.of(), image(im[0], 48, 40),
                image(im[1], 48, 40)).value(), 1e-4);
        EvaluationResult ssim = evaluate("ssim", Map.of("window", "gaussian", "sample-covariance", "false"),
                image(im[0], 48, 40), image(im[1], 48, 40));
        assertEquals(r.get("ssim_gaussian_wang").getAsDouble(), ssim.value(), 1e-5);
        assertEquals(ssim.value(), ssim.perCase().get("case-1"));
        assertEquals(r.get("mae").getAsDouble(), evaluate("mae", Map.of(), image(im[0], 48, 40),
                image(im[1], 48, 40)).value(), 1e-4);
        assertEquals(r.get("mse").getAsDouble(), evaluate("mse", Map.of(), image(im[0], 48, 40),
                image(im[1], 48, 40)).value(), 1e-3);
        assertEquals(r.get("nrmse_min_max").getAsDouble(), evaluate("nrmse", Map.of("normalization", "min-max"),
                image(im[0], 48, 40), image(im[1], 48, 40)).value(), 1e-6);
        assertEquals(r.get("nmse_euclidean").getAsDouble(), evaluate("nmse", Map.of(), image(im[0], 48, 40),
                image(im[1], 48, 40)).value(), 1e-6);
        assertEquals(r.get("dssim_gaussian_wang").getAsDouble(), evaluate("dssim",
                Map.of("window", "gaussian", "sample-covariance", "false"), image(im[0], 48, 40),
                image(im[1], 48, 40)).value(), 1e-5);
        double[][] large = image2dLarge();
        assertEquals(reference.getAsJsonObject("image_2d_large").get("ms_ssim_range_255").getAsDouble(),
                evaluate("ms-ssim", Map.of("data-range", "255"), image(large[0], 192, 176),
                        image(large[1], 192, 176)).value(), 1e-5);
    }

    @Test
    void edgeCasesAreDefined() throws CoreException {
        double[] flat = new double[64];
        assertEquals(Double.POSITIVE_INFINITY, ImageMetrics.psnr(flat, flat.clone(), 1));
        assertEquals(1.0, ImageMetrics.ssim(flat, flat.clone(), new int[] {8, 8}, 1, SsimOptions.SCIKIT_IMAGE_DEFAULTS), 1e-12);
        MedicalImage<?> constant = image(flat, 8, 8);
        CoreException noRange = assertThrows(CoreException.class, () -> evaluate("psnr", Map.of(), constant, constant));
        assertTrue(noRange.getStatus().getMessage().contains("constant"), noRange.getStatus().getMessage());
        assertEquals(Double.POSITIVE_INFINITY, evaluate("psnr", Map.of("data-range", "1"), constant, constant).value());
        CoreException shape = assertThrows(CoreException.class,
                () -> evaluate("psnr", Map.of(), image(image2d()[0], 48, 40), image(new double[40 * 48], 40, 48)));
        assertTrue(shape.getStatus().getMessage().contains("reference is 48×40 but candidate is 40×48"),
                shape.getStatus().getMessage());
        double[] withNaN = image2d()[1];
        withNaN[5] = Double.NaN;
        CoreException nan = assertThrows(CoreException.class,
                () -> evaluate("ssim", Map.of(), image(image2d()[0], 48, 40), image(withNaN, 48, 40)));
        assertTrue(nan.getStatus().getMessage().contains("non-finite"), nan.getStatus().getMessage());
        IllegalArgumentException window = assertThrows(IllegalArgumentException.class,
                () -> ImageMetrics.ssim(flat, flat, new int[] {8, 8}, 1, new SsimOptions(false, 11, 1.5, true, 0.01, 0.03)));
        assertTrue(window.getMessage().contains("larger than the image"), window.getMessage());
    }

    @Test
    void constantImagesGiveTheLimitsOrSayWhyNot() {
        double[] constant = new double[161 * 161];
        Arrays.fill(constant, 7);
        int[] dims = {161, 161};
        assertEquals(0, ImageMetrics.mae(constant, constant.clone()));
        assertEquals(0, ImageMetrics.mse(constant, constant.clone()));
        assertEquals(0, ImageMetrics.nrmse(constant, constant.clone(), Normalization.EUCLIDEAN));
        assertEquals(1.0, ImageMetrics.msSsim(constant, constant.clone(), dims, 1), 1e-12);
        assertEquals(0.0, ImageMetrics.dssim(constant, constant.clone(), dims, 1, SsimOptions.WANG_2004), 1e-12);
        IllegalArgumentException minMax = assertThrows(IllegalArgumentException.class,
                () -> ImageMetrics.nrmse(constant, constant, Normalization.MIN_MAX));
        assertTrue(minMax.getMessage().contains("min-max normalization is undefined: the reference is constant"),
                minMax.getMessage());
        double[] zeros = new double[16];
        IllegalArgumentException euclidean = assertThrows(IllegalArgumentException.class,
                () -> ImageMetrics.nmse(zeros, zeros, Normalization.EUCLIDEAN));
        assertTrue(euclidean.getMessage().contains("the reference is all zeros"), euclidean.getMessage());
    }

    @Test
    void nonFiniteValuesAreRefusedWithTheirPosition() {
        double[][] im = image2d();
        double[] withNaN = im[1].clone();
        withNaN[5] = Double.NaN;
        for (Executable call : List.<Executable>of(
                () -> ImageMetrics.mae(im[0], withNaN),
                () -> ImageMetrics.nrmse(im[0], withNaN, Normalization.MEAN),
                () -> ImageMetrics.psnr(im[0], withNaN, 1),
                () -> ImageMetrics.dssim(im[0], withNaN, new int[] {48, 40}, 1, SsimOptions.WANG_2004))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
            assertEquals("candidate has a non-finite value (NaN) at element 5", e.getMessage());
        }
        double[][] large = image2dLarge();
        large[0][1000] = Double.POSITIVE_INFINITY;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageMetrics.msSsim(large[0], large[1], new int[] {192, 176}, 1));
        assertEquals("reference has a non-finite value (Infinity) at element 1000", e.getMessage());
    }

    @Test
    void mismatchedShapesAreNamed() {
        double[][] im = image2d();
        for (String metric : List.of("mae", "nrmse", "ms-ssim", "dssim")) {
            CoreException e = assertThrows(CoreException.class,
                    () -> evaluate(metric, Map.of(), image(im[0], 48, 40), image(new double[40 * 48], 40, 48)));
            assertEquals("case case-1: reference is 48×40 but candidate is 40×48", e.getStatus().getMessage(), metric);
        }
        IllegalArgumentException lengths = assertThrows(IllegalArgumentException.class,
                () -> ImageMetrics.mse(im[0], new double[10]));
        assertEquals("images differ in size: 1920 vs 10 elements", lengths.getMessage());
        IllegalArgumentException dims = assertThrows(IllegalArgumentException.class,
                () -> ImageMetrics.ssim(im[0], im[1], new int[] {40, 40}, 1, SsimOptions.WANG_2004));
        assertEquals("a 40×40 image has 1600 elements, not 1920", dims.getMessage());
    }

    @Test
    void msSsimSaysWhenTheImageIsTooSmallForFiveScales() throws CoreException {
        assertEquals(161, ImageMetrics.msSsimMinimumSide());
        double[] small = new double[160 * 200];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageMetrics.msSsim(small, small, new int[] {200, 160}, 1));
        assertEquals("MS-SSIM needs at least 161 pixels along every axis (5 scales with an 11-pixel window); "
                + "the image is 200×160", e.getMessage());
        double[][] im = image2d();
        CoreException viaEvaluator = assertThrows(CoreException.class,
                () -> evaluate("ms-ssim", Map.of(), image(im[0], 48, 40), image(im[1], 48, 40)));
        assertTrue(viaEvaluator.getStatus().getMessage().startsWith("case case-1: MS-SSIM needs at least 161 pixels"),
                viaEvaluator.getStatus().getMessage());
        assertTrue(viaEvaluator.getStatus().getMessage().endsWith("the image is 48×40"),
                viaEvaluator.getStatus().getMessage());
    }
}
