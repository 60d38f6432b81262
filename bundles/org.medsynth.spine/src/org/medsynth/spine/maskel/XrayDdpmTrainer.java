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
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.jobs.JobPreferences;
import org.medsynth.eval.SampleDistances;
import org.medsynth.ml.Devices;
import org.medsynth.ml.MlEngine;
import org.medsynth.ml.diffusion.UnconditionalDdpm;
import org.medsynth.ml.nn.UNet;
import org.medsynth.ml.train.Adam;
import org.medsynth.ml.train.Checkpoints;
import org.medsynth.ml.train.TrainingLoop;
import org.medsynth.ml.weights.ModelCard;
import org.medsynth.ml.weights.ModelCardYaml;
import org.medsynth.ml.weights.NamedParameters;
import org.medsynth.ml.weights.TrainedModels;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Trains the first half of MaSkel's data-augmentation path: an unconditional DDPM ({@link UnconditionalDdpm},
 * ε-prediction, Ho et al. 2020) of low-resolution whole-body X-rays, here of whole-body phantoms drawn on the fly;
 * {@code spine.maskel-sr} then enlarges its samples. Adam, gradient clipping, an exponential moving average of the
 * weights (what is saved), checkpoints and bit-identical resume come from the shared {@link TrainingLoop}. At the
 * end DDIM samples of the saved weights are compared with held-out X-rays (FID and KID on MedSynth's baseline
 * features) and the model card says how the model was made and what it measured.
 */
public final class XrayDdpmTrainer implements Trainer {
    static final String ID = "spine-xray-ddpm";
    static final String TRAINER = "spine.xray-ddpm";
    static final long HELD_OUT_SEED_OFFSET = 6_000_007;
    static final String INTENSITY = "-ln(I/I0) in [0, " + MaskelNetwork.XRAY_RANGE + "] mapped to [-1, 1]";

    private record Settings(int steps, int batchSize, double learningRate, double emaDecay, int checkpointEvery,
            int evaluationSamples, int samplingSteps, UnconditionalDdpm network) {
        static Settings of(ParameterValues p) {
            return new Settings(p.getInt("steps"), p.getInt("batch-size"), p.getDouble("learning-rate"),
                    p.getDouble("ema-decay"), p.getInt("checkpoint-every"), p.getInt("evaluation-samples"),
                    p.getInt("sampling-steps"), new UnconditionalDdpm(p.getInt("size"), p.getInt("base-channels"),
                            SuperResolutionTrainer.parseMultipliers(p.getString("multipliers")),
                            p.getInt("res-blocks"), p.getInt("attention-level"), p.getInt("heads"),
                            p.getString("schedule"), p.getInt("diffusion-steps")));
        }
    }

    @Override
    public TrainingResult train(TrainingRequest request, IProgressMonitor monitor) throws CoreException {
        Settings settings = TrainedModels.settings(request, parameters -> {
            Settings read = Settings.of(parameters);
            read.network().checkTrainable(read.samplingSteps());
            return read;
        });
        return TrainedModels.inEngine(() -> runTraining(request, settings, monitor));
    }

    /** A whole-body phantom X-ray of {@code size}² drawn from {@code random}, in the model's units. */
    static float[] drawXray(int size, SplittableRandom random) {
        float[] xray = WholeBodyPhantom.random(random.nextLong()).radiographPixels(size);
        for (int p = 0; p < xray.length; p++) {
            xray[p] = MaskelNetwork.xrayToModel(xray[p]);
        }
        return xray;
    }

    /** X-ray images of {@code count} samples (model units, image after image). */
    static List<MedicalImage<?>> xrays(float[] values, int count, int size) {
        List<MedicalImage<?>> images = new ArrayList<>();
        int pixels = size * size;
        for (int i = 0; i < count; i++) {
            float[] xray = new float[pixels];
            for (int p = 0; p < pixels; p++) {
                xray[p] = MaskelNetwork.xrayFromModel(values[i * pixels + p]);
            }
            images.add(WholeBodyPhantom.radiographImage(xray, size));
        }
        return images;
    }

