package org.medsynth.eval.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import net.imglib2.img.array.ArrayImgs;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.NullProgressMonitor;
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
import org.medsynth.core.image.Provenance;
import org.medsynth.core.registry.Contributions;
import org.medsynth.eval.BaselineFeatureExtractor;
import org.medsynth.eval.TorchScriptFeatureExtractor;
import org.medsynth.eval.TorchScriptFeatureExtractor.Preprocessing;
import org.medsynth.eval.Voxels;

/**
 * The contributed distribution evaluators end to end (images → features → metric), the baseline features, and the
 * TorchScript extractor against the features Debian's torch computed for the same image (reference/).
 */
class DistributionEvaluatorsTest {
    private static Path tinyModel;
    private static JsonObject torchReference;

    @BeforeAll
    static void locateReference() throws IOException {
        tinyModel = ReferenceFiles.file("tiny_feature_net.pt");
        torchReference = ReferenceFiles.json("distribution_reference.json").getAsJsonObject("torchscript");
    }

    private static double[] torchFeatures(String key) {
        JsonArray f = torchReference.getAsJsonArray(key);
        return IntStream.range(0, f.size()).mapToDouble(i -> f.get(i).getAsDouble()).toArray();
    }

    private static MedicalImage<?> image(double[] values, long... dims) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return MedicalImage.of(ArrayImgs.floats(f, dims), Geometry.isotropic(dims.length, 1), Modality.OT,
                IntensityUnit.ARBITRARY);
    }

    /** The image of the TorchScript reference: 100 sin(x/5) cos(y/7) + 0.5x + 20 on 40×32. */
    private static MedicalImage<?> referenceImage() {
        double[] v = new double[40 * 32];
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 40; x++) {
                v[y * 40 + x] = 100 * Math.sin(x / 5.0) * Math.cos(y / 7.0) + 0.5 * x + 20;
            }
        }
        return image(v, 40, 32);
    }

    /** Channel c: the reference image scaled by (1 + 0.5c) and shifted by 10c; pixel axes (x, y, channel). */
    private static MedicalImage<?> colourImage() {
        MedicalImage<?> grey = referenceImage();
        float[] f = new float[40 * 32 * 3];
        double[] v = Voxels.of(grey).values();
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < v.length; i++) {
                f[c * v.length + i] = (float) (v[i] * (1 + 0.5 * c) + 10 * c);
            }
        }
        return new MedicalImage<>(ArrayImgs.floats(f, 40, 32, 3), Geometry.isotropic(2, 1), Modality.OT,
                IntensityUnit.ARBITRARY, List.of("r", "g", "b"), Provenance.acquired());
    }

    /** 32×32 textures whose frequency and contrast vary with the index; {@code sharp} adds a fine pattern. */
    private static List<MedicalImage<?>> textures(int count, boolean sharp) {
        List<MedicalImage<?>> images = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            double[] v = new double[32 * 32];
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    v[y * 32 + x] = Math.sin(x / (3.0 + k % 5)) * Math.cos(y / (4.0 + k % 3)) * (1 + 0.1 * k)
                            + (sharp ? 0.8 * Math.sin(x * 2.1 + y * 1.7 + k) : 0);
                }
            }
            images.add(image(v, 32, 32));
        }
        return images;
    }

    private static EvaluationResult evaluate(String id, Map<String, String> params, List<MedicalImage<?>> references,
            List<MedicalImage<?>> candidates) throws CoreException {
        Contribution c = Contributions.get().require(Kind.EVALUATOR, id);
        Evaluator e = Contributions.get().create(c, Evaluator.class);
        List<String> ids = IntStream.range(0, Math.max(references.size(), candidates.size()))
                .mapToObj(i -> "case-" + i).toList();
        return e.evaluate(new EvaluationRequest(c, c.resolve(params), references, candidates, ids),
                new NullProgressMonitor());
    }

    @Test
    void evaluatorsAreDeclaredAsDistributionMetrics() {
        for (String id : List.of("fid", "kid", "precision-recall", "density-coverage", "mmd", "inception-score")) {
            assertEquals("distribution", Contributions.get().require(Kind.EVALUATOR, id).attribute("kind"), id);
        }
        for (String id : List.of("fid", "kid", "precision-recall", "density-coverage", "mmd")) {
            assertEquals("baseline", Contributions.get().require(Kind.EVALUATOR, id).resolve(Map.of())
                    .getString("features"), id);
        }
        IllegalArgumentException noClassifier = assertThrows(IllegalArgumentException.class,
                () -> Contributions.get().require(Kind.EVALUATOR, "inception-score").resolve(Map.of()));
        assertTrue(noClassifier.getMessage().startsWith("parameter 'features' is required"), noClassifier.getMessage());
    }

    @Test
    void everyResultNamesTheFeatureExtractor() throws CoreException {
        List<MedicalImage<?>> smooth = textures(24, false);
        List<MedicalImage<?>> sharp = textures(20, true);
        EvaluationResult same = evaluate("fid", Map.of(), smooth, smooth);
        // 24 images for 54 features: the covariance is singular, and the square roots of its zero eigenvalues,
        // which rounding leaves at about 1e-17, contribute about 1e-9
        assertEquals(0, same.value(), 1e-7);
        assertTrue(same.warnings().get(0).startsWith("features: baseline (MedSynth weight-free"), same.warnings().toString());
        assertTrue(same.warnings().stream().anyMatch(w -> w.contains("has 24 images for 54 features")),
                same.warnings().toString());
        double fid = evaluate("fid", Map.of(), smooth, sharp).value();
        assertTrue(fid > 0.01, "a fine pattern moves the baseline features: FID " + fid);

        EvaluationResult pr = evaluate("precision-recall", Map.of(), smooth, sharp);
        assertEquals(List.of("precision", "recall"), List.copyOf(pr.perCase().keySet()));
        assertEquals(pr.perCase().get("precision"), pr.value());
        assertEquals(1.0, evaluate("precision-recall", Map.of(), smooth, smooth).perCase().get("recall"));
        EvaluationResult dc = evaluate("density-coverage", Map.of("k", "4"), smooth, smooth);
        assertEquals(List.of("density", "coverage"), List.copyOf(dc.perCase().keySet()));
        assertEquals(1.0, dc.perCase().get("coverage"));

        EvaluationResult kid = evaluate("kid", Map.of("subsets", "10"), smooth, sharp);
        assertTrue(kid.warnings().contains("KID subset size 1000 clipped to 20, the smaller sample (24 reference, 20 "
                + "candidate images)"), kid.warnings().toString());
        assertEquals(kid.value(), evaluate("kid", Map.of("subsets", "10"), smooth, sharp).value(), 0.0,
                "the same seed draws the same subsets");
        assertTrue(kid.perCase().get("sd") > 0);
        EvaluationResult mmd = evaluate("mmd", Map.of(), smooth, sharp);
        assertTrue(mmd.value() > 0 && mmd.perCase().get("bandwidth") > 0, mmd.toString());
    }

    @Test
    void badImagesAndParametersGiveClearErrors() {
        List<MedicalImage<?>> refs = textures(12, false);
        List<MedicalImage<?>> cands = new ArrayList<>(textures(12, true));
        double[] withNaN = new double[32 * 32];
        withNaN[7] = Double.NaN;
        cands.set(4, image(withNaN, 32, 32));
        CoreException nan = assertThrows(CoreException.class, () -> evaluate("fid", Map.of(), refs, cands));
        assertEquals("fid: candidate image 5 (case-4): the image has a non-finite value (NaN) at element 7",
                nan.getStatus().getMessage());
        CoreException noClassifier = assertThrows(CoreException.class,
                () -> evaluate("inception-score", Map.of("features", "baseline"), refs, refs));
        assertTrue(noClassifier.getStatus().getMessage().contains("needs class logits from a classifier"),
                noClassifier.getStatus().getMessage());
        CoreException missing = assertThrows(CoreException.class,
                () -> evaluate("kid", Map.of("features", "/nonexistent/inception.pt"), refs, refs));
        assertTrue(missing.getStatus().getMessage().contains("/nonexistent/inception.pt: no such TorchScript file"),
                missing.getStatus().getMessage());
        CoreException single = assertThrows(CoreException.class,
                () -> evaluate("kid", Map.of(), refs, List.of(refs.get(0))));
        assertEquals("kid: a KID subset has 1 image(s): the unbiased MMD² needs at least 2 per sample, KID is undefined",
                single.getStatus().getMessage());
        CoreException tiny = assertThrows(CoreException.class,
                () -> evaluate("fid", Map.of(), List.of(image(new double[16], 4, 4)), refs));
        assertTrue(tiny.getStatus().getMessage().contains("at least 8 pixels per side"), tiny.getStatus().getMessage());
    }

    @Test
    void baselineFeaturesAreHistogramsAndGradientStatistics() {
        BaselineFeatureExtractor extractor = new BaselineFeatureExtractor();
        double[] f = extractor.features(textures(1, true).get(0));
        assertEquals(54, f.length);
        for (int scale = 0; scale < 3; scale++) {
            double histogram = 0;
            for (int bin = 0; bin < 16; bin++) {
                histogram += f[scale * 18 + bin];
            }
            assertEquals(1, histogram, 1e-12, "histogram fractions at scale " + scale);
            assertTrue(f[scale * 18 + 16] > 0, "mean gradient at scale " + scale);
        }
        double[] volume = new double[16 * 12 * 10];
        for (int i = 0; i < volume.length; i++) {
            volume[i] = Math.sin(i * 0.37);
        }
        assertEquals(54, extractor.features(image(volume, 16, 12, 10)).length);
        double[] constant = extractor.features(image(new double[64], 8, 8));
        assertEquals(1.0, constant[8], "a constant image has every z-score 0, in the bin starting at 0");
    }

    private static void assertFeatures(String key, double[] actual) {
        double[] expected = torchFeatures(key);
        assertEquals(expected.length, actual.length, key);
        for (int i = 0; i < actual.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5, key + " feature " + i);
        }
    }

    @Test
    void torchScriptFeaturesMatchDebianTorch() throws IOException {
        try (TorchScriptFeatureExtractor extractor = TorchScriptFeatureExtractor.open(tinyModel,
                Preprocessing.PYTORCH_FID)) {
            assertFeatures("pytorch_fid_features", extractor.features(referenceImage()));
            assertFeatures("pytorch_fid_features_colour", extractor.features(colourImage()));
            assertTrue(extractor.description().contains("tiny_feature_net.pt (preprocessing pytorch-fid)"));
            double[] volume = new double[16 * 12 * 10];
            IllegalArgumentException notPlanar = assertThrows(IllegalArgumentException.class,
                    () -> extractor.features(image(volume, 16, 12, 10)));
            assertTrue(notPlanar.getMessage().contains("take slices of volumes first"), notPlanar.getMessage());
        }
        try (TorchScriptFeatureExtractor raw = TorchScriptFeatureExtractor.open(tinyModel, Preprocessing.NONE)) {
            assertFeatures("raw_features_colour", raw.features(colourImage()));
        }
    }

    @Test
    void inceptionScoreRunsOnATorchScriptClassifier() throws CoreException {
        EvaluationResult is = evaluate("inception-score", Map.of("features", tinyModel.toString(), "splits", "2"),
                List.of(referenceImage()), textures(8, true));
        assertTrue(is.value() >= 1 && is.value() <= 6, "IS lies between 1 and the class count: " + is.value());
        assertTrue(is.warnings().get(0).startsWith("features: TorchScript "), is.warnings().toString());
        IOException notAModel = assertThrows(IOException.class, () -> TorchScriptFeatureExtractor.open(
                ReferenceFiles.file("distribution_reference.py"), Preprocessing.NONE));
        assertTrue(notAModel.getMessage().contains("is not a TorchScript model"), notAModel.getMessage());
    }
}
