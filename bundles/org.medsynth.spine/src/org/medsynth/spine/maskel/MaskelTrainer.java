package org.medsynth.spine.maskel;

import static org.medsynth.ml.weights.TrainedModels.number;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
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
import org.medsynth.ml.Scalars;
import org.medsynth.ml.loss.PerceptualLoss;
import org.medsynth.ml.loss.PixelLosses;
import org.medsynth.ml.train.Adam;
import org.medsynth.ml.train.Checkpoints;
import org.medsynth.ml.train.TrainingLoop;
import org.medsynth.ml.weights.ModelCard;
import org.medsynth.ml.weights.ModelCardYaml;
import org.medsynth.ml.weights.TrainedModels;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * Trains MaSkel (Xi et al. 2024) on (mask, X-ray) pairs of {@link WholeBodyPhantom}s drawn on the fly. Stage 1
 * pretrains the {@link MaskedAutoencoder} on the X-rays (MSE on the hidden patches). Stage 2 trains
 * {@link MaskToXray} with the first stage frozen: α1 (L1 + L_q) + α2 · perceptual + α3 · MSE(mask-encoder tokens,
 * frozen X-ray-encoder tokens of the paired X-ray). With {@code baseline}, the same second stage without the latent
 * alignment (α3 = 0) is trained from the same seed on the same batches for the same steps, as the ablation baseline.
 * At the end both stages are measured on held-out bodies (PSNR, SSIM, LPIPS-style distance) and the model card says
 * how the model was made and what it measured. Both stages are saved in one weight file.
 */
public final class MaskelTrainer implements Trainer {
    static final String ID = "spine-maskel";
    static final String TRAINER = "spine.maskel";
    static final long HELD_OUT_SEED_OFFSET = 3_000_017;

    record Settings(int maeSteps, int steps, int batchSize, double learningRate, double maskRatio,
            double alphaPixel, double alphaPerceptual, double alphaLatent, String perceptualNetwork,
            boolean baseline, int checkpointEvery, int evaluationSamples, MaskelNetwork network) {
        static Settings of(ParameterValues p) {
            return new Settings(p.getInt("mae-steps"), p.getInt("steps"), p.getInt("batch-size"),
                    p.getDouble("learning-rate"), p.getDouble("mask-ratio"), p.getDouble("alpha-pixel"),
                    p.getDouble("alpha-perceptual"), p.getDouble("alpha-latent"), p.getString("perceptual-network"),
                    p.getBoolean("baseline"), p.getInt("checkpoint-every"), p.getInt("evaluation-samples"),
                    new MaskelNetwork(p.getInt("size"), p.getInt("patch"), p.getInt("dim"), p.getInt("depth"),
                            p.getInt("heads"), p.getInt("decoder-dim"), p.getInt("decoder-depth"),
                            p.getInt("codes"), p.getInt("code-dim"), p.getInt("decoder-channels")));
        }
    }

    @Override
    public TrainingResult train(TrainingRequest request, IProgressMonitor monitor) throws CoreException {
        Settings settings = TrainedModels.settings(request, Settings::of);
        return TrainedModels.inEngine(() -> runTraining(request, settings, monitor));
    }

