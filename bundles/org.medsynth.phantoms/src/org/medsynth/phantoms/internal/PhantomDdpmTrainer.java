package org.medsynth.phantoms.internal;

import static org.medsynth.ml.weights.TrainedModels.number;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.medsynth.core.api.ParameterValues;
import org.medsynth.core.api.Trainer;
import org.medsynth.core.api.TrainingProgress;
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
 * Trains the phantom DDPM ({@link UnconditionalDdpm}) on Shepp–Logan variations generated on the fly: ε-prediction with
 * the mean squared error at uniformly drawn steps t (Ho et al. 2020, Algorithm 1), Adam, gradient clipping, an
 * exponential moving average of the weights (what is saved and sampled from), checkpoints and bit-identical resume
 * through the shared {@link TrainingLoop}. The validation loss (a fixed held-out batch at fixed steps and noise)
 * is recorded and can stop the run early. At the end, samples drawn with DDIM are compared with held-out phantoms
 * (FID and KID on MedSynth's baseline features) and the model card says how it was made and what it measured.
 */
public final class PhantomDdpmTrainer implements Trainer {
    static final String ID = "phantom-ddpm";
    static final long HELD_OUT_SEED_OFFSET = 2_000_003;
    private static final int VALIDATION_BATCH = 16;

    private record Settings(int steps, int batchSize, double learningRate, int learningRateDropStep,
            double learningRateDropFactor, int checkpointEvery, int size,
            int baseChannels, String schedule, int diffusionSteps, double emaDecay, double maxGradientNorm,
            int patience, int evaluationSamples, int samplingSteps) {
        static Settings of(ParameterValues p) {
            return new Settings(p.getInt("steps"), p.getInt("batch-size"), p.getDouble("learning-rate"),
                    p.getInt("learning-rate-drop-step"), p.getDouble("learning-rate-drop-factor"),
                    p.getInt("checkpoint-every"), p.getInt("size"), p.getInt("base-channels"), p.getString("schedule"),
                    p.getInt("diffusion-steps"), p.getDouble("ema-decay"), p.getDouble("gradient-clip"),
                    p.getInt("patience"), p.getInt("evaluation-samples"), p.getInt("sampling-steps"));
        }

        UnconditionalDdpm network() {
            return new UnconditionalDdpm(size, baseChannels, new int[] {1, 2, 2}, 1, 2, 4, schedule, diffusionSteps);
        }
    }

    @Override
    public TrainingResult train(TrainingRequest request, IProgressMonitor monitor) throws CoreException {
        Settings settings = TrainedModels.settings(request, parameters -> {
            Settings read = Settings.of(parameters);
            read.network().checkTrainable(read.samplingSteps());
            return read;
        });
        UnconditionalDdpm spec = settings.network();
        return TrainedModels.inEngine(() -> runTraining(request, settings, spec, monitor));
    }

    private static TrainingResult runTraining(TrainingRequest request, Settings settings, UnconditionalDdpm spec,
            IProgressMonitor monitor) throws IOException {
        SubMonitor progress = SubMonitor.convert(monitor, "Training the phantom DDPM", 100);
        SheppLoganVariations phantoms = new SheppLoganVariations(settings.size());
        long dataSeed = new SplittableRandom(request.seed()).nextLong();
        try (Model model = Model.newInstance(ID, Devices.resolve(request.device()), MlEngine.ENGINE_NAME)) {
            UNet network = spec.build();
            model.setBlock(network);
            NDManager manager = model.getNDManager();
            TrainingLoop.Settings loopSettings = TrainingLoop.Settings.of(settings.steps(), settings.batchSize(),
                    settings.checkpointEvery()).withEma(settings.emaDecay())
                    .withGradientClipping(settings.maxGradientNorm())
                    .withValidation(settings.checkpointEvery(), settings.patience(), 0)
                    .withMemoryBudget(JobPreferences.memoryBudgetMb());
            TrainingLoop loop = new TrainingLoop(new Checkpoints(request.checkpointDir(), ID), network, new Shape[0],
                    manager, new Adam(settings.learningRate()).withLearningRateDrop(settings.learningRateDropStep(),
                            settings.learningRateDropFactor()), loopSettings);
            TrainingProgress monitorWithSamples = new TrainingProgress() {
                @Override
                public void step(int step, double loss) {
                    request.progress().step(step, loss);
                    if (step % settings.checkpointEvery() == 0) {
                        MedicalImage<?> preview = SheppLoganVariations.fromModel(spec.sample(network, 1,
                                settings.samplingSteps(), 0, new SplittableRandom(request.seed() + step), manager,
                                new NullProgressMonitor()), 1, settings.size()).get(0);
                        request.progress().sample(step, "sample from the current weights (DDIM, "
                                + settings.samplingSteps() + " steps)", preview);
                    }
                }

                @Override
                public void rate(int step, int total, double stepsPerSecond, double secondsLeft) {
                    request.progress().rate(step, total, stepsPerSecond, secondsLeft);
                }
            };
            TrainingLoop.Result result = loop.run(request.seed(), request.resume(),
                    (scope, step, random) -> spec.epsilonLoss(network, settings.batchSize(),
                            phantoms::sampleInModelUnits, scope,
                            new SplittableRandom(TrainingLoop.stepSeed(dataSeed, step))),
                    scope -> spec.epsilonLoss(network, VALIDATION_BATCH, phantoms::sampleInModelUnits, scope,
                            new SplittableRandom(request.seed() + HELD_OUT_SEED_OFFSET)).getFloat(),
                    monitorWithSamples, progress.split(80));
            loop.ema().orElseThrow().writeInto(NamedParameters.of(network));
            SampleDistances evaluation = evaluate(network, spec, settings, request.seed(), manager, progress.split(15));
            String weightSha256 = TrainedModels.saveWeights(model, request.outputDir(), ID);
            Files.writeString(request.outputDir().resolve(ModelCard.FILE_NAME), modelCard(request, settings, spec,
                    result, evaluation, TrainedModels.parameterCount(network), weightSha256));
            progress.split(5);
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("fid-baseline", evaluation.fid());
            metrics.put("kid-baseline", evaluation.kid());
            result.best().ifPresent(best -> metrics.put("best-validation-loss", best.value()));
            return new TrainingResult(result.stepsDone(), result.losses(), ID, weightSha256, metrics,
                    MlEngine.engineVersions());
        }
    }

    private static SampleDistances evaluate(UNet network, UnconditionalDdpm spec, Settings settings, long seed,
            NDManager manager, IProgressMonitor monitor) {
        int n = settings.evaluationSamples();
        List<MedicalImage<?>> generated = SheppLoganVariations.fromModel(spec.sample(network, n,
                settings.samplingSteps(), 0, new SplittableRandom(seed + HELD_OUT_SEED_OFFSET + 1), manager,
                monitor), n, settings.size());
        SheppLoganVariations phantoms = new SheppLoganVariations(settings.size());
        SplittableRandom heldOut = new SplittableRandom(seed + HELD_OUT_SEED_OFFSET);
        List<MedicalImage<?>> real = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            real.add(SheppLoganVariations.image(phantoms.sample(heldOut), settings.size()));
        }
        return SampleDistances.of(real, generated, seed);
    }

    private static String modelCard(TrainingRequest request, Settings settings, UnconditionalDdpm spec,
            TrainingLoop.Result result, SampleDistances evaluation, long parameterCount, String weightSha256) {
        List<String> card = TrainedModels.openCard("phantom.ddpm", ID);
        card.add("name: " + ModelCardYaml.scalar("Phantom DDPM (unconditional " + settings.size() + "² U-Net)"));
        card.add("task: unconditional-generation");
        card.add("specialty: phantoms");
        card.add("modality: OT");
        card.add("generator: phantom.ddpm-sample");
        card.add("synthetic: " + ModelCardYaml.scalar("every image this model makes is synthetic"));
        card.addAll(spec.cardLines(parameterCount, "phantom units [0, 1] mapped to [-1, 1] (x = 2v - 1)"));
        card.add("training:");
        card.add("  data: " + ModelCardYaml.scalar("procedural Shepp–Logan phantoms, seed " + request.seed()
                + ": contrast of each inner structure x0.5..1.5 (dark ventricles x0.5..1.0), left-right flip, "
                + "shift up to size/16 pixels"));
        card.addAll(TrainedModels.runLines(request, result));
        if (result.stoppedEarly()) {
            card.add("  stopped-early: " + ModelCardYaml.scalar("validation loss did not improve for "
                    + settings.patience() + " validations"));
        }
        card.add("  batch-size: " + settings.batchSize());
        card.add("  optimizer: " + ModelCardYaml.scalar("Adam, learning rate " + number(settings.learningRate())
                + (settings.learningRateDropStep() > 0 ? ", times " + number(settings.learningRateDropFactor())
                        + " after step " + settings.learningRateDropStep() : "")
                + ", gradients clipped to global norm " + number(settings.maxGradientNorm())));
        card.add("  ema-decay: " + number(settings.emaDecay()));
        card.add("  saved-weights: " + ModelCardYaml.scalar("the exponential moving average"));
        card.add("  loss: " + ModelCardYaml.scalar("mean squared error of the predicted noise at uniform t"));
        card.addAll(TrainedModels.outcomeLines(request, result));
        card.add("metrics:");
        card.add("  samples: " + ModelCardYaml.scalar(evaluation.samples() + " DDIM samples (eta 0, "
                + settings.samplingSteps() + " steps) of the EMA weights against " + evaluation.samples()
                + " held-out phantoms from seed " + (request.seed() + HELD_OUT_SEED_OFFSET)));
        card.addAll(evaluation.cardLines());
        return TrainedModels.closeCard(card, "J. Ho, A. Jain, P. Abbeel: Denoising Diffusion Probabilistic "
                + "Models. NeurIPS 2020; J. Song, C. Meng, S. Ermon: Denoising Diffusion Implicit Models. ICLR 2021",
                ID, weightSha256);
    }
}
