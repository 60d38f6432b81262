package org.medsynth.spine.uxdiff;

import static org.medsynth.ml.weights.TrainedModels.number;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.medsynth.ml.Devices;
import org.medsynth.ml.MlEngine;
import org.medsynth.ml.Scalars;
import org.medsynth.ml.diffusion.DiffusionSampler;
import org.medsynth.ml.diffusion.NoiseSchedule;
import org.medsynth.ml.train.Adam;
import org.medsynth.ml.train.Checkpoints;
import org.medsynth.ml.train.TrainingLoop;
import org.medsynth.ml.weights.ModelCard;
import org.medsynth.ml.weights.ModelCardYaml;
import org.medsynth.ml.weights.NamedParameters;
import org.medsynth.ml.weights.TrainedModels;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Trains UXDiff (coronal spine ultrasound + curve angle → AP radiograph) on paired spines: a conditional DDPM whose
 * U-Net sees the ultrasound and the tokens of the angle-embedding transformer. Teacher and student are one network
 * ({@link UxdiffModel}) conditioned on different angle tokens; every step follows the conditional-consistency
 * training of the paper's Algorithm 1 on the same noisy x-ray x_t: the teacher (Cobb angle, UCA missing) and the
 * student (UCA, Cobb angle missing) each predict the noise (ε-prediction, mean squared error at uniform t), and the
 * student's prediction is pulled towards the teacher's (held fixed):
 * L = ‖ε − ε_T‖² + ‖ε − ε_S‖² + λ‖ε_S − sg(ε_T)‖².
 * Adam, gradient clipping, EMA of the weights (saved and sampled), checkpoints and bit-identical resume through
 * {@link TrainingLoop}. At the end the EMA model translates held-out ultrasounds (DDIM) as student and as teacher,
 * and an optional pix2pix baseline translates the same ones: SSIM/PSNR against the true radiographs and the
 * agreement of the Cobb angles measured on the results go into the model card.
 */
public final class UxdiffTrainer implements Trainer {
    static final String ID = "spine-uxdiff";
    static final String TRAINER = "spine.uxdiff";
    static final String GENERATOR = "spine.uxdiff-generate";

    private record Settings(int steps, int batchSize, double learningRate, int checkpointEvery, int size,
            int baseChannels, int tokenDim, int patch, int depth, String schedule, int diffusionSteps,
            double emaDecay, double consistencyWeight, double maxGradientNorm, int trainingSpines,
            int evaluationSpines, int samplingSteps, String dataset, String baseline) {
        static Settings of(ParameterValues p) {
            return new Settings(p.getInt("steps"), p.getInt("batch-size"), p.getDouble("learning-rate"),
                    p.getInt("checkpoint-every"), p.getInt("size"), p.getInt("base-channels"), p.getInt("token-dim"),
                    p.getInt("patch"), p.getInt("transformer-depth"), p.getString("schedule"),
                    p.getInt("diffusion-steps"), p.getDouble("ema-decay"), p.getDouble("consistency-weight"),
                    p.getDouble("gradient-clip"), p.getInt("training-spines"), p.getInt("evaluation-spines"),
                    p.getInt("sampling-steps"), p.getString("dataset").strip(), p.getString("baseline").strip());
        }

        UxdiffNetwork network() {
            return new UxdiffNetwork(size, baseChannels, new int[] {1, 2, 2, 2}, 1, 3, 4, tokenDim, patch, depth,
                    schedule, diffusionSteps);
        }
    }

    /** The evaluations of the held-out translations: student, teacher, the baseline (null if none), the truth. */
    private record Evaluations(HeldOutEvaluation student, HeldOutEvaluation teacher, HeldOutEvaluation baseline,
            HeldOutEvaluation truth) {
    }

    @Override
    public TrainingResult train(TrainingRequest request, IProgressMonitor monitor) throws CoreException {
        Settings settings = Settings.of(request.parameters());
        UxdiffNetwork spec = settings.network();
        int divisor = Math.max(spec.unetConfig().sizeDivisor(), settings.patch());
        if (settings.size() % divisor != 0) {
            throw new CoreException(Status.error(TRAINER + ": size must be a multiple of " + divisor + " (U-Net levels"
                    + " and patch size), got " + settings.size()));
        }
        if (settings.tokenDim() % 4 != 0) {
            throw new CoreException(Status.error(TRAINER + ": token-dim must be a multiple of the 4 attention heads, "
                    + "got " + settings.tokenDim()));
        }
        if (settings.samplingSteps() > settings.diffusionSteps()) {
            throw new CoreException(Status.error(TRAINER + ": sampling-steps (" + settings.samplingSteps()
                    + ") cannot exceed diffusion-steps (" + settings.diffusionSteps() + ")"));
        }
        return TrainedModels.inEngine(() -> runTraining(request, settings, spec, monitor));
    }

