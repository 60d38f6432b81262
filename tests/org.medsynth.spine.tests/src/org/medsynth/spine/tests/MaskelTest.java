package org.medsynth.spine.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
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
import org.medsynth.eval.ImageMetrics;
import org.medsynth.eval.Voxels;
import org.medsynth.ml.weights.ModelCard;
import org.medsynth.ml.weights.ModelCardYaml;
import org.medsynth.tests.training.ToyTraining;
import org.medsynth.tests.training.TrainerRuns;

/**
 * MaSkel end to end through the real jobs: a toy training of both stages and the baseline (losses fall, the card
 * records the architecture, the metrics of both stages and the baseline, and the weights' sha256), reproducible
 * and resumable bit for bit; generation from whole-body masks with provenance; refusal of masks of the wrong size;
 * and the shipped model, whose X-rays of held-out masks must resemble the phantoms' own.
 */
class MaskelTest {
    private static final long SEED = 5;
    private static final int STEPS = 4;
    private static final Map<String, String> TOY = Map.ofEntries(Map.entry("mae-steps", "" + STEPS),
            Map.entry("steps", "" + STEPS), Map.entry("batch-size", "2"), Map.entry("size", "32"),
            Map.entry("patch", "8"), Map.entry("dim", "16"), Map.entry("depth", "1"), Map.entry("heads", "2"),
            Map.entry("decoder-dim", "16"), Map.entry("decoder-depth", "1"), Map.entry("codes", "16"),
            Map.entry("code-dim", "8"), Map.entry("decoder-channels", "8"), Map.entry("checkpoint-every", "2"),
            Map.entry("evaluation-samples", "2"), Map.entry("learning-rate", "0.003"));
    private static final String WEIGHT_FILE = "spine-maskel-0000.params";

    @TempDir
    static Path shared;
    @TempDir
    Path work;

    private static ToyTraining toy;
    private static TrainingJob trained;
    private static Path model;

    @BeforeAll
    static void trainOnce() throws InterruptedException {
        toy = ToyTraining.train("spine.maskel", TOY, SEED, shared);
        trained = toy.job();
        model = toy.model();
    }

    private static TrainingJob train(Map<String, String> parameters, Path out, Path checkpoints, boolean resume)
            throws InterruptedException {
        return TrainerRuns.run("spine.maskel", parameters, SEED, out, checkpoints, resume);
    }

    private static Map<String, String> card(Path folder) throws IOException {
        return ModelCardYaml.read(Files.readString(folder.resolve("model.yaml")));
    }

    @Test
    void modelCardRecordsBothStagesTheBaselineAndTheWeights() throws IOException {
        Map<String, String> card = card(model);
        assertEquals("spine-maskel", card.get("id"));
        assertEquals("maskel", card.get("architecture.name"));
        assertEquals("8", card.get("architecture.patch"));
        assertEquals("" + STEPS, card.get("training.mae-steps"));
        assertEquals(Sha256.of(model.resolve(WEIGHT_FILE)), card.get("weights.0.sha256"));
        assertEquals(trained.result().weightSha256(), card.get("weights.0.sha256"));
        assertTrue(card.get("training.command").startsWith("medsynth train spine.maskel --seed 5"),
                card.get("training.command"));
        for (String measure : List.of("stage1-reconstruction", "mask-to-xray",
                "baseline-mask-to-xray")) {
            double psnr = Double.parseDouble(card.get("metrics." + measure + ".psnr"));
            double ssim = Double.parseDouble(card.get("metrics." + measure + ".ssim"));
            double lpips = Double.parseDouble(card.get("metrics." + measure + ".lpips-baseline"));
            assertTrue(Double.isFinite(psnr) && ssim <= 1 && lpips >= 0, measure + ": " + psnr + ", " + ssim + ", "
                    + lpips);
        }
        assertEquals(Double.parseDouble(card.get("metrics.mask-to-xray.psnr")),
                trained.result().metrics().get("mask-to-xray-psnr"), 1e-3);
        assertTrue(card.get("settings.paper").contains("16² patches"), card.get("settings.paper"));
    }

    @Test
    void trainingLowersTheLossAndResumesBitForBit() throws Exception {
        Map<String, String> longer = new HashMap<>(TOY);
        longer.put("steps", "12");
        longer.put("mae-steps", "2");
        longer.put("baseline", "false");
        longer.put("checkpoint-every", "6");
        Path checkpoints = work.resolve("checkpoints");
        TrainingJob whole = train(longer, work.resolve("whole"), work.resolve("whole-checkpoints"), false);
        List<Double> losses = whole.result().lossCurve();
        double first = (losses.get(0) + losses.get(1) + losses.get(2)) / 3;
        double last = (losses.get(9) + losses.get(10) + losses.get(11)) / 3;
        assertTrue(last < first, "stage-2 loss falls: " + losses);
        Map<String, String> half = new HashMap<>(longer);
        half.put("steps", "6");
        train(half, work.resolve("half"), checkpoints, false);
        TrainingJob resumed = train(longer, work.resolve("resumed"), checkpoints, true);
        assertEquals(losses, resumed.result().lossCurve());
        assertEquals(whole.result().weightSha256(), resumed.result().weightSha256());
    }

