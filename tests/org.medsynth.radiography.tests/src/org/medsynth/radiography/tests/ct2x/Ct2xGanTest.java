package org.medsynth.radiography.tests.ct2x;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

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
import org.medsynth.data.phantom.TorsoPhantom;
import org.medsynth.eval.Voxels;
import org.medsynth.ml.MlEngine;
import org.medsynth.ml.Seeding;
import org.medsynth.ml.weights.ModelCardYaml;
import org.medsynth.ml.weights.NamedParameters;
import org.medsynth.ml.weights.TrainedModels;
import org.medsynth.physics.PhysicsImages;
import org.medsynth.physics.Volume;
import org.medsynth.radiography.ct2x.Ct2xData;
import org.medsynth.radiography.ct2x.Ct2xModel;
import org.medsynth.radiography.ct2x.Ct2xNetwork;
import org.medsynth.radiography.ct2x.Ct2xTraining;
import org.medsynth.radiography.ct2x.CtVolumes;
import org.medsynth.radiography.ct2x.RandomFeatures;
import org.medsynth.radiography.ct2x.Radiographs;
import org.medsynth.tests.training.ToyTraining;
import org.medsynth.tests.training.TrainerRuns;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;

/**
 * CT2X-GAN end to end through the real jobs at a toy size: training, the model card, bit-identical resume, the
 * generator with provenance, save → reload, refusal of bad input and changed weights, and the split of the one loss
 * into generator and discriminator objectives.
 */
class Ct2xGanTest {
    private static final long SEED = 5;
    private static final int STEPS = 4;
    private static final Map<String, String> TOY = Map.of("steps", "" + STEPS, "batch-size", "2", "ct-size", "16",
            "image-size", "32", "feature-cube", "4", "channels", "4", "style-dim", "4", "checkpoint-every", "2",
            "evaluation-cts", "2");
    private static final Ct2xNetwork.Config TOY_CONFIG = new Ct2xNetwork.Config(16, 32, 4, 4, 4, 2);
    private static final String WEIGHT_FILE = "radiography-ct2x-gan-0000.params";

    @TempDir
    static Path shared;
    @TempDir
    Path work;

    private static ToyTraining toy;
    private static TrainingJob trained;
    private static Path model;
    private static Path ctFile;

    @BeforeAll
    static void trainOnce() throws Exception {
        toy = ToyTraining.train("radiography.ct2x-gan", TOY, SEED, shared);
        trained = toy.job();
        model = toy.model();
        ctFile = shared.resolve("torso.mha");
        ImageFormats.get().write(new TorsoPhantom(-90, 90).rasterise(20, 12, 18, 1), ctFile);
    }

    private static TrainingJob train(Map<String, String> parameters, Path out, Path checkpoints, boolean resume)
            throws InterruptedException {
        return TrainerRuns.run("radiography.ct2x-gan", parameters, SEED, out, checkpoints, resume);
    }

    private static Contribution generator() {
        return Contributions.get().require(Kind.GENERATOR, "radiography.ct2x");
    }

    private static Map<String, String> card(Path folder) throws IOException {
        return ModelCardYaml.read(Files.readString(folder.resolve("model.yaml")));
    }

    @Test
    void modelCardDescribesTheNetworkStylesTrainingAndMetrics() throws IOException {
        Map<String, String> card = card(model);
        assertEquals("radiography-ct2x-gan", card.get("id"));
        assertEquals("ct2x-gan", card.get("architecture.name"));
        assertEquals("16", card.get("architecture.ct-size"));
        assertEquals("32", card.get("architecture.image-size"));
        assertEquals(4, card.get("style.xray-code").split(",").length);
        assertEquals(Sha256.of(model.resolve(WEIGHT_FILE)), card.get("weights.0.sha256"));
        assertTrue(card.get("training.command").startsWith("medsynth train radiography.ct2x-gan --seed 5"),
                card.get("training.command"));
        for (String metric : List.of("fid-xray", "kid-xray", "lpips-xray", "fid-baseline-drr", "lpips-baseline-drr",
                "psnr-drr-style", "ssim-drr-style")) {
            double value = Double.parseDouble(card.get("metrics." + metric));
            assertTrue(Double.isFinite(value), metric + " " + value);
        }
        assertEquals(STEPS, trained.result().lossCurve().size());
        trained.result().lossCurve().forEach(loss -> assertTrue(Double.isFinite(loss), "loss " + loss));
    }