    private static TrainingResult runTraining(TrainingRequest request, Settings settings, UxdiffNetwork spec,
            IProgressMonitor monitor) throws IOException {
        SubMonitor progress = SubMonitor.convert(monitor, "Training UXDiff", 100);
        SpinePairs.Split data = SpinePairs.split(settings.dataset(), settings.trainingSpines(),
                settings.evaluationSpines(), settings.size(), request.seed(), progress.split(10));
        NoiseSchedule schedule = spec.noiseSchedule();
        long dataSeed = new SplittableRandom(request.seed()).nextLong();
        try (Model model = Model.newInstance(ID, Devices.resolve(request.device()), MlEngine.ENGINE_NAME)) {
            UxdiffModel network = spec.build();
            model.setBlock(network);
            NDManager manager = model.getNDManager();
            TrainingLoop.Settings loopSettings = TrainingLoop.Settings.of(settings.steps(), settings.batchSize(),
                    settings.checkpointEvery()).withEma(settings.emaDecay())
                    .withGradientClipping(settings.maxGradientNorm())
                    .withMemoryBudget(JobPreferences.memoryBudgetMb());
            TrainingLoop loop = new TrainingLoop(new Checkpoints(request.checkpointDir(), ID), network, new Shape[0],
                    manager, new Adam(settings.learningRate()), loopSettings);
            TrainingLoop.Result result = loop.run(request.seed(), request.resume(),
                    (scope, step, random) -> consistencyLoss(network, schedule, data.training().batch(
                            settings.batchSize(), new SplittableRandom(TrainingLoop.stepSeed(dataSeed, step))),
                            settings.consistencyWeight(), scope, new SplittableRandom(TrainingLoop.stepSeed(dataSeed,
                                    step) + 1)),
                    null, request.progress(), progress.split(60));
            loop.ema().orElseThrow().writeInto(NamedParameters.of(network));
            Evaluations evaluations = evaluate(network, spec, settings, data.heldOut(), request.seed(), manager,
                    progress.split(25));
            String weightSha256 = TrainedModels.saveWeights(model, request.outputDir(), ID);
            Files.writeString(request.outputDir().resolve(ModelCard.FILE_NAME), modelCard(request, settings, spec,
                    data, result, evaluations, TrainedModels.parameterCount(network), weightSha256));
            progress.split(5);
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("ssim-student", evaluations.student().ssimMean());
            metrics.put("psnr-student", evaluations.student().psnrMean());
            metrics.put("ssim-teacher", evaluations.teacher().ssimMean());
            metrics.put("psnr-teacher", evaluations.teacher().psnrMean());
            if (evaluations.baseline() != null) {
                metrics.put("ssim-baseline", evaluations.baseline().ssimMean());
                metrics.put("psnr-baseline", evaluations.baseline().psnrMean());
            }
            return new TrainingResult(result.stepsDone(), result.losses(), ID, weightSha256, metrics,
                    MlEngine.engineVersions());
        }
    }

    /**
     * The conditional-consistency loss of one batch: teacher and student run as one batch of 2·N on the same x_t,
     * t and ultrasounds, the teacher with angles (Cobb, missing), the student with (missing, UCA).
     */
    static NDArray consistencyLoss(UxdiffModel network, NoiseSchedule schedule, SpinePairs.Batch batch,
            double consistencyWeight, NDManager scope, SplittableRandom random) {
        int n = batch.count();
        float[] signal = new float[n];
        float[] noiseScale = new float[n];
        float[] steps = new float[2 * n];
        float[] angles = new float[2 * n * AngleTransformer.ANGLES];
        for (int i = 0; i < n; i++) {
            int t = random.nextInt(schedule.steps());
            steps[i] = t;
            steps[n + i] = t;
            signal[i] = (float) Math.sqrt(schedule.alphaBar(t));
            noiseScale[i] = (float) Math.sqrt(1 - schedule.alphaBar(t));
            angles[2 * i] = batch.cobb()[i];
            angles[2 * i + 1] = (float) SpinePairs.MISSING_ANGLE;
            angles[2 * (n + i)] = (float) SpinePairs.MISSING_ANGLE;
            angles[2 * (n + i) + 1] = batch.uca()[i];
        }
        Shape shape = new Shape(n, 1, batch.rows(), batch.columns());
        Shape perImage = new Shape(n, 1, 1, 1);
        NDArray x0 = scope.create(batch.xray(), shape);
        NDArray ultrasound = scope.create(batch.ultrasound(), shape);
        NDArray noise = DiffusionSampler.gaussian(scope, shape, random);
        NDArray xt = x0.mul(scope.create(signal, perImage)).add(noise.mul(scope.create(noiseScale, perImage)));
        return consistencyLoss(network, xt, ultrasound, noise, scope.create(steps, new Shape(2 * n)),
                scope.create(angles, new Shape(2 * n, AngleTransformer.ANGLES)), consistencyWeight);
    }

