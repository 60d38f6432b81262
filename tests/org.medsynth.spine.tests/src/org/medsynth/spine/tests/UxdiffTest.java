package org.medsynth.spine.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import org.medsynth.core.jobs.RunHistory;
import org.medsynth.core.jobs.Sha256;
import org.medsynth.core.jobs.TrainingJob;
import org.medsynth.core.registry.Contributions;
import org.medsynth.core.registry.ImageFormats;
import org.medsynth.eval.Voxels;
import org.medsynth.ml.weights.ModelCardYaml;
import org.medsynth.spine.SpinePhantom;
import org.medsynth.tests.training.TrainerRuns;

/**
 * UXDiff and its pix2pix baseline end to end through the real jobs, at a toy size (32 × 128 images, T = 20) so they
 * run in seconds: training on phantom pairs and on a manifest of pairs, the model cards with their held-out
 * metrics, translation of phantoms and of an input ultrasound, seeded, with provenance; refusal of bad requests.
 */
class UxdiffTest {
    private static final long SEED = 5;
    private static final int STEPS = 30;
    private static final Map<String, String> TOY = Map.ofEntries(Map.entry("steps", "" + STEPS),
            Map.entry("batch-size", "2"), Map.entry("learning-rate", "0.002"), Map.entry("checkpoint-every", "15"),
            Map.entry("size", "32"), Map.entry("base-channels", "8"), Map.entry("token-dim", "16"),
            Map.entry("transformer-depth", "1"), Map.entry("diffusion-steps", "20"), Map.entry("ema-decay", "0.9"),
            Map.entry("training-spines", "6"), Map.entry("evaluation-spines", "3"),
            Map.entry("sampling-steps", "4"));
    private static final Map<String, String> TOY_PIX2PIX = Map.of("steps", "" + STEPS, "batch-size", "2",
            "learning-rate", "0.002", "checkpoint-every", "15", "size", "32", "base-channels", "8",
            "discriminator-channels", "8", "training-spines", "6", "evaluation-spines", "3");

    @TempDir
    static Path shared;
    @TempDir
    Path work;

    private static TrainingJob uxdiff;
    private static TrainingJob pix2pix;
    private static Path uxdiffModel;
    private static Path pix2pixModel;

    @BeforeAll
    static void trainOnce() throws InterruptedException {
        System.setProperty(RunHistory.FOLDER_PROPERTY, shared.resolve("runs").toString());
        pix2pixModel = shared.resolve("pix2pix");
        pix2pix = train("spine.uxdiff-pix2pix", TOY_PIX2PIX, pix2pixModel, shared.resolve("checkpoints-p"));
        uxdiffModel = shared.resolve("uxdiff");
        Map<String, String> withBaseline = new HashMap<>(TOY);
        withBaseline.put("baseline", pix2pixModel.toString());
        uxdiff = train("spine.uxdiff", withBaseline, uxdiffModel, shared.resolve("checkpoints-u"));
    }

    private static TrainingJob train(String trainer, Map<String, String> parameters, Path out, Path checkpoints)
            throws InterruptedException {
        return TrainerRuns.run(trainer, parameters, SEED, out, checkpoints, false);
    }

    private static Map<String, String> card(Path folder) throws IOException {
        return ModelCardYaml.read(Files.readString(folder.resolve("model.yaml")));
    }

