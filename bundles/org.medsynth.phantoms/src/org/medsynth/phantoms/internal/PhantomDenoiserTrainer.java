package org.medsynth.phantoms.internal;

import static org.medsynth.ml.weights.TrainedModels.number;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.medsynth.core.api.ParameterValues;
import org.medsynth.core.api.Trainer;
import org.medsynth.core.api.TrainingProgress;
import org.medsynth.core.api.TrainingRequest;
import org.medsynth.core.api.TrainingResult;
import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.eval.ImageMetrics;
import org.medsynth.ml.Devices;
import org.medsynth.ml.MlEngine;
import org.medsynth.ml.NDScopes;
import org.medsynth.ml.train.Adam;
import org.medsynth.ml.train.Checkpoints;
import org.medsynth.ml.train.TrainingLoop;
import org.medsynth.ml.weights.ModelCard;
import org.medsynth.ml.weights.ModelCardYaml;
import org.medsynth.ml.weights.TrainedModels;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import net.imglib2.img.array.ArrayImgs;

/**
 * Trains the phantom denoiser ({@link DenoiserNetwork}) to remove additive Gaussian noise from Shepp–Logan phantom
 * variations generated on the fly ({@link SheppLoganVariations}), in raw phantom units (background 0, skull 1).
 * Each image gets noise of a sigma drawn from [0.5, 1.5] × {@code noise-sigma}; the loss is the mean squared error
 * of the predicted noise; Adam with a fixed learning rate.
 * <p>
 * The shared {@link TrainingLoop} runs it: checkpoints in the request's checkpoint folder every
 * {@code checkpoint-every} steps, and with {@code resume} the run continues bit-identically from the newest one. At
 * the end the held-out PSNR (phantoms from another seed, noise exactly {@code noise-sigma}) is measured, and the
 * weights and the model card ({@value ModelCard#FILE_NAME}) are written to the output folder.
 */
