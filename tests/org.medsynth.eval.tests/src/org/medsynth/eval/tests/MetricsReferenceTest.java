package org.medsynth.eval.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import net.imglib2.img.array.ArrayImgs;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.Platform;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
import org.medsynth.eval.ImageMetrics.SsimOptions;

/**
 * PSNR and SSIM against scikit-image on closed-form 2D and 3D images; reference values and the script that made
 * them are in reference/ (metrics_reference.py, metrics_reference.json).
 */
class MetricsReferenceTest {
    private static final double RELATIVE = 1e-6;
    private static JsonObject reference;

    @BeforeAll
    static void loadReference() throws IOException {
        try (InputStream in = Platform.getBundle("org.medsynth.eval.tests").getEntry("reference/metrics_reference.json")
                .openStream()) {
            reference = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        }
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
    }

    @Test
    void matchesScikitImageIn2d() {
        check("image_2d", image2d(), new int[] {48, 40});
    }

    @Test
    void matchesScikitImageIn3d() {
        check("image_3d", image3d(), new int[] {20, 18, 16});
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
}
