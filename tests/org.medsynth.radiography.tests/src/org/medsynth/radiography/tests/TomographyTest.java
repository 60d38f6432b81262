package org.medsynth.radiography.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.medsynth.core.api.Contribution.Kind;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.jobs.GenerationJob;
import org.medsynth.core.jobs.Sha256;
import org.medsynth.core.jobs.TrainingJob;
import org.medsynth.core.registry.Contributions;
import org.medsynth.core.registry.ImageFormats;
import org.medsynth.eval.Voxels;
import org.medsynth.ml.weights.ModelCardYaml;
import org.medsynth.physics.SingleImageTomography;
import org.medsynth.radiography.tomography.Reconstruction;
import org.medsynth.tests.training.ToyTraining;
import org.medsynth.tests.training.TrainerRuns;

/**
 * Single-image tomography end to end through the real jobs, at a toy size: training lowers the voxel L2 loss, is
 * reproducible and resumes bit for bit; the card holds the paper's metrics for the network and both baselines;
 * the reconstruction is synthetic with provenance, its fused volume re-projects to the input x-ray; bad inputs and
 * changed weights are refused with a message naming the problem.
 */
class TomographyTest {
    private static final long SEED = 21;
    private static final int STEPS = 8;
    private static final Map<String, String> TOY = Map.ofEntries(Map.entry("steps", "" + STEPS),
            Map.entry("batch-size", "4"), Map.entry("learning-rate", "0.01"), Map.entry("checkpoint-every", "4"),
            Map.entry("size", "16"), Map.entry("depth", "8"), Map.entry("bottleneck", "4"),
            Map.entry("base-channels", "4"), Map.entry("max-channels", "16"), Map.entry("volume-size", "16"),
            Map.entry("training-volumes", "6"), Map.entry("baseline-views", "2"),
            Map.entry("evaluation-volumes", "2"));
    private static final String WEIGHT_FILE = "radiography-tomography-0000.params";

    @TempDir
    static Path shared;
    @TempDir
    Path work;

    private static ToyTraining toy;
    private static TrainingJob trained;
    private static Path model;

    @BeforeAll
    static void trainOnce() throws InterruptedException {
        toy = ToyTraining.train("radiography.tomography", TOY, SEED, shared);
        trained = toy.job();
        model = toy.model();
    }

    private static TrainingJob train(Map<String, String> parameters, Path out, Path checkpoints, boolean resume)
            throws InterruptedException {
        return TrainerRuns.run("radiography.tomography", parameters, SEED, out, checkpoints, resume);
    }

    private static Map<String, String> card(Path folder) throws IOException {
        return ModelCardYaml.read(Files.readString(folder.resolve("model.yaml")));
    }

    @Test
    void trainingLowersTheVoxelLoss() {
        List<Double> losses = trained.result().lossCurve();
        assertEquals(STEPS, losses.size());
        double first = (losses.get(0) + losses.get(1)) / 2;
        double last = (losses.get(STEPS - 2) + losses.get(STEPS - 1)) / 2;
        assertTrue(last < 0.8 * first, "loss from " + first + " to " + last);
    }

    @Test
    void modelCardHoldsTheArchitectureAndThePapersMetricsAgainstBothBaselines() throws IOException {
        Map<String, String> card = card(model);
        assertEquals("radiography-tomography", card.get("id"));
        assertEquals("tomography-encoder-decoder", card.get("architecture.name"));
        assertEquals("16", card.get("architecture.input-size"));
        assertEquals("8", card.get("architecture.depth"));
        assertEquals(Sha256.of(model.resolve(WEIGHT_FILE)), card.get("weights.0.sha256"));
        assertTrue(card.get("training.command").startsWith("medsynth train radiography.tomography --seed 21"),
                card.get("training.command"));
        assertTrue(card.get("training.views").contains("hemisphere"), card.get("training.views"));
        for (String metric : List.of("voxel-l2", "render-dssim", "nearest-neighbour-voxel-l2",
                "nearest-neighbour-render-dssim", "oracle-voxel-l2", "oracle-render-dssim",
                "reprojection-error-coarse", "reprojection-error-fused", "head-ct-voxel-l2")) {
            double value = Double.parseDouble(card.get("metrics." + metric));
            assertTrue(Double.isFinite(value) && value >= 0, metric + " " + value);
        }
        // the oracle is the best any training volume can do in voxel L2
        assertTrue(Double.parseDouble(card.get("metrics.oracle-voxel-l2"))
                <= Double.parseDouble(card.get("metrics.nearest-neighbour-voxel-l2")));
        assertTrue(Double.parseDouble(card.get("metrics.reprojection-error-fused"))
                <= Double.parseDouble(card.get("metrics.reprojection-error-coarse")));
        assertEquals(Double.parseDouble(card.get("metrics.voxel-l2")), trained.result().metrics().get("voxel-l2"),
                1e-5 * Double.parseDouble(card.get("metrics.voxel-l2")));
    }

    @Test
    void trainingIsReproducibleAndResumesBitForBit() throws Exception {
        TrainingJob again = train(TOY, work.resolve("again"), work.resolve("checkpoints-again"), false);
        assertEquals(trained.result().lossCurve(), again.result().lossCurve());
        assertEquals(trained.result().weightSha256(), again.result().weightSha256());
        toy.assertResumesBitForBit(work);
    }

