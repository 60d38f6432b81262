package org.medsynth.phantoms.internal;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.core.jobs.Sha256;
import org.medsynth.eval.ImageMetrics;
import org.medsynth.ml.Devices;
import org.medsynth.ml.MlEngine;
import org.medsynth.ml.NDScopes;
import org.medsynth.ml.Seeding;
import org.medsynth.phantoms.internal.DenoiserCheckpoints.Checkpoint;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import net.imglib2.img.array.ArrayImgs;

/**
 * Trains the phantom denoiser ({@link DenoiserNetwork}) to remove additive Gaussian noise from Shepp–Logan phantom
 * variations generated on the fly ({@link SheppLoganVariations}), in raw phantom units (background 0, skull 1).
 * Each image gets noise of a sigma drawn from [0.5, 1.5] × {@code noise-sigma}; the loss is the mean squared error
 * of the predicted noise; Adam with a fixed learning rate.
 * <p>
 * Checkpoints go to the request's checkpoint folder every {@code checkpoint-every} steps; with {@code resume} the run
 * continues from the newest one (weights, step and loss curve; the Adam moments start again from zero). At the end
 * the held-out PSNR (phantoms from another seed, noise exactly {@code noise-sigma}) is measured, and the weights
 * ({@value #WEIGHT_FILE}) and the model card ({@value DenoiserModelCard#FILE_NAME}) are written to the output folder.
 */
public final class PhantomDenoiserTrainer implements Trainer {
    static final String WEIGHT_FILE = DenoiserModelCard.ID + "-0000.params";
    /** Held-out phantoms come from their own seed, so no training batch contains them. */
    static final long HELD_OUT_SEED_OFFSET = 1_000_003;
    static final int HELD_OUT_COUNT = 16;
    /** Phantom values span 0..1: the data range of the PSNR. */
    static final double DATA_RANGE = 1.0;
    private static final double MIN_SIGMA_FACTOR = 0.5;
    private static final double MAX_SIGMA_FACTOR = 1.5;
    /** Steps averaged for the final loss in the model card. */
    private static final int FINAL_LOSS_WINDOW = 10;

    private record Settings(int steps, int batchSize, double learningRate, double noiseSigma, int checkpointEvery,
            int size) {
        static Settings of(ParameterValues p) {
            return new Settings(p.getInt("steps"), p.getInt("batch-size"), p.getDouble("learning-rate"),
                    p.getDouble("noise-sigma"), p.getInt("checkpoint-every"), p.getInt("size"));
        }
    }

    private record HeldOutPsnr(double noisy, double denoised) {
    }

    @Override
    public TrainingResult train(TrainingRequest request, IProgressMonitor monitor) throws CoreException {
        Settings settings = Settings.of(request.parameters());
        try {
            return MlEngine.inEngineContext(() -> runTraining(request, settings, monitor));
        } catch (IOException e) {
            throw new CoreException(Status.error(e.getMessage(), e));
        }
    }

