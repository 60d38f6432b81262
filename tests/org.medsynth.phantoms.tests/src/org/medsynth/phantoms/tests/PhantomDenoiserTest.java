package org.medsynth.phantoms.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.jobs.Job;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.core.api.Contribution;
import org.medsynth.core.api.Contribution.Kind;
import org.medsynth.core.api.TrainingResult;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.jobs.GenerationJob;
import org.medsynth.core.jobs.RunHistory;
import org.medsynth.core.jobs.RunRecord;
import org.medsynth.core.jobs.Sha256;
import org.medsynth.core.jobs.TrainingJob;
import org.medsynth.core.registry.Contributions;
import org.medsynth.core.registry.ImageFormats;
import org.medsynth.data.phantom.Phantoms;
import org.medsynth.eval.ImageMetrics;
import org.medsynth.eval.Voxels;
import org.medsynth.ml.weights.ModelCardYaml;

import net.imglib2.type.numeric.real.FloatType;

/**
 * The phantom denoiser end to end through the real jobs: training (once, shared by the tests), checkpoints, cancel
 * and resume, and the generator that loads the trained weights.
 */
class PhantomDenoiserTest {
    private static final long SEED = 5;
    private static final int SIZE = 32;
    private static final int STEPS = 60;
    private static final Map<String, String> QUICK_TRAINING = Map.of("steps", "" + STEPS, "batch-size", "4", "size",
            "" + SIZE, "checkpoint-every", "20");
    private static final String WEIGHT_FILE = "phantom-denoiser-0000.params";
    private static final Pattern CHECKPOINT = Pattern.compile("phantom-denoiser-step-(\\d+)\\.ckpt");

    @TempDir
    static Path shared;
    @TempDir
    Path work;

    private static TrainingJob trained;
    private static Path model;
    private static Path checkpoints;

    @BeforeAll
    static void trainOnce() throws InterruptedException {
        System.setProperty(RunHistory.FOLDER_PROPERTY, shared.resolve("runs").toString());
        model = shared.resolve("model");
        checkpoints = shared.resolve("checkpoints");
        trained = new TrainingJob(trainer(), QUICK_TRAINING, SEED, model, checkpoints, false, "cpu");
        trained.schedule();
        trained.join();
        assertTrue(trained.getResult().isOK(), trained.getResult().toString());
    }

    private static Contribution trainer() {
        return Contributions.get().require(Kind.TRAINER, "phantom.denoiser");
    }

    private static Contribution generator() {
        return Contributions.get().require(Kind.GENERATOR, "phantom.denoise");
    }