    @Test
    void reconstructionsAreSyntheticAndTheFusedVolumeReprojectsToTheXray() throws Exception {
        Path xrays = simulate(work.resolve("xray"), 16);
        MedicalImage<?> xray = ImageFormats.get().read(xrays.resolve("xray.mha"));
        Path out = reconstruct(Map.of("model", model.toString()), xrays.resolve("xray.mha"), "fused");
        MedicalImage<?> fused = ImageFormats.get().read(out.resolve("volume-000.mha"));
        MedicalImage<?> coarse = ImageFormats.get().read(out.resolve("coarse-000.mha"));
        assertArrayEquals(new long[] {16, 16, 8}, fused.dimensions());
        assertArrayEquals(new long[] {8, 8, 8}, coarse.dimensions());
        for (MedicalImage<?> volume : List.of(fused, coarse)) {
            assertTrue(volume.isSynthetic());
            assertEquals("radiography-tomography", volume.provenance().modelCardId());
            assertEquals(trained.result().weightSha256(), volume.provenance().weightSha256());
        }
        // every ray the network put density on re-projects to the input (an empty ray has nothing to correct)
        float[] input = floats(Voxels.of(xray).values());
        float[] coarseStack = Reconstruction.upsampled(floats(Voxels.of(coarse).values()), 8, 16);
        float[] fusedStack = floats(Voxels.of(fused).values());
        float[] reprojected = SingleImageTomography.projectSlices(fusedStack, 8, input.length);
        int corrected = 0;
        for (int p = 0; p < input.length; p++) {
            double raySum = 0;
            for (int i = 0; i < 8; i++) {
                raySum += coarseStack[p + input.length * i];
            }
            if (raySum > 0) {
                corrected++;
                assertEquals(input[p], reprojected[p], 1e-4, "pixel " + p);
            }
        }
        assertTrue(corrected > input.length / 4, corrected + " of " + input.length + " rays corrected");
        // the cube's side is the x-ray's: 16 pixels of 4 mm
        assertEquals(64.0 / 8, coarse.geometry().spacing(2), 1e-9);
        Path unfused = reconstruct(Map.of("model", model.toString(), "fusion", "none"), xrays.resolve("xray.mha"),
                "coarse");
        assertArrayEquals(Voxels.of(coarse).values(),
                Voxels.of(ImageFormats.get().read(unfused.resolve("volume-000.mha"))).values());
    }

    @Test
    void aVolumeIsRefusedAsInput() throws Exception {
        Path xrays = simulate(work.resolve("xray"), 16);
        assertRefused(Map.of("model", model.toString()), xrays.resolve("volume.mha"), "square 2D");
    }

    @Test
    void changedWeightsAreRefusedBeforeLoading() throws Exception {
        Path copy = work.resolve("tampered");
        Files.createDirectories(copy);
        Files.copy(model.resolve("model.yaml"), copy.resolve("model.yaml"));
        byte[] weights = Files.readAllBytes(model.resolve(WEIGHT_FILE));
        weights[weights.length / 2] ^= 1;
        Files.write(copy.resolve(WEIGHT_FILE), weights);
        Path xrays = simulate(work.resolve("xray"), 16);
        assertRefused(Map.of("model", copy.toString()), xrays.resolve("xray.mha"), "sha256");
    }

    /** A procedural skull's frontal x-ray (size², 4 mm pixels) and true volume at depth 8. */
    static Path simulate(Path out, int size) throws InterruptedException {
        GenerationJob job = new GenerationJob(Contributions.get().require(Kind.GENERATOR,
                "radiography.tomography-xray"), Map.of("size", "" + size, "depth", "8", "volume-size", "16",
                        "extent", "" + 4 * size), 3, 1, List.of(), out, List.of("mha"), "cpu");
        job.schedule();
        job.join();
        assertTrue(job.getResult().isOK(), job.getResult().toString());
        return out;
    }

    private Path reconstruct(Map<String, String> parameters, Path input, String name) throws InterruptedException {
        Path out = work.resolve(name);
        GenerationJob job = new GenerationJob(Contributions.get().require(Kind.GENERATOR,
                "radiography.tomography-reconstruct"), parameters, 1, 1, List.of(input), out, List.of("mha"), "cpu");
        job.schedule();
        job.join();
        assertTrue(job.getResult().isOK(), job.getResult().toString());
        return out;
    }

    private void assertRefused(Map<String, String> parameters, Path input, String named) throws InterruptedException {
        Path out = work.resolve("refused");
        GenerationJob job = new GenerationJob(Contributions.get().require(Kind.GENERATOR,
                "radiography.tomography-reconstruct"), parameters, 1, 1, List.of(input), out, List.of("mha"), "cpu");
        job.schedule();
        job.join();
        assertEquals(IStatus.ERROR, job.getResult().getSeverity());
        assertTrue(job.getResult().getMessage().contains(named), job.getResult().getMessage());
        assertFalse(Files.exists(out));
    }

    static float[] floats(double[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return f;
    }
}