    private static NDArray consistencyLoss(UxdiffModel network, NDArray xt, NDArray ultrasound, NDArray noise,
            NDArray steps, NDArray angles, double consistencyWeight) {
        long n = xt.getShape().get(0);
        NDArray predicted = UxdiffNetwork.predict(network, xt.concat(xt, 0), steps, ultrasound.concat(ultrasound, 0),
                angles, true);
        NDArray teacher = predicted.get("0:" + n);
        NDArray student = predicted.get(n + ":");
        return teacher.sub(noise).square().mean().add(student.sub(noise).square().mean())
                .add(Scalars.times(student.sub(teacher.stopGradient()).square().mean(), consistencyWeight));
    }

    private static Evaluations evaluate(UxdiffModel network, UxdiffNetwork spec, Settings settings,
            SpinePairs heldOut, long seed, NDManager manager, IProgressMonitor monitor) throws IOException {
        SubMonitor progress = SubMonitor.convert(monitor, "Translating held-out ultrasounds", 3);
        double[][] studentAngles = new double[heldOut.size()][];
        double[][] teacherAngles = new double[heldOut.size()][];
        for (int i = 0; i < heldOut.size(); i++) {
            SpinePairs.Pair pair = heldOut.pairs().get(i);
            studentAngles[i] = new double[] {SpinePairs.MISSING_ANGLE, pair.ucaDegrees()};
            teacherAngles[i] = new double[] {pair.cobbDegrees(), SpinePairs.MISSING_ANGLE};
        }
        List<float[]> student = split(spec.sample(network, heldOut.ultrasounds(), studentAngles,
                settings.samplingSteps(), 0, new SplittableRandom(seed + SpinePairs.HELD_OUT_SEED_OFFSET), manager,
                progress.split(1)), heldOut.pixels());
        List<float[]> teacher = split(spec.sample(network, heldOut.ultrasounds(), teacherAngles,
                settings.samplingSteps(), 0, new SplittableRandom(seed + SpinePairs.HELD_OUT_SEED_OFFSET), manager,
                progress.split(1)), heldOut.pixels());
        HeldOutEvaluation baseline = null;
        if (!settings.baseline().isEmpty()) {
            List<float[]> translated = Pix2PixGenerator.translate(ModelCard.locate(settings.baseline()),
                    heldOut.ultrasounds(), settings.size(), "cpu");
            baseline = HeldOutEvaluation.of(heldOut, translated);
        }
        progress.split(1);
        return new Evaluations(HeldOutEvaluation.of(heldOut, student), HeldOutEvaluation.of(heldOut, teacher),
                baseline, HeldOutEvaluation.ofTruth(heldOut));
    }

    /** N images of {@code pixels} values each, from one array. */
    static List<float[]> split(float[] values, int pixels) {
        return java.util.stream.IntStream.range(0, values.length / pixels)
                .mapToObj(i -> java.util.Arrays.copyOfRange(values, i * pixels, (i + 1) * pixels)).toList();
    }

