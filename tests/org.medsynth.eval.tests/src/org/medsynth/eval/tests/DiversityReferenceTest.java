package org.medsynth.eval.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
import org.medsynth.core.registry.Contributions;
import org.medsynth.eval.SampleSimilarity;
import org.medsynth.eval.SampleSimilarity.Distance;
import org.medsynth.eval.SampleSimilarity.Nearest;
import org.medsynth.eval.SampleSimilarity.PairwiseSimilarity;
import org.medsynth.eval.SampleSimilarity.Similarity;
import org.medsynth.eval.Voxels;

/**
 * Diversity (mean pairwise MS-SSIM / SSIM) and nearest-training-neighbour distances against scikit-image and numpy
 * on closed-form samples, rebuilt here exactly as reference/diversity_reference.py builds them; its output is
 * reference/diversity_reference.json.
 */
class DiversityReferenceTest {
    private static final double RELATIVE = 1e-6;
    private static JsonObject reference;

    @BeforeAll
    static void loadReference() throws IOException {
        reference = ReferenceFiles.json("diversity_reference.json");
    }

    /** Image k of the script's family: a smooth pattern shifted and rescaled with k, plus a fine texture. */
    private static Voxels image(double k, int height, int width) {
        double[] values = new double[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                values[y * width + x] = 100 * Math.sin(x / (5.0 + k)) * Math.cos(y / (7.0 + 0.5 * k))
                        + (0.5 + 0.1 * k) * x + 20 * k + 10 * Math.sin(x * 12.9898 + y * (78.233 + k));
            }
        }
        return new Voxels(values, new int[] {width, height}, new double[] {1, 1});
    }

    private static List<Voxels> sample(int count, int height, int width, double offset, double step) {
        List<Voxels> images = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            images.add(image(offset + step * k, height, width));
        }
        return images;
    }

    private static List<Voxels> training() {
        return sample(3, 40, 48, 0, 1);
    }

    /** Two new candidates and, last, an exact copy of training image 2. */
    private static List<Voxels> candidates() {
        List<Voxels> candidates = sample(2, 40, 48, 5, 1);
        candidates.add(image(1, 40, 48));
        return candidates;
    }

    private static void assertRelative(double expected, double actual, String what) {
        assertEquals(expected, actual, RELATIVE * Math.max(Math.abs(expected), 1e-12), what);
    }

    private static void assertValues(JsonArray expected, double[] actual, String what) {
        assertEquals(expected.size(), actual.length, what);
        for (int i = 0; i < actual.length; i++) {
            assertRelative(expected.get(i).getAsDouble(), actual[i], what + "[" + i + "]");
        }
    }

    @Test
    void meanPairwiseSimilarityMatchesScikitImageAndNumpy() {
        List<Voxels> small = sample(4, 40, 48, 0, 1);
        PairwiseSimilarity ssim = SampleSimilarity.meanPairwiseSimilarity(small, Similarity.SSIM,
                SampleSimilarity.range(small));
        JsonObject r = reference.getAsJsonObject("diversity_ssim_4_of_40x48");
        assertRelative(r.get("value").getAsDouble(), ssim.mean(), "mean pairwise SSIM");
        assertValues(r.getAsJsonArray("per_image"), ssim.perImage(), "SSIM per image");

        List<Voxels> large = sample(3, 164, 168, 0, 0.25);
        PairwiseSimilarity msSsim = SampleSimilarity.meanPairwiseSimilarity(large, Similarity.MS_SSIM,
                SampleSimilarity.range(large));
        r = reference.getAsJsonObject("diversity_ms_ssim_3_of_164x168");
        assertRelative(r.get("value").getAsDouble(), msSsim.mean(), "mean pairwise MS-SSIM");
        assertValues(r.getAsJsonArray("per_image"), msSsim.perImage(), "MS-SSIM per image");
    }

    @Test
    void nearestTrainingNeighboursMatchNumpyAndScikitImage() {
        List<Voxels> training = training();
        for (Distance distance : Distance.values()) {
            Nearest[] nearest = SampleSimilarity.nearestNeighbours(candidates(), training, distance,
                    SampleSimilarity.range(training));
            JsonObject r = reference.getAsJsonObject(distance == Distance.RMSE ? "nearest_rmse"
                    : "nearest_one_minus_ssim");
            double[] minima = new double[nearest.length];
            for (int i = 0; i < nearest.length; i++) {
                minima[i] = nearest[i].distance();
            }
            assertValues(r.getAsJsonArray("per_candidate"), minima, distance.id());
            assertEquals(1, nearest[2].trainingIndex(), "the copy's nearest neighbour is its original");
        }
    }

    private static MedicalImage<?> medicalImage(Voxels v) {
        return MedicalImage.of(ArrayImgs.doubles(v.values(), v.dims()[0], v.dims()[1]), Geometry.isotropic(2, 1),
                Modality.OT, IntensityUnit.ARBITRARY);
    }

    private static EvaluationResult evaluate(String id, Map<String, String> params, List<Voxels> references,
            List<Voxels> candidates, List<String> caseIds) throws CoreException {
        Contribution c = Contributions.get().require(Kind.EVALUATOR, id);
        Evaluator e = Contributions.get().create(c, Evaluator.class);
        return e.evaluate(new EvaluationRequest(c, c.resolve(params),
                references.stream().<MedicalImage<?>>map(DiversityReferenceTest::medicalImage).toList(),
                candidates.stream().<MedicalImage<?>>map(DiversityReferenceTest::medicalImage).toList(), caseIds),
                new NullProgressMonitor());
    }

    @Test
    void nearestTrainingNeighbourEvaluatorNamesTheCopy() throws CoreException {
        List<String> ids = List.of("new-a.mha", "new-b.mha", "copy.mha");
        EvaluationResult rmse = evaluate("nearest-training-neighbour", Map.of(), training(), candidates(), ids);
        JsonObject r = reference.getAsJsonObject("nearest_rmse");
        assertRelative(r.get("value").getAsDouble(), rmse.value(), "mean nearest RMSE");
        assertEquals(0.0, rmse.perCase().get("copy.mha"));
        assertRelative(r.getAsJsonArray("per_candidate").get(0).getAsDouble(), rmse.perCase().get("new-a.mha"),
                "new-a");
        assertEquals(2, rmse.warnings().size(), rmse.warnings().toString());
        String memorised = rmse.warnings().get(1);
        assertTrue(memorised.startsWith("1 candidate(s) within 0.0 of a training image"), memorised);
        assertTrue(memorised.contains("copy.mha (training image 2, distance 0)"), memorised);
        assertFalse(memorised.contains("new-a.mha") || memorised.contains("new-b.mha"), memorised);

        EvaluationResult ssim = evaluate("nearest-training-neighbour", Map.of("distance", "1-ssim", "threshold",
                "0.85"), training(), candidates(), ids);
        r = reference.getAsJsonObject("nearest_one_minus_ssim");
        assertRelative(r.get("value").getAsDouble(), ssim.value(), "mean nearest 1 − SSIM");
        // 1 − SSIM of new-a is 0.81, of new-b 0.886: a threshold between them adds new-a only
        assertTrue(ssim.warnings().get(1).startsWith("2 candidate(s) within 0.85"), ssim.warnings().toString());
        assertTrue(ssim.warnings().get(1).contains("new-a.mha (training image"), ssim.warnings().toString());
        assertFalse(ssim.warnings().get(1).contains("new-b.mha"), ssim.warnings().toString());
    }

    @Test
    void diversityEvaluatorMatchesAndExplainsWhatItCannotDo() throws CoreException {
        List<Voxels> small = sample(4, 40, 48, 0, 1);
        List<String> ids = List.of("a", "b", "c", "d");
        EvaluationResult ssim = evaluate("diversity-ms-ssim", Map.of("similarity", "ssim"), small.subList(0, 1), small,
                ids);
        JsonObject r = reference.getAsJsonObject("diversity_ssim_4_of_40x48");
        assertRelative(r.get("value").getAsDouble(), ssim.value(), "diversity with SSIM");
        assertRelative(r.getAsJsonArray("per_image").get(2).getAsDouble(), ssim.perCase().get("c"), "c");

        CoreException tooSmall = assertThrows(CoreException.class,
                () -> evaluate("diversity-ms-ssim", Map.of(), small.subList(0, 1), small, ids));
        String message = tooSmall.getStatus().getMessage();
        assertTrue(message.contains("MS-SSIM needs at least 161 pixels along every axis; the images are 48×40: choose"
                + " similarity=ssim"), message);

        CoreException one = assertThrows(CoreException.class, () -> evaluate("diversity-ms-ssim",
                Map.of("similarity", "ssim"), small.subList(0, 1), small.subList(0, 1), List.of("a")));
        assertEquals("diversity-ms-ssim: pairwise similarity needs at least 2 images, got 1",
                one.getStatus().getMessage());
    }

    @Test
    void samplesOfMixedShapesAreRefused() {
        List<Voxels> mixed = List.of(image(0, 40, 48), image(1, 48, 40));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SampleSimilarity.meanPairwiseSimilarity(mixed, Similarity.SSIM, 1));
        assertEquals("image 2 is 40×48 but image 1 is 48×40", e.getMessage());
        IllegalArgumentException against = assertThrows(IllegalArgumentException.class,
                () -> SampleSimilarity.nearestNeighbours(mixed.subList(1, 2), mixed.subList(0, 1), Distance.RMSE, 1));
        assertEquals("candidates are 40×48 but training images are 48×40", against.getMessage());
    }
}