    @Test
    void resumedTrainingEndsWithTheSameWeightsBitForBit() throws Exception {
        toy.assertResumesBitForBit(work);
    }

    @Test
    void lazyR1PenalisesEveryKthStepWithGammaTimesK() throws Exception {
        Map<String, String> lazy = new HashMap<>(TOY);
        lazy.put("r1-every", "2");
        TrainingJob job = train(lazy, work.resolve("lazy"), work.resolve("lazy-checkpoints"), false);
        assertTrue(card(work.resolve("lazy")).get("training.loss").contains("every 2 steps"));
        // same data and initial weights: the first step (penalised in both, γ·2 here) already differs
        assertNotEquals(trained.result().lossCurve().get(0), job.result().lossCurve().get(0));
    }

    @Test
    void generatorRendersEveryViewInBothStylesWithProvenance() throws Exception {
        List<MedicalImage<?>> first = generate(Map.of("model", model.toString(), "views", "-60,0,60", "style",
                "both"), "a", 6);
        List<MedicalImage<?>> again = generate(Map.of("model", model.toString(), "views", "-60,0,60", "style",
                "both"), "b", 6);
        for (int i = 0; i < first.size(); i++) {
            MedicalImage<?> image = first.get(i);
            assertTrue(image.isSynthetic());
            assertEquals("radiography-ct2x-gan", image.provenance().modelCardId());
            assertEquals(trained.result().weightSha256(), image.provenance().weightSha256());
            assertArrayEquals(new long[] {32, 32}, image.dimensions());
            double[] values = Voxels.of(image).values();
            for (double v : values) {
                assertTrue(v >= 0 && v <= 1, "in [0, 1]: " + v);
            }
            assertArrayEquals(values, Voxels.of(again.get(i)).values(), "deterministic");
        }
        assertFalse(java.util.Arrays.equals(Voxels.of(first.get(0)).values(), Voxels.of(first.get(3)).values()),
                "the two styles differ");
    }

    @Test
    void savedAndReloadedNetworkRendersTheSameImages() throws Exception {
        Path folder = work.resolve("saved");
        Files.createDirectories(folder);
        float[] xray = {0.5f, -0.25f, 1, 0};
        float[] drr = {-1, 0.5f, 0, 0.25f};
        Ct2xModel spec = new Ct2xModel(TOY_CONFIG, xray, drr);
        MedicalImage<?> ct = ImageFormats.get().read(ctFile);
        Volume cube = CtVolumes.cube(PhysicsImages.volume(ct), 16);
        double[] angles = {-30, 45};
        float[][] before = MlEngine.inEngineContext(() -> {
            try (Model m = Model.newInstance("radiography-ct2x-gan", ai.djl.Device.cpu(), MlEngine.ENGINE_NAME)) {
                Ct2xNetwork network = new Ct2xNetwork(TOY_CONFIG);
                m.setBlock(network);
                Seeding.seedAll(3);
                network.initialize(m.getNDManager(), DataType.FLOAT32);
                String sha = TrainedModels.saveWeights(m, folder, "radiography-ct2x-gan");
                List<String> lines = TrainedModels.openCard(Ct2xModel.TRAINER, "radiography-ct2x-gan");
                lines.addAll(spec.cardLines(TrainedModels.parameterCount(network)));
                Files.writeString(folder.resolve("model.yaml"), TrainedModels.closeCard(lines, "test",
                        "radiography-ct2x-gan", sha));
                return Ct2xModel.render(network, m.getNDManager(), cube, angles, xray);
            }
        });
        List<MedicalImage<?>> after = generate(Map.of("model", folder.toString(), "views", "-30,45"), "reloaded", 2);
        for (int v = 0; v < angles.length; v++) {
            double[] reloaded = Voxels.of(after.get(v)).values();
            for (int p = 0; p < reloaded.length; p++) {
                assertEquals(before[v][p], reloaded[p], 1e-6);
            }
        }
    }