    private static double meanOf(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    @Test
    void trainingLowersTheLossOfTeacherStudentAndBaseline() {
        for (TrainingJob job : List.of(uxdiff, pix2pix)) {
            List<Double> losses = job.result().lossCurve();
            assertEquals(STEPS, losses.size());
            double first = meanOf(losses.subList(0, 5));
            double last = meanOf(losses.subList(STEPS - 5, STEPS));
            assertTrue(last < 0.9 * first, "loss " + first + " -> " + last);
        }
    }

    @Test
    void modelCardRecordsTheNetworkTheConsistencyTrainingAndTheHeldOutMetrics() throws IOException {
        Map<String, String> card = card(uxdiffModel);
        System.out.println("UXDiff toy card: " + card);
        assertEquals("spine-uxdiff", card.get("id"));
        assertEquals("uxdiff", card.get("architecture.name"));
        assertEquals("32", card.get("architecture.image-columns"));
        assertEquals("128", card.get("architecture.image-rows"));
        assertEquals("20", card.get("diffusion.training-steps"));
        assertEquals("linear", card.get("diffusion.schedule"));
        assertEquals("epsilon", card.get("diffusion.prediction"));
        assertEquals("0.9", card.get("training.ema-decay"));
        assertEquals("1", card.get("training.consistency-weight"));
        assertTrue(card.get("training.command").startsWith("medsynth train spine.uxdiff --seed 5"));
        assertEquals(Sha256.of(uxdiffModel.resolve("spine-uxdiff-0000.params")), card.get("weights.0.sha256"));
        for (String model : List.of("student", "teacher", "baseline-pix2pix")) {
            double ssim = Double.parseDouble(card.get("metrics." + model + ".ssim-mean"));
            double psnr = Double.parseDouble(card.get("metrics." + model + ".psnr-mean"));
            assertTrue(ssim > -1 && ssim <= 1, model + " SSIM " + ssim);
            assertTrue(Double.isFinite(psnr), model + " PSNR " + psnr);
            assertTrue(Double.parseDouble(card.get("metrics." + model + ".ssim-sd")) >= 0);
        }
        assertEquals(Double.parseDouble(card.get("metrics.baseline-pix2pix.ssim-mean")),
                pix2pix.result().metrics().get("ssim"), 1e-5, "the baseline measured on the same held-out pairs");
        Map<String, String> baseline = card(pix2pixModel);
        assertEquals("pix2pix", baseline.get("architecture.name"));
        assertEquals("100", baseline.get("training.l1-weight"));
    }

    @Test
    void phantomTranslationsAreSyntheticSeededAndComeWithUltrasoundAndTruth() throws Exception {
        Map<String, String> parameters = Map.of("model", uxdiffModel.toString(), "sampling-steps", "3");
        Path first = generate("spine.uxdiff-generate", parameters, 7, List.of(), "a");
        Path again = generate("spine.uxdiff-generate", parameters, 7, List.of(), "b");
        for (String role : List.of("ultrasound", "true-x-ray", "x-ray")) {
            assertTrue(Files.isRegularFile(first.resolve("case-000-" + role + ".mha")), role);
        }
        MedicalImage<?> xray = ImageFormats.get().read(first.resolve("case-000-x-ray.mha"));
        assertTrue(xray.isSynthetic());
        assertEquals("spine-uxdiff", xray.provenance().modelCardId());
        assertEquals(uxdiff.result().weightSha256(), xray.provenance().weightSha256());
        assertArrayEquals(new long[] {32, 128}, xray.dimensions());
        double[] values = Voxels.of(xray).values();
        assertArrayEquals(values, Voxels.of(ImageFormats.get().read(again.resolve("case-000-x-ray.mha"))).values());
        for (double v : values) {
            assertTrue(v >= 0 && v <= 1, "normalised opacity: " + v);
        }
        Path teacher = generate("spine.uxdiff-generate", Map.of("model", uxdiffModel.toString(), "sampling-steps",
                "3", "condition", "cobb"), 7, List.of(), "c");
        assertFalse(java.util.Arrays.equals(values,
                Voxels.of(ImageFormats.get().read(teacher.resolve("case-000-x-ray.mha"))).values()),
                "the teacher's angle tokens change the translation");
    }

    @Test
    void inputUltrasoundsOfAnySizeAreTranslatedByBothModels() throws Exception {
        Path ultrasound = ultrasoundFile(96);
        Path uxdiffOut = generate("spine.uxdiff-generate", Map.of("model", uxdiffModel.toString(),
                "sampling-steps", "3"), 1, List.of(ultrasound), "u");
        Path pix2pixOut = generate("spine.uxdiff-pix2pix-generate", Map.of("model", pix2pixModel.toString()), 1,
                List.of(ultrasound), "p");
        for (Path out : List.of(uxdiffOut, pix2pixOut)) {
            MedicalImage<?> xray = ImageFormats.get().read(out.resolve("case-000-x-ray.mha"));
            assertArrayEquals(new long[] {32, 128}, xray.dimensions());
            assertEquals(310.0 / 32, xray.geometry().spacing()[0], 1e-4, "the input's field at the model's size");
            assertEquals(620.0 / 128, xray.geometry().spacing()[1], 1e-4);
            assertFalse(Files.exists(out.resolve("case-000-true-x-ray.mha")), "an input has no true radiograph");
        }
    }

    @Test
    void theTeacherNeedsACobbAngleForInputUltrasounds() throws Exception {
        Path ultrasound = ultrasoundFile(64);
        GenerationJob job = job("spine.uxdiff-generate", Map.of("model", uxdiffModel.toString(), "condition",
                "cobb"), 1, List.of(ultrasound), work.resolve("never"));
        assertEquals(IStatus.ERROR, job.getResult().getSeverity());
        assertTrue(job.getResult().getMessage().contains("cobb-angle"), job.getResult().getMessage());
    }

    @Test
    void aPix2PixModelIsNotAUxdiffModel() throws Exception {
        GenerationJob job = job("spine.uxdiff-generate", Map.of("model", pix2pixModel.toString()), 1, List.of(),
                work.resolve("never"));
        assertEquals(IStatus.ERROR, job.getResult().getSeverity());
        assertTrue(job.getResult().getMessage().contains("pix2pix"), job.getResult().getMessage());
    }

    @Test
    void trainingAcceptsAManifestOfRealPairsWithAngleColumns() throws Exception {
        Path data = work.resolve("pairs");
        Files.createDirectories(data);
        StringBuilder csv = new StringBuilder("id,image,x-ray,cobb,uca\n");
        for (int i = 0; i < 5; i++) {
            SpinePhantom spine = SpinePhantom.singleCurve(i, 10 + 8 * i, SpinePhantom.levelIndex("T8"), 4);
            ImageFormats.get().write(spine.ultrasound(64), data.resolve("us-" + i + ".mha"));
            ImageFormats.get().write(spine.radiograph(64), data.resolve("xr-" + i + ".mha"));
            // a blank Cobb angle is the missing-angle sentinel, a blank UCA is measured on the ultrasound
            csv.append("case").append(i).append(",us-").append(i).append(".mha,xr-").append(i).append(".mha,")
                    .append(i == 1 ? "" : 10 + 8 * i).append(',').append(i == 2 ? "" : 8 + 7 * i).append('\n');
        }
        Path manifest = data.resolve("pairs.csv");
        Files.writeString(manifest, csv);
        Map<String, String> parameters = new HashMap<>(TOY);
        parameters.put("steps", "2");
        parameters.put("dataset", manifest.toString());
        Path out = work.resolve("from-manifest");
        train("spine.uxdiff", parameters, out, work.resolve("checkpoints"));
        Map<String, String> card = card(out);
        assertTrue(card.get("training.data").contains("pairs.csv"), card.get("training.data"));
        assertTrue(card.get("metrics.held-out").startsWith("3 held-out pairs"), card.get("metrics.held-out"));

        Files.writeString(manifest, "image,cobb\nus-0.mha,12\n");
        parameters.put("training-spines", "1");
        TrainingJob bad = new TrainingJob(Contributions.get().require(Kind.TRAINER, "spine.uxdiff"), parameters,
                SEED, work.resolve("bad"), work.resolve("checkpoints-bad"), false, "cpu");
        bad.schedule();
        bad.join();
        assertEquals(IStatus.ERROR, bad.getResult().getSeverity());
        assertTrue(bad.getResult().getMessage().contains("'x-ray'"), bad.getResult().getMessage());
    }

    /** A phantom's coronal ultrasound, {@code columns} wide, written as a file to translate. */
    private Path ultrasoundFile(int columns) throws Exception {
        Path file = work.resolve("ultrasound-" + columns + ".mha");
        ImageFormats.get().write(SpinePhantom.singleCurve(3, 35, SpinePhantom.levelIndex("T9"), 4).ultrasound(columns),
                file);
        return file;
    }

    private Path generate(String generator, Map<String, String> parameters, long seed, List<Path> inputs,
            String name) throws InterruptedException {
        Path out = work.resolve(name);
        GenerationJob job = job(generator, parameters, seed, inputs, out);
        assertTrue(job.getResult().isOK(), job.getResult().toString());
        assertNotNull(job.getResult());
        return out;
    }

    private static GenerationJob job(String generator, Map<String, String> parameters, long seed,
            List<Path> inputs, Path out) throws InterruptedException {
        Contribution contribution = Contributions.get().require(Kind.GENERATOR, generator);
        GenerationJob job = new GenerationJob(contribution, parameters, seed, 1, inputs, out, List.of("mha"), "cpu");
        job.schedule();
        job.join();
        return job;
    }
}