    private static TrainingResult runTraining(TrainingRequest request, Settings settings, IProgressMonitor monitor)
            throws IOException {
        SubMonitor progress = SubMonitor.convert(monitor, "Training MaSkel", 100);
        MaskelNetwork spec = settings.network();
        long dataSeed = new SplittableRandom(request.seed()).nextLong();
        try (PerceptualNetwork perceptual = PerceptualNetwork.open(settings.perceptualNetwork(), request.device());
                Model model = Model.newInstance(ID, Devices.resolve(request.device()), MlEngine.ENGINE_NAME)) {
            NDManager manager = model.getNDManager();
            MaskelNetwork.Stages stages = new MaskelNetwork.Stages(spec);
            MaskedAutoencoder mae = stages.mae;
            TrainingLoop.Result stage1 = loop(request, settings, settings.maeSteps(), "spine-maskel-mae", mae, manager)
                    .run(request.seed(), request.resume(), (scope, step, random) -> {
                        SplittableRandom data = new SplittableRandom(TrainingLoop.stepSeed(dataSeed, step));
                        MaskelPairs pairs = MaskelPairs.draw(scope, settings.batchSize(), spec.size(), data);
                        NDArray selection = MaskedAutoencoder.randomSelection(scope, settings.batchSize(),
                                spec.patches(), settings.maskRatio(), data);
                        return mae.loss(new ParameterStore(scope, false), pairs.xrays(), selection, true);
                    }, null, request.progress(), progress.split(30));
            // frozen from here on: no gradients are recorded through the X-ray encoder that gives the latent targets
            mae.freezeParameters(true);
            Stage2Losses weights = new Stage2Losses(settings.alphaPixel(), settings.alphaPerceptual(),
                    settings.alphaLatent());
            TrainingLoop.Result stage2 = trainStage2(request, settings, "spine-maskel", stages.generator, mae, weights,
                    perceptual, dataSeed, manager, progress.split(settings.baseline() ? 25 : 50));
            List<MaskelEvaluation.Scores> baselineScores = new ArrayList<>();
            TrainingLoop.Result baselineRun = null;
            if (settings.baseline()) {
                MaskToXray baseline = new MaskToXray(spec);
                baselineRun = trainStage2(request, settings, "spine-maskel-baseline", baseline, mae,
                        weights.withoutLatent(), perceptual, dataSeed, manager, progress.split(25));
                baselineScores.add(MaskelEvaluation.stage2(baseline, perceptual, heldOut(request, settings,
                        manager)));
            }
            MaskelEvaluation evaluation = MaskelEvaluation.of(spec, stages, perceptual, heldOut(request, settings,
                    manager), settings.maskRatio(), request.seed() + HELD_OUT_SEED_OFFSET,
                    baselineScores.isEmpty() ? null : baselineScores.get(0));
            progress.split(10);
            // both stages' parameters are trained; this only marks their container initialised, as saving needs
            stages.initialize(manager, DataType.FLOAT32);
            model.setBlock(stages);
            String weightSha256 = TrainedModels.saveWeights(model, request.outputDir(), ID);
            Files.writeString(request.outputDir().resolve(ModelCard.FILE_NAME), modelCard(request, settings, stage1,
                    stage2, baselineRun, evaluation, perceptual.description(), TrainedModels.parameterCount(stages),
                    weightSha256));
            progress.split(5);
            return new TrainingResult(stage2.stepsDone(), stage2.losses(), ID, weightSha256, evaluation.metrics(),
                    MlEngine.engineVersions());
        }
    }

    /** The weights of the second stage's loss terms. */
    record Stage2Losses(double pixel, double perceptual, double latent) {
        Stage2Losses withoutLatent() {
            return new Stage2Losses(pixel, perceptual, 0);
        }
    }

    private static TrainingLoop loop(TrainingRequest request, Settings settings, int steps, String name,
            Block block, NDManager manager) {
        TrainingLoop.Settings loopSettings = TrainingLoop.Settings.of(steps, settings.batchSize(),
                settings.checkpointEvery()).withGradientClipping(1.0).withMemoryBudget(JobPreferences.memoryBudgetMb());
        return new TrainingLoop(new Checkpoints(request.checkpointDir(), name), block, new Shape[0], manager,
                new Adam(settings.learningRate()), loopSettings);
    }

    private static TrainingLoop.Result trainStage2(TrainingRequest request, Settings settings, String name,
            MaskToXray generator, MaskedAutoencoder mae, Stage2Losses weights, PerceptualNetwork perceptual,
            long dataSeed, NDManager manager, IProgressMonitor monitor) throws IOException {
        MaskelNetwork spec = settings.network();
        // stage 2 sees other bodies than stage 1: its batches come from a stream of their own
        long stage2Seed = new SplittableRandom(dataSeed).nextLong();
        return loop(request, settings, settings.steps(), name, generator, manager).run(request.seed(),
                request.resume(), (scope, step, random) -> {
                    MaskelPairs pairs = MaskelPairs.draw(scope, settings.batchSize(), spec.size(),
                            new SplittableRandom(TrainingLoop.stepSeed(stage2Seed, step)));
                    return stage2Loss(generator, mae, weights, perceptual, pairs, spec, scope);
                }, null, request.progress(), monitor);
    }

    /**
     * α1 (L1 + L_q) + α2 · perceptual + α3 · latent MSE for a batch of pairs; the first stage's encoder, seeing the
     * whole X-ray, gives the latent target and is not trained.
     */
    static NDArray stage2Loss(MaskToXray generator, MaskedAutoencoder mae, Stage2Losses weights,
            PerceptualNetwork perceptual, MaskelPairs pairs, MaskelNetwork spec, NDManager scope) {
        ParameterStore parameters = new ParameterStore(scope, false);
        MaskToXray.Output out = generator.apply(parameters, pairs.masks(), true);
        NDArray loss = Scalars.times(PixelLosses.l1(out.xray(), pairs.xrays()).add(out.quantized().loss()),
                weights.pixel());
        if (weights.perceptual() > 0) {
            loss = loss.add(Scalars.times(PerceptualLoss.distance(perceptual.network(), out.xray(), pairs.xrays()),
                    weights.perceptual()));
        }
        if (weights.latent() > 0) {
            NDArray target = mae.encoder().applyVisible(parameters, pairs.xrays(),
                    MaskedAutoencoder.allPatches(scope, (int) pairs.xrays().getShape().get(0), spec.patches()), false)
                    .stopGradient();
            loss = loss.add(Scalars.times(PixelLosses.l2(out.tokens(), target), weights.latent()));
        }
        return loss;
    }