    private static TrainingResult runTraining(TrainingRequest request, Settings settings, IProgressMonitor monitor)
            throws IOException {
        Optional<Checkpoint> resumeFrom = startingCheckpoint(request, settings);
        SplittableRandom random = Seeding.seedAll(request.seed());
        long dataSeed = random.nextLong();
        Device device = Devices.resolve(request.device());
        SheppLoganVariations phantoms = new SheppLoganVariations(settings.size());
        try (Model model = Model.newInstance(DenoiserModelCard.ID, device, MlEngine.ENGINE_NAME)) {
            Block network = DenoiserNetwork.build(DenoiserNetwork.LAYERS, DenoiserNetwork.CHANNELS);
            model.setBlock(network);
            List<Double> lossCurve = new ArrayList<>();
            int firstStep = 0;
            if (resumeFrom.isPresent()) {
                // before the trainer initialises the block, so the loaded parameters get their gradients
                lossCurve.addAll(DenoiserCheckpoints.restore(resumeFrom.get(), network, model.getNDManager()));
                firstStep = resumeFrom.get().step();
            }
            SubMonitor progress = SubMonitor.convert(monitor, "Training the phantom denoiser",
                    settings.steps() - firstStep + 2);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss("noise-mse", 1f))
                    .optOptimizer(Optimizer.adam()
                            .optLearningRateTracker(Tracker.fixed((float) settings.learningRate())).build())
                    .optDevices(new Device[] {device});
            double secondsPerStep;
            HeldOutPsnr psnr;
            try (ai.djl.training.Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(settings.batchSize(), 1, settings.size(), settings.size()));
                long started = System.nanoTime();
                for (int step = firstStep; step < settings.steps(); step++) {
                    progress.split(1);
                    NoisyPhantomBatch batch = NoisyPhantomBatch.draw(phantoms, settings.batchSize(),
                            MIN_SIGMA_FACTOR * settings.noiseSigma(), MAX_SIGMA_FACTOR * settings.noiseSigma(),
                            stepRandom(dataSeed, step));
                    double loss = trainStep(trainer, batch);
                    lossCurve.add(loss);
                    request.progress().step(step + 1, loss);
                    if ((step + 1) % settings.checkpointEvery() == 0) {
                        DenoiserCheckpoints.write(request.checkpointDir(), step + 1, lossCurve, network);
                        reportSample(request, network, trainer, phantoms, settings, step + 1);
                    }
                }
                int stepsRun = settings.steps() - firstStep;
                secondsPerStep = stepsRun == 0 ? Double.NaN : (System.nanoTime() - started) / 1e9 / stepsRun;
                psnr = heldOutPsnr(network, trainer, phantoms, settings, request.seed());
            }
            progress.split(1);
            model.setProperty("Epoch", "0"); // DJL names the file <name>-<epoch>.params: WEIGHT_FILE
            model.save(request.outputDir(), DenoiserModelCard.ID);
            Path weights = request.outputDir().resolve(WEIGHT_FILE);
            if (!Files.isRegularFile(weights)) {
                throw new IOException("DJL did not write the expected weight file " + weights);
            }
            String weightSha256 = Sha256.of(weights);
            long parameterCount = network.getParameters().values().stream().mapToLong(p -> p.getArray().size())
                    .sum();
            Files.writeString(request.outputDir().resolve(DenoiserModelCard.FILE_NAME), modelCard(request, settings,
                    lossCurve, firstStep, secondsPerStep, psnr, parameterCount, weightSha256));
            progress.split(1);
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("psnr-noisy", psnr.noisy());
            metrics.put("psnr-denoised", psnr.denoised());
            return new TrainingResult(settings.steps(), lossCurve, DenoiserModelCard.ID, weightSha256, metrics,
                    MlEngine.engineVersions());
        }
    }

    /**
     * The checkpoint to continue from: the newest when resuming (there must be one), none otherwise (and then the
     * folder must not hold checkpoints of an earlier run, which this run's would be mixed with).
     */
    private static Optional<Checkpoint> startingCheckpoint(TrainingRequest request, Settings settings)
            throws IOException {
        Path folder = request.checkpointDir();
        Optional<Checkpoint> newest = DenoiserCheckpoints.newest(folder);
        if (!request.resume()) {
            if (newest.isPresent()) {
                throw new IOException(folder + " already holds checkpoints of an earlier run (newest: step "
                        + newest.get().step() + "); continue it with --resume or choose another checkpoint folder");
            }
            return Optional.empty();
        }
        if (newest.isEmpty()) {
            throw new IOException("cannot resume: " + folder + " holds no phantom-denoiser checkpoint");
        }
        if (newest.get().step() > settings.steps()) {
            throw new IOException("cannot resume: the newest checkpoint " + newest.get().file() + " is at step "
                    + newest.get().step() + ", beyond steps = " + settings.steps());
        }
        return newest;
    }

    /**
     * The random stream of one step, a function of the run's seed and the step number only: a resumed run draws
     * the same batches as an uninterrupted one. ({@code nextLong} mixes the bits, so neighbouring steps get
     * unrelated streams.)
     */
    private static SplittableRandom stepRandom(long dataSeed, int step) {
        return new SplittableRandom(new SplittableRandom(dataSeed + step).nextLong());
    }

    /** One optimisation step in its own native-memory scope; returns the batch loss. */
    private static double trainStep(ai.djl.training.Trainer trainer, NoisyPhantomBatch batch) {
        return NDScopes.compute(trainer.getManager(), scope -> {
            Shape shape = new Shape(batch.count(), 1, batch.size(), batch.size());
            NDArray noisy = scope.create(batch.noisy(), shape);
            NDArray noise = noisy.sub(scope.create(batch.clean(), shape));
            double loss;
            try (GradientCollector gradients = trainer.newGradientCollector()) {
                NDArray predictedNoise = trainer.forward(new NDList(noisy)).singletonOrThrow();
                NDArray batchLoss = trainer.getLoss().evaluate(new NDList(noise), new NDList(predictedNoise));
                gradients.backward(batchLoss);
                loss = batchLoss.getFloat();
            }
            trainer.step();
            return loss;
        });
    }

    /**
     * Reports the first held-out phantom as the network denoises it now. It has its own random stream, so the
     * training batches stay those of an unwatched run.
     */
    private static void reportSample(TrainingRequest request, Block network, ai.djl.training.Trainer trainer,
            SheppLoganVariations phantoms, Settings settings, int step) {
        NoisyPhantomBatch one = NoisyPhantomBatch.draw(phantoms, 1, settings.noiseSigma(), settings.noiseSigma(),
                new SplittableRandom(request.seed() + HELD_OUT_SEED_OFFSET));
        float[] denoised = NDScopes.compute(trainer.getManager(), scope -> DenoiserNetwork.denoise(network,
                scope.create(one.noisy(), new Shape(1, 1, one.size(), one.size()))).toFloatArray());
        request.progress().sample(step, "held-out phantom, denoised", MedicalImage.of(
                ArrayImgs.floats(denoised, one.size(), one.size()), Geometry.isotropic(2, 1), Modality.OT,
                IntensityUnit.ARBITRARY));
    }

    /** Mean PSNR over the held-out phantoms of the noisy input and of the denoised output, both against clean. */
    private static HeldOutPsnr heldOutPsnr(Block network, ai.djl.training.Trainer trainer,
            SheppLoganVariations phantoms, Settings settings, long seed) {
        NoisyPhantomBatch heldOut = NoisyPhantomBatch.draw(phantoms, HELD_OUT_COUNT, settings.noiseSigma(),
                settings.noiseSigma(), new SplittableRandom(seed + HELD_OUT_SEED_OFFSET));
        float[] denoised = NDScopes.compute(trainer.getManager(), scope -> DenoiserNetwork.denoise(network,
                scope.create(heldOut.noisy(), new Shape(heldOut.count(), 1, heldOut.size(), heldOut.size())))
                .toFloatArray());
        double noisySum = 0;
        double denoisedSum = 0;
        for (int i = 0; i < heldOut.count(); i++) {
            double[] clean = heldOut.image(heldOut.clean(), i);
            noisySum += ImageMetrics.psnr(clean, heldOut.image(heldOut.noisy(), i), DATA_RANGE);
            denoisedSum += ImageMetrics.psnr(clean, heldOut.image(denoised, i), DATA_RANGE);
        }
        return new HeldOutPsnr(noisySum / heldOut.count(), denoisedSum / heldOut.count());
    }

    /** The exact command line that repeats this training (every parameter, defaults included). */
    private static String command(TrainingRequest request) {
        StringBuilder command = new StringBuilder("medsynth train ").append(request.contribution().id())
                .append(" --seed ").append(request.seed()).append(" --device ").append(request.device());
        request.parameters().asText().forEach((name, value) -> command.append(" --").append(name).append(' ')
                .append(value));
        return command.toString();
    }

    private static String modelCard(TrainingRequest request, Settings settings, List<Double> lossCurve,
            int resumedFromStep, double secondsPerStep, HeldOutPsnr psnr, long parameterCount, String weightSha256) {
        Map<String, String> engine = MlEngine.engineVersions();
        double sigma = settings.noiseSigma();
        List<String> card = new ArrayList<>();
        card.add("# Model card of a MedSynth model (fields: models/README.md), written by the phantom.denoiser trainer");
        card.add("id: " + DenoiserModelCard.ID);
        card.add("name: " + ModelCardYaml.scalar("Phantom denoiser (residual CNN)"));
        card.add("task: denoise");
        card.add("specialty: phantoms");
        card.add("modality: OT");
        card.add("generator: phantom.denoise");
        card.add("architecture:");
        card.add("  name: " + DenoiserNetwork.ARCHITECTURE);
        card.add("  description: " + ModelCardYaml.scalar(String.format(Locale.ROOT, "DnCNN-style residual CNN "
                + "without batch norm: %d x (conv 3x3, %d maps, ReLU), then conv 3x3 to 1 map; it predicts the "
                + "noise and the output is the input minus that prediction", DenoiserNetwork.LAYERS - 1,
                DenoiserNetwork.CHANNELS)));
        card.add("  layers: " + DenoiserNetwork.LAYERS);
        card.add("  channels: " + DenoiserNetwork.CHANNELS);
        card.add("  kernel: 3");
        card.add("  activation: ReLU");
        card.add("  parameters: " + parameterCount);
        card.add("input:");
        card.add("  axes: " + ModelCardYaml.scalar("(N, 1, H, W): 2D single-channel images of any size (fully "
                + "convolutional, zero padding)"));
        card.add("  trained-size: " + settings.size());
        card.add("  intensity: " + ModelCardYaml.scalar("raw phantom units (background 0, skull 1), not "
                + "normalised; noise sigma in the same units"));
        card.add("output:");
        card.add("  axes: " + ModelCardYaml.scalar("(N, 1, H, W), the input's size"));
        card.add("  intensity: " + ModelCardYaml.scalar("the input's units"));
        card.add("training:");
        card.add("  data: " + ModelCardYaml.scalar("procedural Shepp–Logan phantoms, seed " + request.seed()));
        card.add("  variation: " + ModelCardYaml.scalar("contrast of each inner structure x0.5..1.5 (dark "
                + "ventricles x0.5..1.0), left-right flip, shift up to size/16 pixels"));
        card.add("  noise: " + ModelCardYaml.scalar(String.format(Locale.ROOT, "additive Gaussian, sigma uniform "
                + "in [%s, %s] per image", number(MIN_SIGMA_FACTOR * sigma), number(MAX_SIGMA_FACTOR * sigma))));
        card.add("  command: " + ModelCardYaml.scalar(command(request)));
        card.add("  seed: " + request.seed());
        card.add("  steps: " + settings.steps());
        if (resumedFromStep > 0) {
            card.add("  resumed-from-step: " + resumedFromStep);
        }
        card.add("  batch-size: " + settings.batchSize());
        card.add("  optimizer: " + ModelCardYaml.scalar("Adam, learning rate " + number(settings.learningRate())
                + (resumedFromStep > 0 ? "; moments restarted at the resume" : "")));
        card.add("  loss: " + ModelCardYaml.scalar("mean squared error of the predicted noise"));
        card.add("  final-loss: " + number(finalLoss(lossCurve)));
        if (!Double.isNaN(secondsPerStep)) {
            card.add("  seconds-per-step: " + number(secondsPerStep));
        }
        card.add("  device: " + request.device());
        card.add("  engine: " + ModelCardYaml.scalar(engine.get("engine") + " " + engine.get("pytorch") + " (DJL "
                + engine.get("djl") + ", " + engine.get("flavor") + ")"));
        card.add("metrics:");
        card.add("  held-out: " + ModelCardYaml.scalar(HELD_OUT_COUNT + " phantoms from seed "
                + (request.seed() + HELD_OUT_SEED_OFFSET) + ", noise sigma " + number(sigma)));
        card.add("  evaluator: psnr");
        card.add("  data-range: " + number(DATA_RANGE));
        card.add("  psnr-noisy: " + number(psnr.noisy()));
        card.add("  psnr-denoised: " + number(psnr.denoised()));
        card.add("license: Apache-2.0");
        card.add("citation: " + ModelCardYaml.scalar("K. Zhang, W. Zuo, Y. Chen, D. Meng, L. Zhang: Beyond a "
                + "Gaussian Denoiser: Residual Learning of Deep CNN for Image Denoising. IEEE Transactions on Image "
                + "Processing 26(7), 3142-3155, 2017"));
        card.add("weights:");
        card.add("  - file: " + WEIGHT_FILE);
        card.add("    format: " + ModelCardYaml.scalar("DJL parameters (Model.save)"));
        card.add("    sha256: " + weightSha256);
        return String.join("\n", card) + "\n";
    }

    private static double finalLoss(List<Double> lossCurve) {
        return lossCurve.subList(Math.max(0, lossCurve.size() - FINAL_LOSS_WINDOW), lossCurve.size()).stream()
                .mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** Six significant digits, plain notation, no trailing zeros: 0.001, 27.4183, 0.000123457. */
    private static String number(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        return new BigDecimal(value).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }
}