    @Test
    void generatesAnXrayPerMaskWithProvenance() throws Exception {
        List<Path> masks = masks(32, 2, work.resolve("masks"));
        Path out = work.resolve("xrays");
        GenerationJob job = generate(Map.of("model", model.toString()), masks, out);
        assertTrue(job.getResult().isOK(), job.getResult().toString());
        for (int i = 0; i < 2; i++) {
            MedicalImage<?> xray = ImageFormats.get().read(out.resolve(String.format("xray-%03d.mha", i)));
            assertTrue(xray.isSynthetic());
            assertEquals("spine-maskel", xray.provenance().modelCardId());
            assertEquals(trained.result().weightSha256(), xray.provenance().weightSha256());
            assertArrayEquals(new long[] {32, 32}, xray.dimensions());
        }
    }

    @Test
    void masksOfAnotherSizeAreRefusedWithTheModelsSize() throws Exception {
        GenerationJob job = generate(Map.of("model", model.toString()), masks(48, 1, work.resolve("big")),
                work.resolve("never"));
        assertEquals(IStatus.ERROR, job.getResult().getSeverity());
        assertTrue(job.getResult().getMessage().contains("32 × 32"), job.getResult().getMessage());
        assertFalse(Files.exists(work.resolve("never")));
    }

    /**
     * The shipped model: its weights match its card, and on held-out bodies (seeds it never saw) its X-rays lie
     * closer to the phantoms' radiographs than the body mask scaled to the mean body value, a predictor that knows the
     * outline but no anatomy.
     */
    @Test
    void shippedModelDrawsXraysCloserThanTheOutlineAlone() throws Exception {
        ModelCard card = ModelCard.read(ModelCard.locate("spine-maskel"), "maskel", "spine.maskel");
        card.verifiedWeights();
        int size = Integer.parseInt(card.text("architecture.image-size"));
        Path folder = work.resolve("held-out");
        GenerationJob phantoms = new GenerationJob(Contributions.get().require(Kind.GENERATOR, "spine.whole-body"),
                Map.of("size", "" + size), 777_001, 3, List.of(), folder, List.of("mha"), "cpu");
        phantoms.schedule();
        phantoms.join();
        assertTrue(phantoms.getResult().isOK(), phantoms.getResult().toString());
        List<Path> masks = List.of(folder.resolve("body-000-mask.mha"), folder.resolve("body-001-mask.mha"),
                folder.resolve("body-002-mask.mha"));
        Path out = work.resolve("shipped");
        GenerationJob job = generate(Map.of(), masks, out);
        assertTrue(job.getResult().isOK(), job.getResult().toString());
        for (int i = 0; i < 3; i++) {
            double[] truth = values(folder.resolve(String.format("body-%03d-x-ray.mha", i)));
            double[] mask = values(masks.get(i));
            double[] drawn = values(out.resolve(String.format("xray-%03d.mha", i)));
            double inside = 0;
            int count = 0;
            for (int p = 0; p < truth.length; p++) {
                if (mask[p] > 0) {
                    inside += truth[p];
                    count++;
                }
            }
            double[] outline = new double[truth.length];
            for (int p = 0; p < truth.length; p++) {
                outline[p] = mask[p] > 0 ? inside / count : 0;
            }
            double model = ImageMetrics.psnr(truth, drawn, 7);
            double outlineOnly = ImageMetrics.psnr(truth, outline, 7);
            assertTrue(model > outlineOnly + 1, "body " + i + ": model " + model + " dB, outline " + outlineOnly
                    + " dB");
        }
    }

    private static double[] values(Path file) throws Exception {
        return Voxels.of(ImageFormats.get().read(file)).values();
    }

    private GenerationJob generate(Map<String, String> parameters, List<Path> masks, Path out)
            throws InterruptedException {
        Contribution generator = Contributions.get().require(Kind.GENERATOR, "spine.maskel-generate");
        GenerationJob job = new GenerationJob(generator, parameters, 1, 1, masks, out, List.of("mha"), "cpu");
        job.schedule();
        job.join();
        return job;
    }

    /** Whole-body masks of the given size written by the phantom generator; their paths. */
    private static List<Path> masks(int size, int count, Path folder) throws InterruptedException {
        GenerationJob job = new GenerationJob(Contributions.get().require(Kind.GENERATOR, "spine.whole-body"),
                Map.of("size", "" + size, "outputs", "mask"), 3, count, List.of(), folder, List.of("mha"), "cpu");
        job.schedule();
        job.join();
        assertTrue(job.getResult().isOK(), job.getResult().toString());
        List<Path> masks = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            masks.add(folder.resolve(String.format("body-%03d-mask.mha", i)));
        }
        return masks;
    }
}
