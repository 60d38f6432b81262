package org.medsynth.eval.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
import org.medsynth.data.phantom.Phantoms;
import org.medsynth.eval.DistributionMetrics;
import org.medsynth.eval.TrainedFeatures;
import org.medsynth.ml.weights.ModelCard;

import net.imglib2.img.array.ArrayImgs;

/**
 * The feature network MedSynth ships (models/phantom-features, trained by 'medsynth train phantom.features'): its
 * FID grows with the strength of each degradation it was trained to notice, results name the model and its
 * weights, and changed weights are refused.
 */
class TrainedFeaturesTest {
    private static final int SIZE = 64;
    /** More images than the 128 features, so the covariances are not singular. */
    private static final int COUNT = 150;
    private static Path model;
    private static List<MedicalImage<?>> real;

    @TempDir
    Path work;

    @BeforeAll
    static void shippedModelAndRealSample() throws IOException {
        model = ModelCard.locate("phantom-features");
        real = sample(COUNT, 1, (image, random) -> {
        });
    }

    /**
     * Shepp–Logan phantoms with random gains of the inner structures and shifts (the "real" distribution), each
     * then degraded by {@code degradation}.
     */
    private static List<MedicalImage<?>> sample(int count, long seed,
            BiConsumer<float[], SplittableRandom> degradation) {
        float[] base = Phantoms.data(Phantoms.sheppLogan2d(SIZE, 1.0, 2));
        SplittableRandom random = new SplittableRandom(seed);
        List<MedicalImage<?>> images = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            int dx = random.nextInt(-3, 4);
            int dy = random.nextInt(-3, 4);
            double gain = random.nextDouble(0.8, 1.2);
            float[] image = new float[SIZE * SIZE];
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    int sx = Math.floorMod(x + dx, SIZE);
                    int sy = Math.floorMod(y + dy, SIZE);
                    float v = base[sy * SIZE + sx];
                    image[y * SIZE + x] = v < 0.9 ? (float) (v * gain) : v;
                }
            }
            degradation.accept(image, random);
            images.add(MedicalImage.of(ArrayImgs.floats(image, SIZE, SIZE), Geometry.isotropic(2, 1), Modality.OT,
                    IntensityUnit.ARBITRARY));
        }
        return images;
    }

    private static double fid(TrainedFeatures features, List<MedicalImage<?>> candidates) {
        return DistributionMetrics.frechetDistance(features.features(real), features.features(candidates)).value();
    }

    @Test
    void fidGrowsWithNoiseAndWithBlur() throws IOException {
        try (TrainedFeatures features = TrainedFeatures.open(model)) {
            double same = fid(features, sample(COUNT, 2, (image, random) -> {
            }));
            double[] noise = new double[3];
            double[] sigmas = {0.02, 0.05, 0.1};
            for (int i = 0; i < sigmas.length; i++) {
                double sigma = sigmas[i];
                noise[i] = fid(features, sample(COUNT, 3 + i, (image, random) -> Phantoms.addGaussianNoise(image,
                        sigma, random)));
            }
            double blur = fid(features, sample(COUNT, 9, (image, random) -> boxBlur(image)));
            System.out.printf("FID on phantom-features: same distribution %.4g, noise 0.02/0.05/0.1 %.4g/%.4g/%.4g, "
                    + "3x3 blur %.4g%n", same, noise[0], noise[1], noise[2], blur);
            assertTrue(same < noise[0] && noise[0] < noise[1] && noise[1] < noise[2],
                    "FID same distribution " + same + ", noise 0.02/0.05/0.1: " + java.util.Arrays.toString(noise));
            assertTrue(blur > 2 * same, "FID blurred " + blur + " vs same distribution " + same);
        }
    }

    @Test
    void fidEvaluatorNamesTheTrainedFeaturesAndTheirWeights() throws Exception {
        Contribution fid = Contributions.get().require(Kind.EVALUATOR, "fid");
        Evaluator evaluator = Contributions.get().create(fid, Evaluator.class);
        List<MedicalImage<?>> candidates = sample(COUNT, 4, (image, random) -> Phantoms.addGaussianNoise(image, 0.05,
                random));
        List<String> ids = candidates.stream().map(c -> "case" + candidates.indexOf(c)).toList();
        EvaluationResult result = evaluator.evaluate(new EvaluationRequest(fid, fid.resolve(Map.of("features",
                "phantom-features")), real, candidates, ids), new NullProgressMonitor());
        String sha = ModelCard.read(model, TrainedFeatures.ARCHITECTURE, "phantom.features").weightSha256();
        assertTrue(result.warnings().get(0).startsWith("features: medsynth:phantom-features")
                && result.warnings().get(0).contains(sha), result.warnings().get(0));
        try (TrainedFeatures features = TrainedFeatures.open(model)) {
            assertEquals(fid(features, candidates), result.value(), 1e-9 * result.value());
        }
    }

    @Test
    void changedWeightsAndUnknownModelsAreRefused() throws Exception {
        Path copy = Files.createDirectories(work.resolve("phantom-features"));
        ModelCard card = ModelCard.read(model, TrainedFeatures.ARCHITECTURE, "phantom.features");
        Files.copy(card.file(), copy.resolve(ModelCard.FILE_NAME));
        byte[] weights = Files.readAllBytes(model.resolve(card.weightFile()));
        weights[weights.length / 3] ^= 4;
        Files.write(copy.resolve(card.weightFile()), weights);
        IOException changed = assertThrows(IOException.class, () -> TrainedFeatures.open(copy));
        assertTrue(changed.getMessage().contains("sha256"), changed.getMessage());

        Contribution fid = Contributions.get().require(Kind.EVALUATOR, "fid");
        Evaluator evaluator = Contributions.get().create(fid, Evaluator.class);
        CoreException unknown = assertThrows(CoreException.class, () -> evaluator.evaluate(new EvaluationRequest(fid,
                fid.resolve(Map.of("features", "no-such-model")), real, real, real.stream().map(i -> "c").toList()),
                new NullProgressMonitor()));
        assertTrue(unknown.getMessage().contains("no model 'no-such-model'"), unknown.getMessage());
    }

    /** 3×3 box blur, edges clamped. */
    private static void boxBlur(float[] image) {
        float[] source = image.clone();
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                double sum = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        sum += source[Math.clamp(y + dy, 0, SIZE - 1) * SIZE + Math.clamp(x + dx, 0, SIZE - 1)];
                    }
                }
                image[y * SIZE + x] = (float) (sum / 9);
            }
        }
    }
}
