package org.medsynth.spine.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.IStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.core.api.Contribution.Kind;
import org.medsynth.core.image.Modality;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.jobs.GenerationJob;
import org.medsynth.core.jobs.Sha256;
import org.medsynth.core.registry.Contributions;
import org.medsynth.core.registry.ImageFormats;
import org.medsynth.eval.Voxels;
import org.medsynth.tests.training.ToyTraining;

/**
 * The whole-body X-ray DDPM of MaSkel's augmentation path through the real jobs, at a toy size: the card (DDPM
 * settings, FID and KID of its samples), bit-identical resume, seeded sampling of X-rays on the phantoms' field with
 * provenance, and refusal of more DDIM steps than the model was trained with.
 */
class XrayDdpmTest {
    private static final long SEED = 13;
    private static final int STEPS = 4;
    private static final Map<String, String> TOY = Map.ofEntries(Map.entry("steps", "" + STEPS),
            Map.entry("batch-size", "2"), Map.entry("learning-rate", "0.001"), Map.entry("ema-decay", "0.5"),
            Map.entry("size", "16"), Map.entry("base-channels", "8"), Map.entry("multipliers", "1,2"),
            Map.entry("res-blocks", "1"), Map.entry("attention-level", "1"), Map.entry("heads", "2"),
            Map.entry("diffusion-steps", "20"), Map.entry("sampling-steps", "5"), Map.entry("checkpoint-every", "2"),
            Map.entry("evaluation-samples", "4"));

    @TempDir
    static Path shared;
    @TempDir
    Path work;

    private static ToyTraining toy;

    @BeforeAll
    static void trainOnce() throws InterruptedException {
        toy = ToyTraining.train("spine.xray-ddpm", TOY, SEED, shared);
    }

    @Test
    void modelCardRecordsTheDiffusionAndTheDistancesOfItsSamples() throws IOException {
        Map<String, String> card = toy.card();
        assertEquals("spine-xray-ddpm", card.get("id"));
        assertEquals("unet-ddpm", card.get("architecture.name"));
        assertEquals("16", card.get("architecture.image-size"));
        assertEquals("20", card.get("diffusion.training-steps"));
        assertEquals("epsilon", card.get("diffusion.prediction"));
        assertEquals(Sha256.of(toy.model().resolve("spine-xray-ddpm-0000.params")), card.get("weights.0.sha256"));
        double fid = Double.parseDouble(card.get("metrics.fid-baseline"));
        assertTrue(Double.isFinite(fid) && fid >= 0, "FID " + fid);
        assertEquals(fid, toy.job().result().metrics().get("fid-baseline"), 1e-5 * Math.max(1, fid));
        double floor = Double.parseDouble(card.get("metrics.real-vs-real-fid-baseline"));
        assertTrue(Double.isFinite(floor) && floor >= 0, "real-vs-real FID " + floor);
        assertTrue(card.get("settings.paper").contains("T = 1000"), card.get("settings.paper"));
        assertTrue(card.get("training.command").startsWith("medsynth train spine.xray-ddpm --seed 13"),
                card.get("training.command"));
    }

    @Test
    void resumedTrainingEndsWithTheSameWeightsBitForBit() throws Exception {
        toy.assertResumesBitForBit(work);
    }

    @Test
    void samplesAreSeededSyntheticXraysOnThePhantomsField() throws Exception {
        double[] first = sample(Map.of("model", toy.model().toString(), "sampling-steps", "5"), 7, "a");
        double[] again = sample(Map.of("model", toy.model().toString(), "sampling-steps", "5"), 7, "b");
        double[] other = sample(Map.of("model", toy.model().toString(), "sampling-steps", "5"), 8, "c");
        assertArrayEquals(first, again);
        assertFalse(Arrays.equals(first, other));
        MedicalImage<?> xray = ImageFormats.get().read(work.resolve("a").resolve("sample-000.mha"));
        assertTrue(xray.isSynthetic());
        assertEquals("spine-xray-ddpm", xray.provenance().modelCardId());
        assertEquals(toy.job().result().weightSha256(), xray.provenance().weightSha256());
        assertEquals(Modality.DX, xray.modality());
        assertArrayEquals(new long[] {16, 16}, xray.dimensions());
        assertEquals(2000.0 / 16, xray.geometry().spacing(0), 1e-9);
    }

    @Test
    void refusesMoreDdimStepsThanTrained() throws Exception {
        GenerationJob tooMany = generate(Map.of("model", toy.model().toString(), "sampling-steps", "50"), 1,
                work.resolve("never"));
        assertEquals(IStatus.ERROR, tooMany.getResult().getSeverity());
        assertTrue(tooMany.getResult().getMessage().contains("20 diffusion steps"), tooMany.getResult().getMessage());
        assertFalse(Files.exists(work.resolve("never")));
    }

    private double[] sample(Map<String, String> parameters, long seed, String name) throws Exception {
        GenerationJob job = generate(parameters, seed, work.resolve(name));
        assertTrue(job.getResult().isOK(), job.getResult().toString());
        return Voxels.of(ImageFormats.get().read(work.resolve(name).resolve("sample-000.mha"))).values();
    }

    private static GenerationJob generate(Map<String, String> parameters, long seed, Path out)
            throws InterruptedException {
        GenerationJob job = new GenerationJob(Contributions.get().require(Kind.GENERATOR, "spine.xray-ddpm-sample"),
                parameters, seed, 1, List.of(), out, List.of("mha"), "cpu");
        job.schedule();
        job.join();
        return job;
    }
}