    private static List<MedicalImage<?>> heldOutXrays(int count, int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<MedicalImage<?>> xrays = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            xrays.add(WholeBodyPhantom.random(random.nextLong()).radiograph(size));
        }
        return xrays;
    }

    private static TrainingResult runTraining(TrainingRequest request, Settings settings, IProgressMonitor monitor)
            throws IOException {
        SubMonitor progress = SubMonitor.convert(monitor, "Training the whole-body X-ray DDPM", 100);
        UnconditionalDdpm spec = settings.network();
        long dataSeed = new SplittableRandom(request.seed()).nextLong();
        try (Model model = Model.newInstance(ID, Devices.resolve(request.device()), MlEngine.ENGINE_NAME)) {
            UNet network = spec.build();
            model.setBlock(network);
            NDManager manager = model.getNDManager();
            TrainingLoop.Settings loopSettings = TrainingLoop.Settings.of(settings.steps(), settings.batchSize(),
                    settings.checkpointEvery()).withGradientClipping(1.0).withEma(settings.emaDecay())
                    .withMemoryBudget(JobPreferences.memoryBudgetMb());
            TrainingLoop loop = new TrainingLoop(new Checkpoints(request.checkpointDir(), ID), network, new Shape[0],
                    manager, new Adam(settings.learningRate()), loopSettings);
            TrainingLoop.Result result = loop.run(request.seed(), request.resume(),
                    (scope, step, random) -> spec.epsilonLoss(network, settings.batchSize(),
                            r -> drawXray(spec.size(), r), scope,
                            new SplittableRandom(TrainingLoop.stepSeed(dataSeed, step))),
                    null, request.progress(), progress.split(80));
            loop.ema().ifPresent(ema -> ema.writeInto(NamedParameters.of(network)));
            int n = settings.evaluationSamples();
            List<MedicalImage<?>> generated = xrays(spec.sample(network, n, settings.samplingSteps(), 0,
                    new SplittableRandom(request.seed() + HELD_OUT_SEED_OFFSET + 1), manager, progress.split(15)),
                    n, spec.size());
            List<MedicalImage<?>> real = heldOutXrays(n, spec.size(), request.seed() + HELD_OUT_SEED_OFFSET);
            SampleDistances distances = SampleDistances.of(real, generated, request.seed());
            // the floor: two independent sets of real X-rays score this much on as many images
            SampleDistances realVersusReal = SampleDistances.of(real, heldOutXrays(n, spec.size(),
                    request.seed() + HELD_OUT_SEED_OFFSET + 2), request.seed());
            String weightSha256 = TrainedModels.saveWeights(model, request.outputDir(), ID);
            Files.writeString(request.outputDir().resolve(ModelCard.FILE_NAME), modelCard(request, settings, result,
                    distances, realVersusReal, TrainedModels.parameterCount(network), weightSha256));
            progress.split(5);
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("fid-baseline", distances.fid());
            metrics.put("kid-baseline", distances.kid());
            metrics.put("real-vs-real-fid-baseline", realVersusReal.fid());
            return new TrainingResult(result.stepsDone(), result.losses(), ID, weightSha256, metrics,
                    MlEngine.engineVersions());
        }
    }

    private static String modelCard(TrainingRequest request, Settings settings, TrainingLoop.Result result,
            SampleDistances distances, SampleDistances realVersusReal, long parameterCount, String weightSha256) {
        UnconditionalDdpm spec = settings.network();
        List<String> card = TrainedModels.openCard(TRAINER, ID);
        card.add("name: " + ModelCardYaml.scalar("Whole-body X-ray DDPM (unconditional " + spec.size() + "², MaSkel's "
                + "augmentation path)"));
        card.add("task: unconditional-generation");
        card.add("specialty: spine");
        card.add("modality: DX");
        card.add("generator: spine.xray-ddpm-sample");
        card.add("synthetic: " + ModelCardYaml.scalar("every image this model makes is synthetic"));
        card.addAll(spec.cardLines(parameterCount, INTENSITY));
        card.add("settings:");
        card.add("  paper: " + ModelCardYaml.scalar("MaSkel augments its training X-rays with 64² samples of an "
                + "unconditional diffusion model enlarged to 256² (it does not state the diffusion model's "
                + "settings; DDPM's are the defaults: T = 1000, linear beta 1e-4..0.02, EMA 0.9999)"));
        card.add("  this-model: " + ModelCardYaml.scalar(String.format(Locale.ROOT, "%d², T = %d %s, batch %d, "
                + "Adam %s, EMA %s, %d steps", spec.size(), spec.trainingSteps(), spec.schedule(),
                settings.batchSize(), number(settings.learningRate()), number(settings.emaDecay()),
                result.stepsDone())));
        card.add("training:");
        card.add("  data: " + ModelCardYaml.scalar("X-rays of procedural whole-body phantoms (spine.whole-body) "
                + "drawn on the fly from the seed"));
        card.addAll(TrainedModels.runLines(request, result));
        card.add("  batch-size: " + settings.batchSize());
        card.add("  optimizer: " + ModelCardYaml.scalar("Adam, learning rate " + number(settings.learningRate())
                + ", gradients clipped to global norm 1"));
        card.add("  ema-decay: " + number(settings.emaDecay()));
        card.add("  loss: " + ModelCardYaml.scalar("mean squared error of the predicted noise at uniform t"));
        card.addAll(TrainedModels.outcomeLines(request, result));
        card.add("metrics:");
        card.add("  samples: " + ModelCardYaml.scalar(distances.samples() + " DDIM samples (eta 0, "
                + settings.samplingSteps() + " steps) of the saved weights against " + distances.samples()
                + " held-out phantom X-rays from seed training.seed + " + HELD_OUT_SEED_OFFSET));
        card.addAll(distances.cardLines());
        card.add("  real-vs-real: " + ModelCardYaml.scalar("the same measures between the held-out X-rays and as "
                + "many other phantom X-rays (seed training.seed + " + (HELD_OUT_SEED_OFFSET + 2) + "): what a perfect "
                + "model would score on this many images"));
        card.add("  real-vs-real-fid-baseline: " + number(realVersusReal.fid()));
        card.add("  real-vs-real-kid-baseline: " + number(realVersusReal.kid()));
        return TrainedModels.closeCard(card, "J. Ho, A. Jain, P. Abbeel: Denoising Diffusion Probabilistic Models. "
                + "NeurIPS 2020; Xi Y et al. MaSkel, arXiv:2404.09000, 2024", ID, weightSha256);
    }
}
