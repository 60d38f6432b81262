package org.medsynth.phantoms.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.IStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.core.api.Contribution;
import org.medsynth.core.api.Contribution.Kind;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.jobs.GenerationJob;
import org.medsynth.core.jobs.Sha256;
import org.medsynth.core.jobs.TrainingJob;
import org.medsynth.core.registry.Contributions;
import org.medsynth.core.registry.ImageFormats;
import org.medsynth.eval.Voxels;
import org.medsynth.ml.weights.ModelCardYaml;
import org.medsynth.tests.training.TrainerRuns;
import org.medsynth.tests.training.ToyTraining;

/**
 * The phantom DDPM end to end through the real jobs, at a toy size so it runs in seconds: training with EMA,
 * validation and checkpoints; a resumed run that ends with the same weights, bit for bit, as an uninterrupted one;
 * the model card; sampling with DDIM and DDPM, seeded; refusal of changed weights.
 */
class PhantomDdpmTest {
    private static final long SEED = 11;
    private static final int STEPS = 6;
    private static final Map<String, String> TOY = Map.of("steps", "" + STEPS, "batch-size", "2", "size", "16",
            "base-channels", "8", "diffusion-steps", "20", "checkpoint-every", "3", "evaluation-samples", "4",
            "sampling-steps", "5");
    private static final String WEIGHT_FILE = "phantom-ddpm-0000.params";

    @TempDir
    static Path shared;
    @TempDir
    Path work;

    private static ToyTraining toy;
    private static TrainingJob trained;
    private static Path model;

    @BeforeAll
    static void trainOnce() throws InterruptedException {
        toy = ToyTraining.train("phantom.ddpm", TOY, SEED, shared);
        trained = toy.job();
        model = toy.model();
    }

    private static Contribution sampler() {
        return Contributions.get().require(Kind.GENERATOR, "phantom.ddpm-sample");
    }

    private static Map<String, String> card(Path folder) throws IOException {
        return ModelCardYaml.read(Files.readString(folder.resolve("model.yaml")));
    }

    @Test
    void modelCardDescribesTheNetworkTheTrainingAndTheMeasuredSamples() throws IOException {
        Map<String, String> card = card(model);
        assertEquals("phantom-ddpm", card.get("id"));
        assertEquals("unet-ddpm", card.get("architecture.name"));
        assertEquals("8", card.get("architecture.base-channels"));
        assertEquals("20", card.get("diffusion.training-steps"));
        assertEquals("epsilon", card.get("diffusion.prediction"));
        assertEquals("0.999", card.get("training.ema-decay"));
        assertEquals(Sha256.of(model.resolve(WEIGHT_FILE)), card.get("weights.0.sha256"));
        assertEquals(trained.result().weightSha256(), card.get("weights.0.sha256"));
        assertTrue(card.get("training.command").startsWith("medsynth train phantom.ddpm --seed 11"),
                card.get("training.command"));
        double fid = Double.parseDouble(card.get("metrics.fid-baseline"));
        assertTrue(Double.isFinite(fid) && fid >= 0, "FID " + fid);
        assertEquals(fid, trained.result().metrics().get("fid-baseline"), 1e-5 * Math.max(1, fid), "6 digits");
        assertTrue(card.get("metrics.warning").contains("4"), "small-sample warning: " + card.get("metrics.warning"));
        assertEquals(STEPS, trained.result().lossCurve().size());
        assertTrue(trained.result().metrics().containsKey("best-validation-loss"));
    }

    @Test
    void trainingIsReproducibleFromItsSeed() throws Exception {
        TrainingJob again = TrainerRuns.run("phantom.ddpm", TOY, SEED, work.resolve("again"), work.resolve("checkpoints"),
                false);
        assertEquals(trained.result().lossCurve(), again.result().lossCurve());
        assertEquals(trained.result().weightSha256(), again.result().weightSha256());
    }

    @Test
    void resumedTrainingEndsWithTheSameWeightsBitForBit() throws Exception {
        toy.assertResumesBitForBit(work);
    }

    @Test
    void samplesAreSyntheticSeededAndAtTheTrainedSize() throws Exception {
        Map<String, String> ddim = Map.of("model", model.toString(), "sampling-steps", "5");
        double[] first = sample(ddim, 7, "a").get(0);
        double[] again = sample(ddim, 7, "b").get(0);
        double[] otherSeed = sample(ddim, 8, "c").get(0);
        assertArrayEquals(first, again);
        assertFalse(java.util.Arrays.equals(first, otherSeed));
        assertEquals(16 * 16, first.length);
        List<double[]> ancestral = sample(Map.of("model", model.toString(), "sampler", "ddpm"), 7, "d");
        assertEquals(2, ancestral.size());
        assertNotEquals(ancestral.get(0)[0], ancestral.get(1)[0]);
        for (double v : ancestral.get(0)) {
            assertTrue(v >= 0 && v <= 1, "clipped to the phantom range: " + v);
        }
    }

    private List<double[]> sample(Map<String, String> parameters, long seed, String name) throws Exception {
        Path out = work.resolve(name);
        int count = parameters.containsKey("sampler") ? 2 : 1;
        GenerationJob job = new GenerationJob(sampler(), parameters, seed, count, List.of(), out, List.of("mha"),
                "cpu");
        job.schedule();
        job.join();
        assertTrue(job.getResult().isOK(), job.getResult().toString());
        List<double[]> images = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            MedicalImage<?> image = ImageFormats.get().read(out.resolve(String.format("sample-%03d.mha", i)));
            assertTrue(image.isSynthetic());
            assertEquals("phantom-ddpm", image.provenance().modelCardId());
            assertEquals(trained.result().weightSha256(), image.provenance().weightSha256());
            images.add(Voxels.of(image).values());
        }
        return images;
    }

    @Test
    void changedWeightsAreRefusedBeforeLoading() throws Exception {
        Path copy = work.resolve("tampered");
        Files.createDirectories(copy);
        Files.copy(model.resolve("model.yaml"), copy.resolve("model.yaml"));
        byte[] weights = Files.readAllBytes(model.resolve(WEIGHT_FILE));
        weights[weights.length / 2] ^= 1;
        Files.write(copy.resolve(WEIGHT_FILE), weights);
        Path out = work.resolve("never");
        GenerationJob job = new GenerationJob(sampler(), Map.of("model", copy.toString(), "sampling-steps", "5"), 1,
                1, List.of(), out, List.of("mha"), "cpu");
        job.schedule();
        job.join();
        assertEquals(IStatus.ERROR, job.getResult().getSeverity());
        assertTrue(job.getResult().getMessage().contains("sha256"), job.getResult().getMessage());
        assertFalse(Files.exists(out));
    }
}
