package org.medsynth.radiography.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.CoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.core.api.Contribution.Kind;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.jobs.GenerationJob;
import org.medsynth.core.jobs.RunHistory;
import org.medsynth.core.jobs.Sha256;
import org.medsynth.core.registry.Contributions;
import org.medsynth.core.registry.ImageFormats;
import org.medsynth.eval.Voxels;
import org.medsynth.ml.weights.ModelCard;
import org.medsynth.physics.SingleImageTomography;
import org.medsynth.radiography.tomography.TomographyEvaluation;
import org.medsynth.radiography.tomography.TomographyNetwork;

/**
 * The shipped radiography-tomography model: its weights match the card; on a held-out skull it reconstructs a volume
 * with less than half the voxel error of an empty one, on the real head CT one closer to the truth than an empty one,
 * and its fused volumes re-project to the input x-rays; the card's network error is below its nearest-neighbour
 * baseline's.
 */
class ShippedTomographyModelTest {
    private static final String ID = "radiography-tomography";

    @TempDir
    Path work;

    @Test
    void weightsMatchTheCardAndTheNetworkBeatsTheNearestNeighbourBaseline() throws IOException {
        ModelCard card = ModelCard.read(ModelCard.locate(ID), TomographyNetwork.ARCHITECTURE,
                "radiography.tomography");
        assertEquals(card.weightSha256(), Sha256.of(card.folder().resolve(card.weightFile())));
        card.verifiedWeights();
        TomographyNetwork spec = TomographyNetwork.fromCard(card);
        assertEquals(64, spec.size());
        assertEquals(32, spec.depth());
        assertTrue(card.decimal("metrics.voxel-l2") < card.decimal("metrics.nearest-neighbour-voxel-l2"));
    }

    @Test
    void aHeldOutSkullAndTheHeadCtAreReconstructed() throws Exception {
        System.setProperty(RunHistory.FOLDER_PROPERTY, work.resolve("runs").toString());
        for (String source : List.of("skull", "head-ct")) {
            Path xrays = work.resolve("xray-" + source);
            run("radiography.tomography-xray", Map.of("source", source, "size", "64", "depth", "32", "volume-size",
                    "64"), 987_654, List.of(), xrays);
            Path out = work.resolve("volume-" + source);
            run("radiography.tomography-reconstruct", Map.of(), 1, List.of(xrays.resolve("xray.mha")), out);
            float[] truth = TomographyTest.floats(read(xrays.resolve("volume.mha")).values());
            Voxels coarse = read(out.resolve("coarse-000.mha"));
            assertEquals(ID, ImageFormats.get().read(out.resolve("coarse-000.mha")).provenance().modelCardId());
            double error = TomographyEvaluation.meanSquaredError(TomographyTest.floats(coarse.values()), truth);
            double empty = TomographyEvaluation.meanSquaredError(new float[truth.length], truth);
            // the held-out skull comes from the training distribution; the real head CT does not, and the demo
            // model only just beats an empty volume on it
            double bound = source.equals("skull") ? 0.5 * empty : empty;
            assertTrue(error < bound, source + ": voxel L2 " + error + ", of an empty volume " + empty);
            float[] xray = TomographyTest.floats(read(xrays.resolve("xray.mha")).values());
            float[] reprojected = SingleImageTomography.projectSlices(
                    TomographyTest.floats(read(out.resolve("volume-000.mha")).values()), 32, xray.length);
            int matching = 0;
            for (int p = 0; p < xray.length; p++) {
                if (Math.abs(reprojected[p] - xray[p]) < 1e-4) {
                    matching++;
                }
            }
            assertTrue(matching > 0.95 * xray.length, source + ": " + matching + " of " + xray.length
                    + " pixels re-project to the input");
        }
    }

    private static Voxels read(Path file) throws IOException, CoreException {
        MedicalImage<?> image = ImageFormats.get().read(file);
        return Voxels.of(image);
    }

    private static void run(String generator, Map<String, String> parameters, long seed, List<Path> inputs, Path out)
            throws InterruptedException {
        GenerationJob job = new GenerationJob(Contributions.get().require(Kind.GENERATOR, generator), parameters, seed,
                1, inputs, out, List.of("mha"), "cpu");
        job.schedule();
        job.join();
        assertTrue(job.getResult().isOK(), job.getResult().toString());
    }
}
