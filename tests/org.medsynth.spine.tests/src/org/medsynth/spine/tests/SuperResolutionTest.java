package org.medsynth.spine.tests;

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
import org.medsynth.core.registry.Contributions;
import org.medsynth.core.registry.ImageFormats;
import org.medsynth.eval.Voxels;
import org.medsynth.spine.maskel.LowResolution;
import org.medsynth.tests.training.ToyTraining;

/**
 * MaSkel's super-resolution step (ResShift): the bicubic upsampling against PyTorch's
 * (reference/bicubic_upsampling.py) and the detector model's block means; a toy training through the real job
 * (card, metrics next to the bicubic baseline, bit-identical resume); enlargement of whole-body X-rays with
 * provenance, finer pixels over the same field and seeded noise; refusal of X-rays of another size.
 */
class SuperResolutionTest {
    private static final long SEED = 9;
    private static final int STEPS = 4;
    private static final Map<String, String> TOY = Map.ofEntries(Map.entry("steps", "" + STEPS),
            Map.entry("batch-size", "2"), Map.entry("learning-rate", "0.002"), Map.entry("ema-decay", "0.5"),
            Map.entry("low-size", "16"), Map.entry("factor", "2"), Map.entry("crop", "16"), Map.entry("bodies", "3"),
            Map.entry("base-channels", "8"), Map.entry("multipliers", "1,2"), Map.entry("res-blocks", "1"),
            Map.entry("diffusion-steps", "4"), Map.entry("checkpoint-every", "2"),
            Map.entry("evaluation-samples", "2"));

    @TempDir
    static Path shared;
    @TempDir
    Path work;

    private static ToyTraining toy;

    @BeforeAll
    static void trainOnce() throws InterruptedException {
        toy = ToyTraining.train("spine.maskel-sr", TOY, SEED, shared);
    }

    @Test
    void bicubicUpsamplingIsPyTorchs() throws IOException {
        int size = 8;
        float[] image = new float[size * size];
        for (int j = 0; j < size; j++) {
            for (int i = 0; i < size; i++) {
                image[j * size + i] = (float) (Math.sin(0.7 * i) + Math.cos(1.3 * j) + 0.1 * i * j);
            }
        }
        float[] upsampled = LowResolution.upsampleBicubic(image, size, 4);
        List<String> rows = Files.readAllLines(ReferenceFiles.reference("bicubic_upsampling.csv"));
        assertEquals(32, rows.size());
        for (int j = 0; j < 32; j++) {
            String[] values = rows.get(j).split(",");
            for (int i = 0; i < 32; i++) {
                assertEquals(Double.parseDouble(values[i]), upsampled[j * 32 + i], 2e-6, "(" + j + ", " + i + ")");
            }
        }
    }

    @Test
    void theDetectorModelAveragesBlocks() {
        float[] image = new float[16];
        for (int p = 0; p < 16; p++) {
            image[p] = p;
        }
        // 4 x 4 rows 0..3, 4..7, ...: the top-left 2 x 2 block is 0, 1, 4, 5
        assertArrayEquals(new float[] {2.5f, 4.5f, 10.5f, 12.5f}, LowResolution.downsample(image, 4, 2));
    }

    @Test
    void modelCardRecordsTheProcessAndBothScores() throws IOException {
        Map<String, String> card = toy.card();
        assertEquals("spine-maskel-sr", card.get("id"));
        assertEquals("unet-resshift", card.get("architecture.name"));
        assertEquals("4", card.get("diffusion.steps"));
        assertEquals("x0", card.get("diffusion.prediction"));
        assertEquals(Sha256.of(toy.model().resolve("spine-maskel-sr-0000.params")), card.get("weights.0.sha256"));
        assertTrue(card.get("training.command").startsWith("medsynth train spine.maskel-sr --seed 9"),
                card.get("training.command"));
        for (String measure : List.of("resshift", "bicubic-baseline")) {
            double psnr = Double.parseDouble(card.get("metrics." + measure + ".psnr"));
            double ssim = Double.parseDouble(card.get("metrics." + measure + ".ssim"));
            assertTrue(Double.isFinite(psnr) && ssim <= 1, measure + ": " + psnr + ", " + ssim);
        }
        assertEquals(Double.parseDouble(card.get("metrics.bicubic-baseline.psnr")),
                toy.job().result().metrics().get("bicubic-psnr"), 1e-3);
        assertTrue(card.get("settings.paper").contains("kappa = 2"), card.get("settings.paper"));
    }

