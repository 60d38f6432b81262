package org.medsynth.eval.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;
import java.util.stream.IntStream;

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
import org.medsynth.eval.PerceptualDistance;
import org.medsynth.eval.Voxels;

/**
 * The LPIPS-style distance through DJL against the official formula in Debian's torch on the same traced network
 * and images (reference/lpips_reference.py), its basic properties, and the evaluator's errors.
 */
class LpipsReferenceTest {
    private static Path tinyNetwork;
    private static Path tinyLinWeights;
    private static JsonObject reference;

    @BeforeAll
    static void loadReference() throws IOException {
        tinyNetwork = ReferenceFiles.file("tiny_lpips_net.pt");
        tinyLinWeights = ReferenceFiles.file("tiny_lpips_lin.npz");
        reference = ReferenceFiles.json("lpips_reference.json");
    }

    /** A 40×32 image (x fastest) with values f(x, y). */
    private static MedicalImage<?> image(DoubleBinaryOperator f) {
        float[] v = new float[40 * 32];
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 40; x++) {
                v[y * 40 + x] = (float) f.applyAsDouble(x, y);
            }
        }
        return MedicalImage.of(ArrayImgs.floats(v, 40, 32), Geometry.isotropic(2, 1), Modality.OT,
                IntensityUnit.ARBITRARY);
    }

    private static MedicalImage<?> referenceImage() {
        return image((x, y) -> 100 * Math.sin(x / 5.0) * Math.cos(y / 7.0) + 0.5 * x + 20);
    }

    private static MedicalImage<?> candidateImage() {
        return image((x, y) -> 90 * Math.sin(x / 4.5 + 0.3) * Math.cos(y / 6.0) + 0.6 * x + 15
                + 8 * Math.sin(2.1 * x + 1.7 * y));
    }

    private static EvaluationResult evaluate(Map<String, String> params, List<MedicalImage<?>> references,
            List<MedicalImage<?>> candidates) throws CoreException {
        Contribution c = Contributions.get().require(Kind.EVALUATOR, "lpips");
        Evaluator e = Contributions.get().create(c, Evaluator.class);
        List<String> ids = IntStream.range(0, references.size()).mapToObj(i -> "case-" + i).toList();
        return e.evaluate(new EvaluationRequest(c, c.resolve(params), references, candidates, ids),
                new NullProgressMonitor());
    }

    @Test
    void distanceAgreesWithTheOfficialFormulaInTorch() throws IOException {
        double expected = reference.get("distance").getAsDouble();
        try (PerceptualDistance lpips = PerceptualDistance.unweighted(tinyNetwork)) {
            double distance = lpips.distance(Voxels.of(referenceImage()), Voxels.of(candidateImage()));
            assertEquals(expected, distance, 1e-5);
            assertTrue(distance > 0.1, "the two images differ clearly: " + distance);
        }
    }

    @Test
    void weightedDistanceAgreesWithTheLinLayersInTorch() throws IOException {
        double expected = reference.get("distance_weighted").getAsDouble();
        try (PerceptualDistance lpips = PerceptualDistance.weighted(tinyNetwork, tinyLinWeights)) {
            assertEquals(expected, lpips.distance(Voxels.of(referenceImage()), Voxels.of(candidateImage())), 1e-5);
            assertTrue(lpips.description().contains("tiny_lpips_lin.npz"), lpips.description());
        }
    }

    @Test
    void distanceIsZeroForIdenticalImagesAndSymmetric() throws IOException {
        Voxels a = Voxels.of(referenceImage());
        Voxels b = Voxels.of(candidateImage());
        try (PerceptualDistance baseline = PerceptualDistance.unweighted(tinyNetwork);
                PerceptualDistance weighted = PerceptualDistance.weighted(tinyNetwork, tinyLinWeights)) {
            for (PerceptualDistance lpips : List.of(baseline, weighted)) {
                assertEquals(0.0, lpips.distance(a, a), 0.0);
                assertEquals(lpips.distance(a, b), lpips.distance(b, a), 0.0);
            }
        }
    }

    @Test
    void evaluatorIsAPairedLowerIsBetterMetricNamingItsNetwork() throws CoreException {
        Contribution c = Contributions.get().require(Kind.EVALUATOR, "lpips");
        assertEquals("paired", c.attribute("kind"));
        assertEquals("false", c.attribute("higherIsBetter"));
        EvaluationResult result = evaluate(Map.of("network", tinyNetwork.toString()),
                List.of(referenceImage(), referenceImage()), List.of(candidateImage(), referenceImage()));
        double expected = reference.get("distance").getAsDouble();
        assertEquals(expected, result.perCase().get("case-0"), 1e-5);
        assertEquals(0.0, result.perCase().get("case-1"), 0.0);
        assertEquals(expected / 2, result.value(), 1e-5);
        assertTrue(result.warnings().get(0).contains("tiny_lpips_net.pt"), result.warnings().toString());

        EvaluationResult weighted = evaluate(Map.of("network", tinyNetwork.toString(), "weights",
                tinyLinWeights.toString()), List.of(referenceImage()), List.of(candidateImage()));
        assertEquals(reference.get("distance_weighted").getAsDouble(), weighted.value(), 1e-5);
    }

    @Test
    void missingFilesAndVolumesAreRefused() {
        CoreException missing = assertThrows(CoreException.class, () -> evaluate(
                Map.of("network", "/nonexistent/vgg-trunk.pt"), List.of(referenceImage()), List.of(candidateImage())));
        assertTrue(missing.getStatus().getMessage().contains("/nonexistent/vgg-trunk.pt"),
                missing.getStatus().getMessage());
        CoreException missingWeights = assertThrows(CoreException.class, () -> evaluate(Map.of("network",
                tinyNetwork.toString(), "weights", "/nonexistent/lin.npz"), List.of(referenceImage()),
                List.of(candidateImage())));
        assertTrue(missingWeights.getStatus().getMessage().contains("/nonexistent/lin.npz: no such .npz file"),
                missingWeights.getStatus().getMessage());
        CoreException notWeights = assertThrows(CoreException.class, () -> evaluate(Map.of("network",
                tinyNetwork.toString(), "weights", tinyNetwork.toString()), List.of(referenceImage()),
                List.of(candidateImage())));
        assertTrue(notWeights.getStatus().getMessage().contains("is not an .npz file of lin weights"),
                notWeights.getStatus().getMessage());

        MedicalImage<?> volume = MedicalImage.of(ArrayImgs.floats(new float[8 * 8 * 4], 8, 8, 4),
                Geometry.isotropic(3, 1), Modality.OT, IntensityUnit.ARBITRARY);
        CoreException refused = assertThrows(CoreException.class, () -> evaluate(
                Map.of("network", tinyNetwork.toString()), List.of(volume), List.of(volume)));
        assertTrue(refused.getStatus().getMessage().contains("takes 2D grey or 3-channel images"),
                refused.getStatus().getMessage());
    }
}