    private static Map<String, String> card(Path modelFolder) throws IOException {
        return ModelCardYaml.read(Files.readString(modelFolder.resolve("model.yaml")));
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    @Test
    void trainingWritesWeightsAndAModelCardWithTheirSha256() throws IOException {
        Path weights = model.resolve(WEIGHT_FILE);
        assertTrue(Files.isRegularFile(weights), "weights at " + weights);
        String sha256 = Sha256.of(weights);
        Map<String, String> card = card(model);
        assertEquals(sha256, card.get("weights.0.sha256"));
        assertEquals(WEIGHT_FILE, card.get("weights.0.file"));
        assertEquals(sha256, trained.result().weightSha256());
        assertEquals("phantom-denoiser", card.get("id"));
        assertEquals("phantom-denoiser", trained.result().modelCardId());
        assertEquals("denoise", card.get("task"));
        assertEquals("Apache-2.0", card.get("license"));
        assertEquals("procedural Shepp–Logan phantoms, seed " + SEED, card.get("training.data"));
        assertEquals("medsynth train phantom.denoiser --seed 5 --device cpu --steps 60 --batch-size 4 "
                + "--learning-rate 0.001 --noise-sigma 0.1 --checkpoint-every 20 --size 32",
                card.get("training.command"));
        assertEquals(List.of(model.resolve("model.yaml"), weights), trained.outputs());
    }

    @Test
    void lossFallsDuringTraining() {
        List<Double> losses = trained.result().lossCurve();
        assertEquals(STEPS, losses.size());
        double first = mean(losses.subList(0, 10));
        double last = mean(losses.subList(STEPS - 10, STEPS));
        assertTrue(last < first, "mean loss of the last 10 steps " + last + " not below the first 10 " + first);
    }

    @Test
    void runRecordHoldsStepsLossCurveAndEngine() throws IOException {
        RunRecord record = RunRecord.read(trained.runRecordFile());
        assertEquals(RunRecord.Outcome.SUCCEEDED, record.outcome());
        assertEquals(STEPS, ((Number) record.results().get("steps")).intValue());
        assertEquals(STEPS, ((List<?>) record.results().get("lossCurve")).size());
        assertEquals("20", record.parameters().get("checkpoint-every"));
        assertEquals("0.1", record.parameters().get("noise-sigma"), "defaults are recorded too");
        assertEquals("PyTorch", trained.result().engineVersions().get("engine"));
    }

    @Test
    void denoisedHeldOutPhantomsBeatTheNoisyOnes() throws IOException {
        TrainingResult result = trained.result();
        double noisy = result.metrics().get("psnr-noisy");
        double denoised = result.metrics().get("psnr-denoised");
        assertTrue(denoised > noisy, "held-out PSNR denoised " + denoised + " dB vs noisy " + noisy + " dB");
        // the held-out noise is exactly noise-sigma: sigma 0.1 on a data range of 1 is 20 dB
        assertEquals(20, noisy, 0.5);
        Map<String, String> card = card(model);
        assertEquals(noisy, Double.parseDouble(card.get("metrics.psnr-noisy")), 1e-3);
        assertEquals(denoised, Double.parseDouble(card.get("metrics.psnr-denoised")), 1e-3);
    }

    @Test
    void checkpointsAreWrittenEveryNSteps() throws IOException {
        assertEquals(List.of(20, 40, 60), checkpointSteps(checkpoints));
    }

    @Test
    void trainingAgainIntoUsedCheckpointsWithoutResumeIsRefused() throws InterruptedException {
        TrainingJob again = new TrainingJob(trainer(), QUICK_TRAINING, SEED, work.resolve("again"), checkpoints,
                false, "cpu");
        again.schedule();
        again.join();
        assertEquals(IStatus.ERROR, again.getResult().getSeverity());
        assertTrue(again.getResult().getMessage().contains("--resume"), again.getResult().getMessage());
        assertFalse(Files.exists(work.resolve("again")));
    }

    @Test
    void cancelKeepsCheckpointsAndResumeContinuesFromTheNewest() throws Exception {
        Path out = work.resolve("cancelled");
        Path kept = work.resolve("checkpoints");
        Map<String, String> endless = Map.of("steps", "100000", "batch-size", "4", "size", "" + SIZE,
                "checkpoint-every", "10");
        TrainingJob job = new TrainingJob(trainer(), endless, SEED, out, kept, false, "cpu");
        job.schedule();
        while (checkpointSteps(kept).isEmpty() && job.getState() != Job.NONE) {
            Thread.sleep(5);
        }
        job.cancel();
        job.join();
        assertEquals(IStatus.CANCEL, job.getResult().getSeverity(), job.getResult().toString());
        assertFalse(Files.exists(out), "no output folder after cancel");
        List<Integer> steps = checkpointSteps(kept);
        assertFalse(steps.isEmpty(), "checkpoints kept after cancel");
        RunRecord cancelled = RunRecord.read(job.runRecordFile());
        assertEquals(RunRecord.Outcome.CANCELLED, cancelled.outcome());
        assertTrue(cancelled.toJson().contains("\"reportedLosses\"") && !job.losses().isEmpty(),
                "a cancelled run keeps the losses it reported: " + cancelled.toJson());

        int newest = steps.get(steps.size() - 1);
        int total = newest + 20;
        Path resumedOut = work.resolve("resumed");
        TrainingJob resumed = new TrainingJob(trainer(), Map.of("steps", "" + total, "batch-size", "4", "size",
                "" + SIZE, "checkpoint-every", "10"), SEED, resumedOut, kept, true, "cpu");
        resumed.schedule();
        resumed.join();
        assertTrue(resumed.getResult().isOK(), resumed.getResult().toString());
        assertEquals(total, resumed.result().steps());
        List<Double> losses = resumed.result().lossCurve();
        assertEquals(total, losses.size(), "loss curve includes the steps before the resume");
        // same seed, batch size and phantom size as the shared run, so the same weights and batches up to the
        // checkpoint; the first step after it sees the checkpoint's weights and the uninterrupted run's batch
        List<Double> uninterrupted = trained.result().lossCurve();
        assertTrue(newest < STEPS, "cancel came only after step " + newest);
        for (int step = 0; step <= newest; step++) {
            assertEquals(uninterrupted.get(step), losses.get(step), 1e-5 * uninterrupted.get(step), "step " + step);
        }
        assertEquals("" + newest, card(resumedOut).get("training.resumed-from-step"));
        List<Integer> after = checkpointSteps(kept);
        assertTrue(after.containsAll(List.of(newest + 10, newest + 20)), "checkpoints after the resume: " + after);
    }

    @Test
    void generatorDenoisesAMetaImageBetterThanItsNoisyInput() throws Exception {
        MedicalImage<FloatType> clean = Phantoms.sheppLogan2d(SIZE, 1.0, 2);
        MedicalImage<FloatType> noisy = Phantoms.sheppLogan2d(SIZE, 1.0, 2);
        Phantoms.addGaussianNoise(Phantoms.data(noisy), 0.1, new SplittableRandom(99));
        Path input = work.resolve("noisy.mha");
        ImageFormats.get().write(noisy, input);
        Path out = work.resolve("denoised");
        GenerationJob job = new GenerationJob(generator(), Map.of("model", model.toString()), 0, 1, List.of(input),
                out, List.of("mha"), "cpu");
        job.schedule();
        job.join();
        assertTrue(job.getResult().isOK(), job.getResult().toString());
        MedicalImage<?> denoised = ImageFormats.get().read(out.resolve("denoised-000.mha"));
        double[] reference = Voxels.of(clean).values();
        double noisyPsnr = ImageMetrics.psnr(reference, Voxels.of(noisy).values(), 1.0);
        double denoisedPsnr = ImageMetrics.psnr(reference, Voxels.of(denoised).values(), 1.0);
        assertTrue(denoisedPsnr > noisyPsnr, "PSNR denoised " + denoisedPsnr + " dB vs noisy " + noisyPsnr + " dB");
        assertTrue(denoised.isSynthetic());
        assertEquals("phantom-denoiser", denoised.provenance().modelCardId());
        assertEquals(trained.result().weightSha256(), denoised.provenance().weightSha256());
        assertTrue(RunRecord.read(job.runRecordFile()).toJson().contains(trained.result().weightSha256()),
                "run record names the weights");
    }

    @Test
    void tamperedWeightsAreRefusedBeforeLoading() throws Exception {
        Path copy = work.resolve("tampered-model");
        Files.createDirectories(copy);
        Files.copy(model.resolve("model.yaml"), copy.resolve("model.yaml"));
        byte[] weights = Files.readAllBytes(model.resolve(WEIGHT_FILE));
        weights[weights.length - 1] ^= 1;
        Files.write(copy.resolve(WEIGHT_FILE), weights);
        Path input = work.resolve("clean.mha");
        ImageFormats.get().write(Phantoms.sheppLogan2d(SIZE, 1.0, 2), input);
        Path out = work.resolve("never");
        GenerationJob job = new GenerationJob(generator(), Map.of("model", copy.toString()), 0, 1, List.of(input),
                out, List.of("mha"), "cpu");
        job.schedule();
        job.join();
        assertEquals(IStatus.ERROR, job.getResult().getSeverity());
        String message = job.getResult().getMessage();
        assertTrue(message.contains(copy.resolve(WEIGHT_FILE).toString()) && message.contains("sha256"), message);
        assertFalse(Files.exists(out), "no output after a refused model");
    }

    @Test
    void volumesAreRefusedWithAMessageSayingWhatTheGeneratorTakes() throws Exception {
        Path input = work.resolve("volume.mha");
        ImageFormats.get().write(Phantoms.sheppLogan3d(8, 1.0, 1), input);
        Path out = work.resolve("never");
        GenerationJob job = new GenerationJob(generator(), Map.of("model", model.toString()), 0, 1, List.of(input),
                out, List.of("mha"), "cpu");
        job.schedule();
        job.join();
        assertEquals(IStatus.ERROR, job.getResult().getSeverity());
        String message = job.getResult().getMessage();
        assertTrue(message.contains("input 1 of 1") && message.contains("2D single-channel"), message);
        assertFalse(Files.exists(out));
    }

    private static List<Integer> checkpointSteps(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> CHECKPOINT.matcher(f.getFileName().toString())).filter(Matcher::matches)
                    .map(m -> Integer.parseInt(m.group(1))).sorted().toList();
        }
    }
}