    @Test
    void resumedTrainingEndsWithTheSameWeightsBitForBit() throws Exception {
        toy.assertResumesBitForBit(work);
    }

    @Test
    void enlargesEachXrayOverTheSameFieldWithProvenanceAndSeededNoise() throws Exception {
        List<Path> xrays = xrays(16, work.resolve("low"));
        MedicalImage<?> low = ImageFormats.get().read(xrays.get(0));
        Path out = work.resolve("high");
        GenerationJob job = generate(toy.model(), xrays, out, 3);
        assertTrue(job.getResult().isOK(), job.getResult().toString());
        MedicalImage<?> high = ImageFormats.get().read(out.resolve("xray-sr-000.mha"));
        assertTrue(high.isSynthetic());
        assertEquals("spine-maskel-sr", high.provenance().modelCardId());
        assertEquals(toy.job().result().weightSha256(), high.provenance().weightSha256());
        assertArrayEquals(new long[] {32, 32}, high.dimensions());
        assertEquals(low.geometry().spacing(0) / 2, high.geometry().spacing(0), 1e-9);
        // the field's centre is where it was: between the middle pixels of both grids
        double[] lowCentre = low.geometry().indexToPhysical(new double[] {7.5, 7.5});
        double[] highCentre = high.geometry().indexToPhysical(new double[] {15.5, 15.5});
        assertArrayEquals(lowCentre, highCentre, 1e-9);
        Path again = work.resolve("again");
        assertTrue(generate(toy.model(), xrays, again, 3).getResult().isOK());
        assertArrayEquals(values(out.resolve("xray-sr-001.mha")), values(again.resolve("xray-sr-001.mha")));
        Path otherSeed = work.resolve("other-seed");
        assertTrue(generate(toy.model(), xrays, otherSeed, 4).getResult().isOK());
        assertFalse(java.util.Arrays.equals(values(out.resolve("xray-sr-001.mha")),
                values(otherSeed.resolve("xray-sr-001.mha"))));
    }

    @Test
    void xraysOfAnotherSizeAreRefusedWithTheModelsSize() throws Exception {
        GenerationJob job = generate(toy.model(), xrays(32, work.resolve("big")), work.resolve("never"), 1);
        assertEquals(IStatus.ERROR, job.getResult().getSeverity());
        assertTrue(job.getResult().getMessage().contains("16 × 16"), job.getResult().getMessage());
        assertFalse(Files.exists(work.resolve("never")));
    }

    private static double[] values(Path file) throws Exception {
        return Voxels.of(ImageFormats.get().read(file)).values();
    }

    /** Two whole-body phantom X-rays of {@code size}² (seeds the training never drew). */
    private static List<Path> xrays(int size, Path folder) throws InterruptedException {
        GenerationJob phantoms = new GenerationJob(Contributions.get().require(Kind.GENERATOR, "spine.whole-body"),
                Map.of("size", "" + size, "outputs", "x-ray"), 424_242, 2, List.of(), folder, List.of("mha"), "cpu");
        phantoms.schedule();
        phantoms.join();
        assertTrue(phantoms.getResult().isOK(), phantoms.getResult().toString());
        return List.of(folder.resolve("body-000-x-ray.mha"), folder.resolve("body-001-x-ray.mha"));
    }

    private static GenerationJob generate(Path modelFolder, List<Path> inputs, Path out, long seed)
            throws InterruptedException {
        GenerationJob job = new GenerationJob(Contributions.get().require(Kind.GENERATOR, "spine.maskel-sr-generate"),
                Map.of("model", modelFolder.toString()), seed, 1, inputs, out, List.of("mha"), "cpu");
        job.schedule();
        job.join();
        return job;
    }
}