    private static String modelCard(TrainingRequest request, Settings settings, UxdiffNetwork spec,
            SpinePairs.Split data, TrainingLoop.Result result, Evaluations evaluations, long parameterCount,
            String weightSha256) {
        List<String> card = TrainedModels.openCard(TRAINER, ID);
        card.add("name: " + ModelCardYaml.scalar("UXDiff: coronal spine ultrasound + curve angle to AP radiograph ("
                + settings.size() + " x " + SpinePairs.ASPECT * settings.size() + ")"));
        card.add("task: image-translation");
        card.add("specialty: spine");
        card.add("modality: DX");
        card.add("generator: " + GENERATOR);
        card.add("synthetic: " + ModelCardYaml.scalar("every radiograph this model makes is synthetic"));
        card.add("input: " + ModelCardYaml.scalar("a coronal spine ultrasound (any size, resampled to "
                + settings.size() + " x " + SpinePairs.ASPECT * settings.size() + ", row 0 at the head) and its UCA "
                + "(measured on it by default) for the student, or a Cobb angle for the teacher"));
        card.add("output: " + ModelCardYaml.scalar("an AP radiograph of normalised opacity [0, 1] (bone bright) at "
                + settings.size() + " x " + SpinePairs.ASPECT * settings.size()));
        card.addAll(spec.cardLines(parameterCount));
        card.add("training:");
        card.add("  data: " + ModelCardYaml.scalar(data.description()));
        card.add("  angles: " + ModelCardYaml.scalar("Cobb angle: the phantom's exact major Cobb angle (manifest: "
                + "its 'cobb' column); UCA: measured on the ultrasound by the posterior-element line (smoothed "
                + "echo centre line, largest difference of its tangent angles)"));
        card.addAll(TrainedModels.runLines(request, result));
        card.add("  batch-size: " + settings.batchSize());
        card.add("  optimizer: " + ModelCardYaml.scalar("Adam, learning rate " + number(settings.learningRate())
                + ", gradients clipped to global norm " + number(settings.maxGradientNorm())));
        card.add("  ema-decay: " + number(settings.emaDecay()));
        card.add("  saved-weights: " + ModelCardYaml.scalar("the exponential moving average"));
        card.add("  loss: " + ModelCardYaml.scalar("conditional consistency (Algorithm 1): |eps - eps_teacher(Cobb)|^2 "
                + "+ |eps - eps_student(UCA)|^2 + " + number(settings.consistencyWeight())
                + " |eps_student - stopgrad(eps_teacher)|^2 on the same x_t, uniform t"));
        card.add("  consistency-weight: " + number(settings.consistencyWeight()));
        card.addAll(TrainedModels.outcomeLines(request, result));
        card.add("  paper-settings: " + ModelCardYaml.scalar("T = 2000, linear beta 1e-4 to 0.02, EMA 0.999, DDIM "
                + "sampling (the trainer's defaults); not stated by the paper and chosen here: 128 x 512 images of the "
                + "spine band, "
                + "16-pixel patches, 4 transformer blocks of 128 features, consistency weight 1, teacher and student "
                + "sharing one network"));
        card.add("metrics:");
        card.add("  held-out: " + ModelCardYaml.scalar(evaluations.student().cases() + " held-out pairs, DDIM "
                + settings.samplingSteps() + " steps, eta 0, of the EMA weights; SSIM (scikit-image defaults) and "
                + "PSNR on radiographs normalised to [0, 1] (data range 1), mean and sample sd; Cobb agreement: the "
                + "major Cobb angle measured automatically (spine.cobb-agreement's measurement) on each generated "
                + "radiograph against the case's Cobb angle"));
        card.add("  student:");
        card.addAll(evaluations.student().cardLines("    "));
        card.add("  teacher:");
        card.addAll(evaluations.teacher().cardLines("    "));
        if (evaluations.baseline() != null) {
            card.add("  baseline-pix2pix:");
            card.add("    model: " + ModelCardYaml.scalar(settings.baseline()));
            card.addAll(evaluations.baseline().cardLines("    "));
        }
        card.add("  true-radiographs:");
        HeldOutEvaluation truth = evaluations.truth();
        card.add("    note: " + ModelCardYaml.scalar("the Cobb measurement on the true radiographs: the ceiling of "
                + "the agreement at this size"));
        card.addAll(truth.cardLines("    ").stream().filter(line -> line.contains("cobb")).toList());
        return TrainedModels.closeCard(card, "UXDiff: X-ray synthesis from coronal spine ultrasound with a "
                + "diffusion model, an angle-embedding transformer and teacher-student conditional consistency (the "
                + "spine module's seed paper); J. Ho, A. Jain, P. Abbeel: Denoising Diffusion Probabilistic Models. "
                + "NeurIPS 2020; J. Song, C. Meng, S. Ermon: Denoising Diffusion Implicit Models. ICLR 2021", ID, weightSha256);
    }
}
