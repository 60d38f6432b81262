package org.medsynth.radiography.tomography.internal;

import static org.medsynth.ml.weights.TrainedModels.number;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.medsynth.core.api.ParameterValues;
import org.medsynth.core.api.Trainer;
import org.medsynth.core.api.TrainingRequest;
import org.medsynth.core.api.TrainingResult;
import org.medsynth.core.jobs.JobPreferences;
import org.medsynth.data.examples.InvesaliusHeadCt;
import org.medsynth.ml.Devices;
import org.medsynth.ml.MlEngine;
import org.medsynth.ml.train.Adam;
import org.medsynth.ml.train.Checkpoints;
import org.medsynth.ml.train.TrainingLoop;
import org.medsynth.ml.weights.ModelCard;
import org.medsynth.ml.weights.ModelCardYaml;
import org.medsynth.ml.weights.TrainedModels;
import org.medsynth.physics.SingleImageTomography;
import org.medsynth.radiography.tomography.Reconstruction;
import org.medsynth.radiography.tomography.SkullPhantom;
import org.medsynth.radiography.tomography.TomographyEvaluation;
import org.medsynth.radiography.tomography.TomographyNetwork;
import org.medsynth.radiography.tomography.ViewPairs;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * Trains single-image tomography (Henzler et al.): pairs of an x-ray simulated with the paper's model
 * ({@link SingleImageTomography#simulate}) from a random view of a training skull and the skull resampled in that
 * view's frame; the network ({@link TomographyNetwork}) learns the volume with the voxel L2 loss. Adam, checkpoints
 * and bit-identical resume through the shared {@link TrainingLoop}; the validation loss on a fixed held-out batch.
 * At the end the network is evaluated as in the paper on held-out skulls (and the real head CT where installed):
 * voxel L2 and DSSIM of iso-surface renderings against nearest-neighbour and oracle baselines searched in the
 * training set, and the re-projection error of the fused volumes; the model card records it all.
 */
public final class TomographyTrainer implements Trainer {
    static final String ID = "radiography-tomography";
    static final String TRAINER = "radiography.tomography";
    static final long HELD_OUT_SEED_OFFSET = 3_000_017;
    private static final int VALIDATION_BATCH = 8;
    /** The volumes are kept in memory; at most this share of the JVM's heap. */
    private static final double MAX_HEAP_SHARE = 0.5;

    private record Settings(int steps, int batchSize, double learningRate, int checkpointEvery, int size, int depth,
            int bottleneck, int baseChannels, int maxChannels, int volumeSize, int trainingVolumes,
            double maxViewAngle, int baselineViews, int evaluationVolumes) {
        static Settings of(ParameterValues p) {
            return new Settings(p.getInt("steps"), p.getInt("batch-size"), p.getDouble("learning-rate"),
                    p.getInt("checkpoint-every"), p.getInt("size"), p.getInt("depth"), p.getInt("bottleneck"),
                    p.getInt("base-channels"), p.getInt("max-channels"), p.getInt("volume-size"),
                    p.getInt("training-volumes"), p.getDouble("max-view-angle"), p.getInt("baseline-views"),
                    p.getInt("evaluation-volumes"));
        }
    }

    /** The evaluation on procedural skulls and, where installed, on the real head CT's frontal x-ray. */
    private record Evaluation(TomographyEvaluation.Result skulls, Optional<TomographyEvaluation.Result> headCt,
            int databaseSize) {
    }

    @Override
    public TrainingResult train(TrainingRequest request, IProgressMonitor monitor) throws CoreException {
        Settings settings = Settings.of(request.parameters());
        TomographyNetwork spec;
        try {
            spec = new TomographyNetwork(settings.size(), settings.depth(), settings.bottleneck(),
                    settings.baseChannels(), settings.maxChannels());
        } catch (IllegalArgumentException e) {
            throw new CoreException(Status.error(e.getMessage(), e));
        }
        long volumeBytes = 4L * settings.volumeSize() * settings.volumeSize() * settings.volumeSize()
                * settings.trainingVolumes();
        if (volumeBytes > MAX_HEAP_SHARE * Runtime.getRuntime().maxMemory()) {
            throw new CoreException(Status.error(String.format(Locale.ROOT, "%d training volumes of %d³ voxels need "
                    + "%d MB in memory, more than half of the %d MB this JVM may use: lower training-volumes or "
                    + "volume-size, or start with a larger -Xmx", settings.trainingVolumes(), settings.volumeSize(),
                    volumeBytes >> 20, Runtime.getRuntime().maxMemory() >> 20)));
        }
        return TrainedModels.inEngine(() -> runTraining(request, settings, spec, monitor));
    }

    private static TrainingResult runTraining(TrainingRequest request, Settings settings, TomographyNetwork spec,
            IProgressMonitor monitor) throws IOException {
        SubMonitor progress = SubMonitor.convert(monitor, "Training single-image tomography", 100);
        List<float[]> volumes = skulls(new SplittableRandom(request.seed()), settings.trainingVolumes(),
                settings.volumeSize());
        progress.split(5);
        List<ViewPairs.Pair> validation = heldOutPairs(request.seed(), VALIDATION_BATCH, settings);
        long dataSeed = new SplittableRandom(request.seed()).nextLong();
        try (Model model = Model.newInstance(ID, Devices.resolve(request.device()), MlEngine.ENGINE_NAME)) {
            TomographyNetwork.Net network = spec.build();
            model.setBlock(network);
            NDManager manager = model.getNDManager();
            TrainingLoop.Settings loopSettings = TrainingLoop.Settings.of(settings.steps(), settings.batchSize(),
                    settings.checkpointEvery()).withValidation(settings.checkpointEvery(), 0, 0)
                    .withMemoryBudget(JobPreferences.memoryBudgetMb());
            TrainingLoop loop = new TrainingLoop(new Checkpoints(request.checkpointDir(), ID), network, new Shape[0],
                    manager, new Adam(settings.learningRate()), loopSettings);
            TrainingLoop.Result result = loop.run(request.seed(), request.resume(),
                    (scope, step, random) -> {
                        SplittableRandom data = new SplittableRandom(TrainingLoop.stepSeed(dataSeed, step));
                        List<ViewPairs.Pair> batch = new ArrayList<>();
                        for (int i = 0; i < settings.batchSize(); i++) {
                            float[] volume = volumes.get(data.nextInt(volumes.size()));
                            batch.add(ViewPairs.of(volume, settings.volumeSize(),
                                    ViewPairs.direction(data, settings.maxViewAngle()), spec.size(), spec.depth()));
                        }
                        return voxelLoss(network, batch, scope);
                    },
                    scope -> voxelLoss(network, validation, scope).getFloat(),
                    request.progress(), progress.split(70));
            Evaluation evaluation = evaluate(network, settings, volumes, request.seed(), manager);
            progress.split(20);
            String weightSha256 = TrainedModels.saveWeights(model, request.outputDir(), ID);
            Files.writeString(request.outputDir().resolve(ModelCard.FILE_NAME), modelCard(request, settings, spec,
                    result, evaluation, TrainedModels.parameterCount(network), weightSha256));
            progress.split(5);
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("voxel-l2", evaluation.skulls().network().voxelL2());
            metrics.put("render-dssim", evaluation.skulls().network().renderDssim());
            metrics.put("nearest-neighbour-voxel-l2", evaluation.skulls().nearestNeighbour().voxelL2());
            metrics.put("nearest-neighbour-render-dssim", evaluation.skulls().nearestNeighbour().renderDssim());
            metrics.put("oracle-voxel-l2", evaluation.skulls().oracle().voxelL2());
            metrics.put("oracle-render-dssim", evaluation.skulls().oracle().renderDssim());
            metrics.put("reprojection-error-fused", evaluation.skulls().reprojectionExact());
            result.best().ifPresent(best -> metrics.put("best-validation-loss", best.value()));
            return new TrainingResult(result.stepsDone(), result.losses(), ID, weightSha256, metrics,
                    MlEngine.engineVersions());
        }
    }

    /** {@code count} procedural skulls of n³ voxels drawn from {@code random}. */
    static List<float[]> skulls(SplittableRandom random, int count, int n) {
        List<float[]> skulls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            skulls.add(SkullPhantom.sample(random.split(), n));
        }
        return skulls;
    }

    /** Pairs of skulls from the held-out seed, one random view each. */
    private static List<ViewPairs.Pair> heldOutPairs(long seed, int count, Settings settings) {
        SplittableRandom random = new SplittableRandom(seed + HELD_OUT_SEED_OFFSET);
        List<ViewPairs.Pair> pairs = new ArrayList<>();
        for (float[] skull : skulls(random, count, settings.volumeSize())) {
            pairs.add(ViewPairs.of(skull, settings.volumeSize(), ViewPairs.direction(random,
                    settings.maxViewAngle()), settings.size(), settings.depth()));
        }
        return pairs;
    }

    /** The voxel L2 loss: mean squared error between predicted and true view-frame volumes. */
    private static NDArray voxelLoss(TomographyNetwork.Net network, List<ViewPairs.Pair> pairs, NDManager scope) {
        TomographyNetwork spec = network.spec();
        int pixels = spec.size() * spec.size();
        int voxels = spec.depth() * spec.depth() * spec.depth();
        float[] xrays = new float[pairs.size() * pixels];
        float[] volumes = new float[pairs.size() * voxels];
        for (int i = 0; i < pairs.size(); i++) {
            System.arraycopy(pairs.get(i).xray(), 0, xrays, i * pixels, pixels);
            System.arraycopy(pairs.get(i).volume(), 0, volumes, i * voxels, voxels);
        }
        NDArray input = scope.create(xrays, new Shape(pairs.size(), 1, spec.size(), spec.size()));
        NDArray target = scope.create(volumes, new Shape(pairs.size(), spec.depth(), spec.depth(), spec.depth()));
        NDArray predicted = network.apply(new ParameterStore(scope, false), input, true);
        return predicted.sub(target).square().mean();
    }

    private static Evaluation evaluate(TomographyNetwork.Net network, Settings settings, List<float[]> volumes,
            long seed, NDManager manager) throws IOException {
        // the baselines search the training skulls, each from baseline-views random views
        SplittableRandom views = new SplittableRandom(seed + HELD_OUT_SEED_OFFSET + 1);
        List<float[]> databaseXrays = new ArrayList<>();
        List<float[]> databaseVolumes = new ArrayList<>();
        for (float[] volume : volumes) {
            for (int v = 0; v < settings.baselineViews(); v++) {
                ViewPairs.Pair pair = ViewPairs.of(volume, settings.volumeSize(),
                        ViewPairs.direction(views, settings.maxViewAngle()), settings.size(), settings.depth());
                databaseXrays.add(pair.xray());
                databaseVolumes.add(pair.volume());
            }
        }
        TomographyEvaluation.Database database = new TomographyEvaluation.Database(databaseXrays, databaseVolumes);
        List<ViewPairs.Pair> tests = heldOutPairs(seed + 1, settings.evaluationVolumes(), settings);
        TomographyEvaluation.Result skulls = TomographyEvaluation.evaluate(tests, predict(network, tests, manager),
                settings.depth(), database);
        Optional<TomographyEvaluation.Result> headCt = Optional.empty();
        if (Files.isRegularFile(InvesaliusHeadCt.DEBIAN_ARCHIVE)) {
            float[] head = SkullPhantom.headCt(InvesaliusHeadCt.readInstalled(), settings.volumeSize());
            List<ViewPairs.Pair> frontal = List.of(ViewPairs.of(head, settings.volumeSize(), ViewPairs.FRONTAL,
                    settings.size(), settings.depth()));
            headCt = Optional.of(TomographyEvaluation.evaluate(frontal, predict(network, frontal, manager),
                    settings.depth(), database));
        }
        return new Evaluation(skulls, headCt, database.xrays().size());
    }

    private static float[][] predict(TomographyNetwork.Net network, List<ViewPairs.Pair> pairs, NDManager manager) {
        return Reconstruction.coarse(network, pairs.stream().map(ViewPairs.Pair::xray).toList(), manager);
    }

    private static String modelCard(TrainingRequest request, Settings settings, TomographyNetwork spec,
            TrainingLoop.Result result, Evaluation evaluation, long parameterCount, String weightSha256) {
        List<String> card = TrainedModels.openCard(TRAINER, ID);
        card.add("name: " + ModelCardYaml.scalar("Single-image tomography (" + spec.size() + "² x-ray to "
                + spec.depth() + "³ density)"));
        card.add("task: x-ray-to-volume");
        card.add("specialty: radiography");
        card.add("modality: DX");
        card.add("generator: radiography.tomography-reconstruct");
        card.add("synthetic: " + ModelCardYaml.scalar("every volume this model makes is synthetic"));
        card.addAll(spec.cardLines(parameterCount));
        card.add("input: " + ModelCardYaml.scalar("one x-ray as opacity 1 - alpha in [0, 1] (Henzler et al. Eq. 1: "
                + "orthographic, chi " + number(SingleImageTomography.CHI) + ", " + SingleImageTomography.STEPS
                + " samples per ray), square, resized to " + spec.size() + "²"));
        card.add("output: " + ModelCardYaml.scalar(spec.depth() + "³ bone densities in [0, 1] in the view's frame "
                + "(x: image columns, y: image rows, z: depth along the ray, the x-ray's side = the cube's side); "
                + "optionally fused with the x-ray to its full resolution (Sec. 4.2, beta "
                + number(SingleImageTomography.BETA) + ")"));
        card.add("training:");
        card.add("  data: " + ModelCardYaml.scalar(settings.trainingVolumes() + " procedural skulls (seed "
                + request.seed() + ", " + settings.volumeSize() + "³ voxels: cranial shell, muzzle, mandible, cheek "
                + "arches, teeth, orbits; sizes, proportions, densities and a turn of up to 12 degrees vary), each "
                + "step a random skull from a random view; the paper trains on CT scans of mammal skulls"));
        card.add("  views: " + ModelCardYaml.scalar(settings.maxViewAngle() >= 90
                ? "uniform over the +z hemisphere (the paper's views)"
                : "uniform over the cap within " + number(settings.maxViewAngle()) + " degrees of the frontal "
                        + "view (the paper uses the whole +z hemisphere)"));
        card.addAll(TrainedModels.runLines(request, result));
        card.add("  batch-size: " + settings.batchSize());
        card.add("  optimizer: " + ModelCardYaml.scalar("Adam, learning rate " + number(settings.learningRate())));
        card.add("  loss: " + ModelCardYaml.scalar("voxel L2: mean squared error of the densities"));
        card.addAll(TrainedModels.outcomeLines(request, result));
        card.add("  paper-settings: " + ModelCardYaml.scalar("256² x-ray, 128 depth channels (128³ volume), 8² "
                + "bottleneck, skip connections, voxel L2, views from the +z hemisphere, chi 10, 128 ray samples; "
                + "widths, optimiser, learning rate, batch size and steps are not taken from the paper (chosen)"));
        TomographyEvaluation.Result skulls = evaluation.skulls();
        card.add("metrics:");
        card.add("  test-data: " + ModelCardYaml.scalar(skulls.cases() + " held-out procedural skulls (seed "
                + (request.seed() + 1 + HELD_OUT_SEED_OFFSET) + "), one random view each"));
        card.add("  baselines: " + ModelCardYaml.scalar("nearest neighbour: the training volume whose x-ray is "
                + "closest (L2) to the input; oracle: the training volume closest to the true volume; both searched "
                + "in " + evaluation.databaseSize() + " training pairs (" + settings.baselineViews()
                + " random views of each training skull)"));
        card.add("  renderings: " + ModelCardYaml.scalar("shaded iso-surfaces at density "
                + number(TomographyEvaluation.ISO) + ", " + 2 * spec.depth() + "² pixels, from the x-ray's view, "
                + "the side and obliquely; DSSIM = (1 - SSIM)/2 with scikit-image's SSIM defaults, data range 1 "
                + "(the dssim evaluator)"));
        scoreLines(card, "", skulls);
        evaluation.headCt().ifPresent(head -> {
            card.add("  head-ct: " + ModelCardYaml.scalar("the real head CT (Debian invesalius-examples), bone "
                    + "densities, frontal view: outside the procedural training distribution"));
            scoreLines(card, "head-ct-", head);
        });
        return TrainedModels.closeCard(card, "P. Henzler, V. Rasche, T. Ropinski, T. Ritschel: Single-image "
                + "Tomography: 3D Volumes from 2D Cranial X-Rays. Computer Graphics Forum 37(2), 2018", ID,
                weightSha256);
    }

    private static void scoreLines(List<String> card, String prefix, TomographyEvaluation.Result result) {
        card.add("  " + prefix + "voxel-l2: " + number(result.network().voxelL2()));
        card.add("  " + prefix + "render-dssim: " + number(result.network().renderDssim()));
        card.add("  " + prefix + "nearest-neighbour-voxel-l2: " + number(result.nearestNeighbour().voxelL2()));
        card.add("  " + prefix + "nearest-neighbour-render-dssim: "
                + number(result.nearestNeighbour().renderDssim()));
        card.add("  " + prefix + "oracle-voxel-l2: " + number(result.oracle().voxelL2()));
        card.add("  " + prefix + "oracle-render-dssim: " + number(result.oracle().renderDssim()));
        card.add("  " + prefix + "reprojection-error-coarse: " + number(result.reprojectionCoarse()));
        card.add("  " + prefix + "reprojection-error-fused-as-printed: " + number(result.reprojectionFused()));
        card.add("  " + prefix + "reprojection-error-fused: " + number(result.reprojectionExact()));
    }
}