    @Test
    void badInputIsRefusedWithAClearMessage() throws Exception {
        Path flat = work.resolve("flat.mha");
        ImageFormats.get().write(new TorsoPhantom(-90, 90).axialSlice(20, 18, 0, 1), flat);
        assertTrue(failure(Map.of("model", model.toString()), flat).contains("3D CT volume"));
        assertTrue(failure(Map.of("model", model.toString(), "views", "0,left"), ctFile).contains("'left'"));
        Path copy = work.resolve("tampered");
        Files.createDirectories(copy);
        Files.copy(model.resolve("model.yaml"), copy.resolve("model.yaml"));
        byte[] weights = Files.readAllBytes(model.resolve(WEIGHT_FILE));
        weights[weights.length / 2] ^= 1;
        Files.write(copy.resolve(WEIGHT_FILE), weights);
        assertTrue(failure(Map.of("model", copy.toString()), ctFile).contains("sha256"));
    }

    @Test
    void eachPartOfTheOneLossMovesOnlyItsOwnWeights() {
        MlEngine.inEngineContext(() -> {
            try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu(), MlEngine.ENGINE_NAME)) {
                Ct2xNetwork network = new Ct2xNetwork(TOY_CONFIG);
                Seeding.seedAll(1);
                network.initialize(manager, DataType.FLOAT32);
                Ct2xData data = new Ct2xData(16, 32, Radiographs.PAPER_ANGLES, 0, null);
                Ct2xTraining training = new Ct2xTraining(network, data, new RandomFeatures(manager, 2, 4, 8),
                        new Ct2xTraining.Weights(10, 1, 1, 1, 0.1, 1, 1, 1));
                Map<String, Parameter> parameters = NamedParameters.of(network);
                try (NDManager scope = manager.newSubManager();
                        GradientCollector collector = Engine.getEngine(MlEngine.ENGINE_NAME)
                                .newGradientCollector()) {
                    Ct2xTraining.Terms terms = training.loss(scope, training.batch(scope, 2,
                            new SplittableRandom(4)), 0);
                    collector.backward(terms.adversarialGenerator());
                }
                double discriminator = 0;
                double generator = 0;
                for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
                    double norm = entry.getValue().getArray().getGradient().abs().sum().getFloat();
                    if (entry.getKey().startsWith("discriminator")) {
                        discriminator += norm;
                    } else if (entry.getKey().startsWith("generator")) {
                        generator += norm;
                    }
                }
                assertEquals(0, discriminator, "the generator's adversarial term leaves D alone");
                assertTrue(generator > 0, "and moves G");
            }
            return null;
        });
    }

    private List<MedicalImage<?>> generate(Map<String, String> parameters, String name, int expected)
            throws Exception {
        Path out = work.resolve(name);
        GenerationJob job = new GenerationJob(generator(), parameters, 1, 1, List.of(ctFile), out, List.of("mha"),
                "cpu");
        job.schedule();
        job.join();
        assertTrue(job.getResult().isOK(), job.getResult().toString());
        List<MedicalImage<?>> images = new ArrayList<>();
        try (var files = Files.list(out)) {
            List<Path> sorted = files.filter(f -> f.toString().endsWith(".mha")).sorted().toList();
            assertEquals(expected, sorted.size(), sorted.toString());
            for (Path file : sorted) {
                images.add(ImageFormats.get().read(file));
            }
        }
        return images;
    }

    private String failure(Map<String, String> parameters, Path input) throws Exception {
        Path out = work.resolve("failed-" + System.nanoTime());
        GenerationJob job = new GenerationJob(generator(), parameters, 1, 1, List.of(input), out, List.of("mha"),
                "cpu");
        job.schedule();
        job.join();
        assertEquals(IStatus.ERROR, job.getResult().getSeverity());
        return job.getResult().getMessage();
    }
}