public final class PhantomDenoiserTrainer implements Trainer {
    static final String ID = "phantom-denoiser";
    /** Held-out phantoms come from their own seed, so no training batch contains them. */
    static final long HELD_OUT_SEED_OFFSET = 1_000_003;
    static final int HELD_OUT_COUNT = 16;
    /** Phantom values span 0..1: the data range of the PSNR. */
    static final double DATA_RANGE = 1.0;
    private static final double MIN_SIGMA_FACTOR = 0.5;
    private static final double MAX_SIGMA_FACTOR = 1.5;

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
        return TrainedModels.inEngine(() -> runTraining(request, settings, monitor));
    }

    private static TrainingResult runTraining(TrainingRequest request, Settings settings, IProgressMonitor monitor)
            throws IOException {
        SheppLoganVariations phantoms = new SheppLoganVariations(settings.size());
        long dataSeed = new SplittableRandom(request.seed()).nextLong();
        SubMonitor progress = SubMonitor.convert(monitor, "Training the phantom denoiser", 100);
        try (Model model = Model.newInstance(ID, Devices.resolve(request.device()), MlEngine.ENGINE_NAME)) {
            Block network = DenoiserNetwork.build(DenoiserNetwork.LAYERS, DenoiserNetwork.CHANNELS);
            model.setBlock(network);
            NDManager manager = model.getNDManager();
            TrainingLoop loop = new TrainingLoop(new Checkpoints(request.checkpointDir(), ID), network,
                    new Shape[] {new Shape(settings.batchSize(), 1, settings.size(), settings.size())}, manager,
                    new Adam(settings.learningRate()), TrainingLoop.Settings.of(settings.steps(),
                            settings.batchSize(), settings.checkpointEvery())
                            .withKeptCheckpoints(Integer.MAX_VALUE)); // a few hundred kB each: keep every one
            TrainingProgress sampling = new TrainingProgress() {
                @Override
                public void step(int step, double loss) {
                    request.progress().step(step, loss);
                    if (step % settings.checkpointEvery() == 0) {
                        reportSample(request, network, manager, phantoms, settings, step);
                    }
                }

                @Override
                public void rate(int step, int total, double stepsPerSecond, double secondsLeft) {
                    request.progress().rate(step, total, stepsPerSecond, secondsLeft);
                }
            };
            TrainingLoop.Result result = loop.run(request.seed(), request.resume(), (scope, step, random) -> {
                NoisyPhantomBatch batch = NoisyPhantomBatch.draw(phantoms, settings.batchSize(),
                        MIN_SIGMA_FACTOR * settings.noiseSigma(), MAX_SIGMA_FACTOR * settings.noiseSigma(),
                        new SplittableRandom(TrainingLoop.stepSeed(dataSeed, step)));
                Shape shape = new Shape(batch.count(), 1, batch.size(), batch.size());
                NDArray noisy = scope.create(batch.noisy(), shape);
                NDArray noise = noisy.sub(scope.create(batch.clean(), shape));
                NDArray predicted = network.forward(new ParameterStore(scope, false), new NDList(noisy), true)
                        .singletonOrThrow();
                return predicted.sub(noise).square().mean();
            }, null, sampling, progress.split(95));
            HeldOutPsnr psnr = heldOutPsnr(network, manager, phantoms, settings, request.seed());
            String weightSha256 = TrainedModels.saveWeights(model, request.outputDir(), ID);
            Files.writeString(request.outputDir().resolve(ModelCard.FILE_NAME), modelCard(request, settings,
                    result, psnr, TrainedModels.parameterCount(network), weightSha256));
            progress.split(5);
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("psnr-noisy", psnr.noisy());
            metrics.put("psnr-denoised", psnr.denoised());
            return new TrainingResult(settings.steps(), result.losses(), ID, weightSha256, metrics,
                    MlEngine.engineVersions());
        }
    }

    /**
     * Reports the first held-out phantom as the network denoises it now. It has its own random stream, so the
     * training batches stay those of an unwatched run.
     */
    private static void reportSample(TrainingRequest request, Block network, NDManager manager,
            SheppLoganVariations phantoms, Settings settings, int step) {
        NoisyPhantomBatch one = NoisyPhantomBatch.draw(phantoms, 1, settings.noiseSigma(), settings.noiseSigma(),
                new SplittableRandom(request.seed() + HELD_OUT_SEED_OFFSET));
        float[] denoised = NDScopes.compute(manager, scope -> DenoiserNetwork.denoise(network,
                scope.create(one.noisy(), new Shape(1, 1, one.size(), one.size()))).toFloatArray());
        request.progress().sample(step, "held-out phantom, denoised", MedicalImage.of(
                ArrayImgs.floats(denoised, one.size(), one.size()), Geometry.isotropic(2, 1), Modality.OT,
                IntensityUnit.ARBITRARY));
    }

    /** Mean PSNR over the held-out phantoms of the noisy input and of the denoised output, both against clean. */
    private static HeldOutPsnr heldOutPsnr(Block network, NDManager manager, SheppLoganVariations phantoms,
            Settings settings, long seed) {
        NoisyPhantomBatch heldOut = NoisyPhantomBatch.draw(phantoms, HELD_OUT_COUNT, settings.noiseSigma(),
                settings.noiseSigma(), new SplittableRandom(seed + HELD_OUT_SEED_OFFSET));
        float[] denoised = NDScopes.compute(manager, scope -> DenoiserNetwork.denoise(network,
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

    private static String modelCard(TrainingRequest request, Settings settings, TrainingLoop.Result result,
            HeldOutPsnr psnr, long parameterCount, String weightSha256) {
        double secondsPerStep = result.secondsPerStep();
        double sigma = settings.noiseSigma();
        List<String> card = TrainedModels.openCard("phantom.denoiser", ID);
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
        card.addAll(TrainedModels.runLines(request, result));
        card.add("  batch-size: " + settings.batchSize());
        card.add("  optimizer: " + ModelCardYaml.scalar("Adam, learning rate " + number(settings.learningRate())
));
        card.add("  loss: " + ModelCardYaml.scalar("mean squared error of the predicted noise"));
        card.add("  final-loss: " + number(TrainedModels.finalLoss(result.losses())));
        if (!Double.isNaN(secondsPerStep)) {
            card.add("  seconds-per-step: " + number(secondsPerStep));
        }
        card.add("  device: " + request.device());
        card.add("  engine: " + ModelCardYaml.scalar(TrainedModels.engine()));
        card.add("metrics:");
        card.add("  held-out: " + ModelCardYaml.scalar(HELD_OUT_COUNT + " phantoms from seed "
                + (request.seed() + HELD_OUT_SEED_OFFSET) + ", noise sigma " + number(sigma)));
        card.add("  evaluator: psnr");
        card.add("  data-range: " + number(DATA_RANGE));
        card.add("  psnr-noisy: " + number(psnr.noisy()));
        card.add("  psnr-denoised: " + number(psnr.denoised()));
        return TrainedModels.closeCard(card, "K. Zhang, W. Zuo, Y. Chen, D. Meng, L. Zhang: Beyond a "
                + "Gaussian Denoiser: Residual Learning of Deep CNN for Image Denoising. IEEE Transactions on Image "
                + "Processing 26(7), 3142-3155, 2017",
                ID, weightSha256);
    }
}