    private static MaskelPairs heldOut(TrainingRequest request, Settings settings, NDManager manager) {
        return MaskelPairs.draw(manager, settings.evaluationSamples(), settings.network().size(),
                new SplittableRandom(request.seed() + HELD_OUT_SEED_OFFSET));
    }

    /** The paper's settings, for the card's comparison with the ones this run used. */
    private static final String PAPER_SETTINGS = "256² images, 16² patches, 8 transformer blocks, mask ratio 0.75 "
            + "(the MAE default); the paper does not state the widths, codebook, loss weights or steps";

    private static String modelCard(TrainingRequest request, Settings settings, TrainingLoop.Result stage1,
            TrainingLoop.Result stage2, TrainingLoop.Result baselineRun, MaskelEvaluation evaluation,
            String perceptualDescription, long parameterCount, String weightSha256) {
        MaskelNetwork spec = settings.network();
        List<String> card = TrainedModels.openCard(TRAINER, ID);
        card.add("name: " + ModelCardYaml.scalar("MaSkel (body mask to whole-body X-ray, " + spec.size() + "²)"));
        card.add("task: mask-to-xray");
        card.add("specialty: spine");
        card.add("modality: DX");
        card.add("generator: spine.maskel-generate");
        card.add("synthetic: " + ModelCardYaml.scalar("every image this model makes is synthetic"));
        card.addAll(spec.cardLines(parameterCount));
        card.add("settings:");
        card.add("  paper: " + ModelCardYaml.scalar(PAPER_SETTINGS));
        card.add("  this-model: " + ModelCardYaml.scalar(String.format(java.util.Locale.ROOT, "%d² images, %d² "
                + "patches, %d blocks of %d features, mask ratio %s, %d + %d steps", spec.size(), spec.patch(),
                spec.depth(), spec.dim(), number(settings.maskRatio()), stage1.stepsDone(), stage2.stepsDone())));
        card.add("training:");
        card.add("  data: " + ModelCardYaml.scalar("(mask, X-ray) pairs of procedural whole-body phantoms "
                + "(spine.whole-body) drawn on the fly from the seed: stature 1500-1850 mm, build 0.9-1.3, arm "
                + "abduction 8-60°, elbow -15..30°, leg abduction 0-12°, mild scoliosis 0-12°"));
        card.addAll(TrainedModels.runLines(request, stage2));
        card.add("  mae-steps: " + stage1.stepsDone());
        card.add("  batch-size: " + settings.batchSize());
        card.add("  optimizer: " + ModelCardYaml.scalar("Adam, learning rate " + number(settings.learningRate())
                + " (both stages), gradients clipped to global norm 1"));
        card.add("  stage-1-loss: " + ModelCardYaml.scalar("mean squared error of the hidden patches' pixels, mask "
                + "ratio " + number(settings.maskRatio())));
        card.add("  stage-1-final-loss: " + number(TrainedModels.finalLoss(stage1.losses())));
        card.add("  stage-2-loss: " + ModelCardYaml.scalar("alpha1 (L1 + VQ codebook and commitment (beta 0.25)) + "
                + "alpha2 LPIPS-style perceptual distance + alpha3 MSE to the frozen stage-1 tokens, alpha = "
                + number(settings.alphaPixel()) + ", " + number(settings.alphaPerceptual()) + ", "
                + number(settings.alphaLatent())));
        card.add("  perceptual-network: " + ModelCardYaml.scalar(perceptualDescription));
        card.add("  final-loss: " + number(TrainedModels.finalLoss(stage2.losses())));
        if (baselineRun != null) {
            card.add("  baseline-final-loss: " + number(TrainedModels.finalLoss(baselineRun.losses())));
        }
        card.add("  seconds-per-step: " + ModelCardYaml.scalar(number(stage1.secondsPerStep()) + " (stage 1), "
                + number(stage2.secondsPerStep()) + " (stage 2)"));
        card.add("  device: " + request.device());
        card.add("  engine: " + ModelCardYaml.scalar(TrainedModels.engine()));
        card.addAll(evaluation.cardLines(perceptualDescription));
        return TrainedModels.closeCard(card, "Xi Y, Cheng B, Cai J, Zhang JJ, Yang X. MaSkel: a model for human "
                + "whole-body X-rays generation from human masking images. arXiv:2404.09000, 2024", ID, weightSha256);
    }
}
