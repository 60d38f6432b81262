package org.medsynth.spine.maskel;

import static org.medsynth.ml.weights.TrainedModels.number;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
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
import org.medsynth.core.api.TrainingRequest;
import org.medsynth.core.api.TrainingResult;
import org.medsynth.core.jobs.JobPreferences;
import org.medsynth.ml.Devices;
import org.medsynth.ml.MlEngine;
import org.medsynth.ml.diffusion.DiffusionSampler;
import org.medsynth.ml.diffusion.ResidualShift;
import org.medsynth.ml.loss.PixelLosses;
import org.medsynth.ml.nn.UNet;
import org.medsynth.ml.train.Adam;
import org.medsynth.ml.train.Checkpoints;
import org.medsynth.ml.train.TrainingLoop;
import org.medsynth.ml.weights.ModelCard;
import org.medsynth.ml.weights.ModelCardYaml;
import org.medsynth.ml.weights.NamedParameters;
import org.medsynth.ml.weights.TrainedModels;
import org.medsynth.spine.maskel.MaskelEvaluation.Scores;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Trains the super-resolution step of MaSkel's augmentation path ({@link SuperResolutionNetwork}, residual
 * shifting) on whole-body phantom X-rays: each body is rendered at the high resolution, reduced by the detector
 * model of {@link LowResolution} and upsampled bicubically to y_0; a step takes random crops of (x_0, y_0), a step t
 * uniform over the T steps and noise, and minimises ‖f(x_t, y_0, t) − x_0‖² (ResShift's x_0 loss). Adam, gradient
 * clipping, an exponential moving average of the weights (what is saved), checkpoints and bit-identical resume come
 * from the shared {@link TrainingLoop}. At the end held-out bodies are restored from their low-resolution X-rays in
 * T steps and scored (PSNR, SSIM, LPIPS-style) against the true high-resolution X-rays, next to the bicubic
 * baseline, and the model card says how the model was made and what it measured.
 */
public final class SuperResolutionTrainer implements Trainer {
    static final String ID = "spine-maskel-sr";
    static final String TRAINER = "spine.maskel-sr";
    static final long HELD_OUT_SEED_OFFSET = 5_000_011;

    private record Settings(int steps, int batchSize, double learningRate, double emaDecay, int crop, int bodies,
            String perceptualNetwork, int checkpointEvery, int evaluationSamples, SuperResolutionNetwork network) {
        static Settings of(ParameterValues p) {
            return new Settings(p.getInt("steps"), p.getInt("batch-size"), p.getDouble("learning-rate"),
                    p.getDouble("ema-decay"), p.getInt("crop"), p.getInt("bodies"), p.getString("perceptual-network"),
                    p.getInt("checkpoint-every"), p.getInt("evaluation-samples"),
                    new SuperResolutionNetwork(p.getInt("low-size"), p.getInt("factor"), p.getInt("crop"),
                            p.getInt("base-channels"),
                            parseMultipliers(p.getString("multipliers")), p.getInt("res-blocks"),
                            p.getInt("diffusion-steps"), p.getDouble("kappa"), p.getDouble("power")));
        }
    }

    /** High-resolution X-rays x_0 and their bicubic y_0, both in model units, of one set of bodies. */
    private record Bodies(int size, List<float[]> clean, List<float[]> upsampled) {
        static Bodies render(SuperResolutionNetwork spec, int count, SplittableRandom random) {
            List<float[]> clean = new ArrayList<>();
            List<float[]> upsampled = new ArrayList<>();
            for (int n = 0; n < count; n++) {
                float[] high = WholeBodyPhantom.random(random.nextLong()).radiographPixels(spec.highSize());
                float[] up = LowResolution.upsampleBicubic(LowResolution.downsample(high, spec.highSize(),
                        spec.factor()), spec.lowSize(), spec.factor());
                clean.add(toModel(high));
                upsampled.add(toModel(up));
            }
            return new Bodies(spec.highSize(), clean, upsampled);
        }

        private static float[] toModel(float[] xray) {
            float[] out = new float[xray.length];
            for (int p = 0; p < xray.length; p++) {
                out[p] = MaskelNetwork.xrayToModel(xray[p]);
            }
            return out;
        }

        NDArray stack(List<float[]> images, NDManager manager) {
            float[] values = new float[images.size() * size * size];
            for (int n = 0; n < images.size(); n++) {
                System.arraycopy(images.get(n), 0, values, n * size * size, size * size);
            }
            return manager.create(values, new Shape(images.size(), 1, size, size));
        }
    }

    static int[] parseMultipliers(String text) {
        String[] parts = text.split(",");
        int[] values = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = Integer.parseInt(parts[i].trim());
        }
        return values;
    }

    @Override
    public TrainingResult train(TrainingRequest request, IProgressMonitor monitor) throws CoreException {
        Settings settings = TrainedModels.settings(request, Settings::of);
        return TrainedModels.inEngine(() -> runTraining(request, settings, monitor));
    }

    private static TrainingResult runTraining(TrainingRequest request, Settings settings, IProgressMonitor monitor)
            throws IOException {
        SubMonitor progress = SubMonitor.convert(monitor, "Training MaSkel's super-resolution step", 100);
        SuperResolutionNetwork spec = settings.network();
        ResidualShift shift = spec.shift();
        long dataSeed = new SplittableRandom(request.seed()).nextLong();
        Bodies training = Bodies.render(spec, settings.bodies(), new SplittableRandom(dataSeed));
        progress.split(5);
        try (PerceptualNetwork perceptual = PerceptualNetwork.open(settings.perceptualNetwork(), request.device());
                Model model = Model.newInstance(ID, Devices.resolve(request.device()), MlEngine.ENGINE_NAME)) {
            UNet network = spec.build();
            model.setBlock(network);
            NDManager manager = model.getNDManager();
            TrainingLoop.Settings loopSettings = TrainingLoop.Settings.of(settings.steps(), settings.batchSize(),
                    settings.checkpointEvery()).withGradientClipping(1.0).withEma(settings.emaDecay())
                    .withMemoryBudget(JobPreferences.memoryBudgetMb());
            TrainingLoop loop = new TrainingLoop(new Checkpoints(request.checkpointDir(), ID), network, new Shape[0],
                    manager, new Adam(settings.learningRate()), loopSettings);
            TrainingLoop.Result result = loop.run(request.seed(), request.resume(), (scope, step, random) ->
                    cleanImageLoss(network, shift, training, settings, scope,
                            new SplittableRandom(TrainingLoop.stepSeed(dataSeed, step))),
                    null, request.progress(), progress.split(70));
            loop.ema().ifPresent(ema -> ema.writeInto(NamedParameters.of(network)));
            Bodies heldOut = Bodies.render(spec, settings.evaluationSamples(),
                    new SplittableRandom(request.seed() + HELD_OUT_SEED_OFFSET));
            Scores[] scores = evaluate(network, spec, heldOut, perceptual, request.seed(), manager,
                    progress.split(20));
            String weightSha256 = TrainedModels.saveWeights(model, request.outputDir(), ID);
            Files.writeString(request.outputDir().resolve(ModelCard.FILE_NAME), modelCard(request, settings, result,
                    scores[0], scores[1], perceptual.description(), TrainedModels.parameterCount(network),
                    weightSha256));
            progress.split(5);
            Map<String, Double> metrics = new LinkedHashMap<>();
            scores[0].put(metrics, "resshift");
            scores[1].put(metrics, "bicubic");
            return new TrainingResult(result.stepsDone(), result.losses(), ID, weightSha256, metrics,
                    MlEngine.engineVersions());
        }
    }

    /** ‖f(x_t, y_0, t) − x_0‖² over a batch of random crops, each at its own step t with its own noise. */
    private static NDArray cleanImageLoss(UNet network, ResidualShift shift, Bodies bodies, Settings settings,
            NDManager scope, SplittableRandom random) {
        int crop = settings.crop();
        int size = bodies.size();
        int count = settings.batchSize();
        int pixels = crop * crop;
        float[] clean = new float[count * pixels];
        float[] upsampled = new float[count * pixels];
        float[] scaledXt = new float[count * pixels];
        float[] steps = new float[count];
        for (int n = 0; n < count; n++) {
            int body = random.nextInt(bodies.clean().size());
            int top = random.nextInt(size - crop + 1);
            int left = random.nextInt(size - crop + 1);
            int t = random.nextInt(shift.steps());
            steps[n] = t;
            double eta = shift.eta(t);
            double noiseScale = shift.kappa() * Math.sqrt(eta);
            double inputScale = shift.inputScale(t);
            for (int y = 0; y < crop; y++) {
                for (int x = 0; x < crop; x++) {
                    int source = (top + y) * size + left + x;
                    int target = n * pixels + y * crop + x;
                    float x0 = bodies.clean().get(body)[source];
                    float y0 = bodies.upsampled().get(body)[source];
                    clean[target] = x0;
                    upsampled[target] = y0;
                    double xt = x0 + eta * (y0 - x0) + noiseScale * random.nextGaussian();
                    scaledXt[target] = (float) (xt * inputScale);
                }
            }
        }
        Shape shape = new Shape(count, 1, crop, crop);
        NDArray predicted = SuperResolutionNetwork.predictClean(network, scope.create(scaledXt, shape),
                scope.create(upsampled, shape), scope.create(steps, new Shape(count)), true);
        return PixelLosses.l2(predicted, scope.create(clean, shape));
    }

    /**
     * Scores of the restored held-out X-rays and of their bicubic upsamplings, against the true ones. One image at a
     * time: a batch of 256² images through the U-Net needs gigabytes and runs slower per image on a CPU.
     */
    private static Scores[] evaluate(UNet network, SuperResolutionNetwork spec, Bodies heldOut,
            PerceptualNetwork perceptual, long seed, NDManager manager, IProgressMonitor monitor) {
        int count = heldOut.clean().size();
        SubMonitor progress = SubMonitor.convert(monitor, count);
        SplittableRandom random = new SplittableRandom(seed + HELD_OUT_SEED_OFFSET + 1);
        try (NDManager scope = manager.newSubManager()) {
            NDList restored = new NDList();
            for (int i = 0; i < count; i++) {
                restored.add(spec.restore(network, heldOut.stack(List.of(heldOut.upsampled().get(i)), scope),
                        random, progress.split(1)));
            }
            NDArray truth = heldOut.stack(heldOut.clean(), scope);
            NDArray y0 = heldOut.stack(heldOut.upsampled(), scope);
            return new Scores[] {MaskelEvaluation.score(NDArrays.concat(restored), truth, perceptual),
                    MaskelEvaluation.score(y0, truth, perceptual)};
        }
    }

    private static String modelCard(TrainingRequest request, Settings settings, TrainingLoop.Result result,
            Scores restored, Scores bicubic, String perceptualDescription, long parameterCount, String weightSha256) {
        SuperResolutionNetwork spec = settings.network();
        List<String> card = TrainedModels.openCard(TRAINER, ID);
        card.add("name: " + ModelCardYaml.scalar(String.format(Locale.ROOT, "MaSkel super-resolution (ResShift, "
                + "%d² to %d² whole-body X-rays)", spec.lowSize(), spec.highSize())));
        card.add("task: super-resolution");
        card.add("specialty: spine");
        card.add("modality: DX");
        card.add("generator: spine.maskel-sr-generate");
        card.add("synthetic: " + ModelCardYaml.scalar("every image this model makes is synthetic"));
        card.addAll(spec.cardLines(parameterCount));
        card.add("settings:");
        card.add("  paper: " + ModelCardYaml.scalar("MaSkel enlarges its 64² diffusion X-rays to 256² with ResShift "
                + "(T = 15, kappa = 2, p = 0.3, Adam 5e-5, batch 64, EMA 0.999, in a VQ autoencoder's latent space "
                + "with a Swin U-Net)"));
        card.add("  this-model: " + ModelCardYaml.scalar(String.format(Locale.ROOT, "pixel space, convolutional "
                + "U-Net, T = %d, kappa = %s, p = %s, %d² crops of %d bodies, batch %d, Adam %s, EMA %s, %d steps",
                spec.diffusionSteps(), number(spec.kappa()), number(spec.power()), settings.crop(), settings.bodies(),
                settings.batchSize(), number(settings.learningRate()), number(settings.emaDecay()),
                result.stepsDone())));
        card.add("training:");
        card.add("  data: " + ModelCardYaml.scalar(String.format(Locale.ROOT, "%d procedural whole-body phantom "
                + "X-rays (spine.whole-body) rendered at %d², reduced to %d² by %d × %d block means (a detector of "
                + "larger pixels) and upsampled bicubically (PyTorch's kernel, a = -0.75) to the starting image y_0",
                settings.bodies(), spec.highSize(), spec.lowSize(), spec.factor(), spec.factor())));
        card.addAll(TrainedModels.runLines(request, result));
        card.add("  batch-size: " + settings.batchSize());
        card.add("  crop: " + settings.crop());
        card.add("  optimizer: " + ModelCardYaml.scalar("Adam, learning rate " + number(settings.learningRate())
                + ", gradients clipped to global norm 1"));
        card.add("  ema-decay: " + number(settings.emaDecay()));
        card.add("  loss: " + ModelCardYaml.scalar("mean squared error of the predicted x_0, t uniform over the "
                + spec.diffusionSteps() + " steps"));
        card.addAll(TrainedModels.outcomeLines(request, result));
        card.add("metrics:");
        card.add("  held-out: " + ModelCardYaml.scalar(String.format(Locale.ROOT, "%d whole-body phantoms from seed "
                + "training.seed + %d (none seen in training), restored from their %d² X-rays in %d steps and "
                + "compared with their true %d² X-rays; the baseline is the bicubic upsampling",
                restored.psnr().length, HELD_OUT_SEED_OFFSET, spec.lowSize(), spec.diffusionSteps(),
                spec.highSize())));
        card.add("  measures: " + ModelCardYaml.scalar("psnr and ssim (scikit-image defaults) on -ln(I/I0) with "
                + "data range " + number(MaskelNetwork.XRAY_RANGE) + "; lpips-baseline: " + perceptualDescription
                + "; mean and sample sd over the images"));
        card.addAll(restored.cardLines("resshift"));
        card.addAll(bicubic.cardLines("bicubic-baseline"));
        return TrainedModels.closeCard(card, "Yue Z, Wang J, Loy CC. ResShift: efficient diffusion model for image "
                + "super-resolution by residual shifting. NeurIPS 2023; Xi Y et al. MaSkel, arXiv:2404.09000, 2024",
                ID, weightSha256);
    }
}
