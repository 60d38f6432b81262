package org.medsynth.radiography.ct2x.internal;

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
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.medsynth.core.api.ParameterValues;
import org.medsynth.core.api.Trainer;
import org.medsynth.core.api.TrainingRequest;
import org.medsynth.core.api.TrainingResult;
import org.medsynth.core.jobs.JobPreferences;
import org.medsynth.data.examples.InvesaliusHeadCt;
import org.medsynth.eval.BaselineFeatureExtractor;
import org.medsynth.ml.Devices;
import org.medsynth.ml.MlEngine;
import org.medsynth.ml.NDScopes;
import org.medsynth.ml.train.Adam;
import org.medsynth.ml.train.Checkpoints;
import org.medsynth.ml.train.TrainingLoop;
import org.medsynth.ml.weights.ModelCard;
import org.medsynth.ml.weights.ModelCardYaml;
import org.medsynth.ml.weights.TrainedModels;
import org.medsynth.radiography.ct2x.Ct2xData;
import org.medsynth.radiography.ct2x.Ct2xEvaluation;
import org.medsynth.radiography.ct2x.Ct2xModel;
import org.medsynth.radiography.ct2x.Ct2xNetwork;
import org.medsynth.radiography.ct2x.Ct2xTraining;
import org.medsynth.radiography.ct2x.CtVolumes;
import org.medsynth.radiography.ct2x.RandomFeatures;
import org.medsynth.radiography.ct2x.Radiographs;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * Trains CT2X-GAN ({@link Ct2xNetwork}, losses {@link Ct2xTraining}) on CT cubes drawn on the fly (varied torso
 * phantoms, optionally the real head CT in varied poses) seen at the paper's C-arm sweep, DRRs from the physics
 * projector and unpaired radiograph-style images ({@link Radiographs}); Adam, checkpoints and bit-identical resume
 * through the shared {@link TrainingLoop}. Afterwards it measures the two style codes the generator renders with,
 * evaluates on held-out CTs against the DRR-as-X-ray baseline ({@link Ct2xEvaluation}) and writes the model card.
 */
public final class Ct2xTrainer implements Trainer {
    static final String ID = "radiography-ct2x-gan";
    static final long HELD_OUT_SEED_OFFSET = 4_000_037;
    private static final long PERCEPTUAL_SEED = 11;
    private static final int[] PERCEPTUAL_WIDTHS = {8, 16, 32};
    private static final int STYLE_SAMPLES = 32;

    private record Settings(int steps, int batchSize, double learningRate, int checkpointEvery,
            Ct2xNetwork.Config config, double headFraction, Ct2xTraining.Weights weights, int evaluationCts) {
        static Settings of(ParameterValues p) {
            return new Settings(p.getInt("steps"), p.getInt("batch-size"), p.getDouble("learning-rate"),
                    p.getInt("checkpoint-every"), new Ct2xNetwork.Config(p.getInt("ct-size"), p.getInt("image-size"),
                            p.getInt("feature-cube"), p.getInt("channels"), p.getInt("style-dim"), p.getInt("slabs")),
                    p.getDouble("head-fraction"), new Ct2xTraining.Weights(p.getDouble("reconstruction-weight"),
                            p.getDouble("perceptual-weight"), p.getDouble("content-weight"),
                            p.getDouble("style-weight"), p.getDouble("zero-weight"),
                            p.getDouble("adversarial-weight"), p.getDouble("r1-gamma"), p.getInt("r1-every")),
                    p.getInt("evaluation-cts"));
        }
    }

    /** Held-out measures of CT2X-GAN and of the DRR-as-X-ray baseline. */
    private record Evaluation(Ct2xEvaluation.Distribution model, Ct2xEvaluation.Distribution drrBaseline,
            Ct2xEvaluation.Paired drrStyle, Ct2xEvaluation.Paired head, double headLpips, int views) {
    }

    @Override
    public TrainingResult train(TrainingRequest request, IProgressMonitor monitor) throws CoreException {
        Settings settings = TrainedModels.settings(request, Settings::of);
        InvesaliusHeadCt head;
        try {
            head = InvesaliusHeadCt.readInstalled();
        } catch (IOException e) {
            if (settings.headFraction() > 0) {
                throw new CoreException(Status.error("head-fraction " + settings.headFraction() + " needs the real "
                        + "head CT: " + e.getMessage()));
            }
            head = null;
        }
        InvesaliusHeadCt headCt = head;
        return TrainedModels.inEngine(() -> runTraining(request, settings, headCt, monitor));
    }

    private static TrainingResult runTraining(TrainingRequest request, Settings settings, InvesaliusHeadCt head,
            IProgressMonitor monitor) throws IOException {
        SubMonitor progress = SubMonitor.convert(monitor, "Training CT2X-GAN", 100);
        Ct2xNetwork.Config config = settings.config();
        Ct2xData data = new Ct2xData(config.ctSize(), config.imageSize(), Radiographs.PAPER_ANGLES,
                settings.headFraction(), head);
        long dataSeed = new SplittableRandom(request.seed()).nextLong();
        try (Model model = Model.newInstance(ID, Devices.resolve(request.device()), MlEngine.ENGINE_NAME);
                NDManager featureManager = NDManager.newBaseManager(Devices.resolve(request.device()),
                        MlEngine.ENGINE_NAME)) {
            Ct2xNetwork network = new Ct2xNetwork(config);
            model.setBlock(network);
            NDManager manager = model.getNDManager();
            RandomFeatures perceptual = new RandomFeatures(featureManager, PERCEPTUAL_SEED, PERCEPTUAL_WIDTHS);
            Ct2xTraining training = new Ct2xTraining(network, data, perceptual, settings.weights());
            TrainingLoop.Settings loopSettings = TrainingLoop.Settings.of(settings.steps(), settings.batchSize(),
                    settings.checkpointEvery()).withMemoryBudget(JobPreferences.memoryBudgetMb());
            TrainingLoop loop = new TrainingLoop(new Checkpoints(request.checkpointDir(), ID), network, new Shape[0],
                    manager, new Adam(settings.learningRate(), 0.5, 0.999, 1e-8, 0), loopSettings);
            TrainingLoop.Result result = loop.run(request.seed(), request.resume(),
                    (scope, step, random) -> training.loss(scope, training.batch(scope, settings.batchSize(),
                            new SplittableRandom(TrainingLoop.stepSeed(dataSeed, step))), step).total(),
                    null, request.progress(), progress.split(80));
            Ct2xModel trained = new Ct2xModel(config, meanStyle(network, data, manager, true, request.seed()),
                    meanStyle(network, data, manager, false, request.seed()));
            Evaluation evaluation = evaluate(network, trained, data, settings, head, request.seed(), manager);
            progress.split(15);
            String weightSha256 = TrainedModels.saveWeights(model, request.outputDir(), ID);
            Files.writeString(request.outputDir().resolve(ModelCard.FILE_NAME), modelCard(request, settings, trained,
                    result, evaluation, TrainedModels.parameterCount(network), weightSha256, head != null));
            progress.split(5);
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("fid-baseline", evaluation.model().fid());
            metrics.put("kid-baseline", evaluation.model().kid());
            metrics.put("lpips-random-features", evaluation.model().lpips());
            metrics.put("psnr-drr", evaluation.drrStyle().psnr());
            metrics.put("ssim-drr", evaluation.drrStyle().ssim());
            return new TrainingResult(result.stepsDone(), result.losses(), ID, weightSha256, metrics,
                    MlEngine.engineVersions());
        }
    }

    /**
     * The mean style code of {@value #STYLE_SAMPLES} training-distribution images: radiograph-style images through the
     * X-ray style encoder, or DRRs through the DRR style encoder.
     */
    private static float[] meanStyle(Ct2xNetwork network, Ct2xData data, NDManager manager, boolean xray, long seed) {
        SplittableRandom random = new SplittableRandom(seed + (xray ? 1 : 2));
        int s = data.imageSize();
        float[] images = new float[STYLE_SAMPLES * s * s];
        for (int i = 0; i < STYLE_SAMPLES; i++) {
            Ct2xData.View view = data.view(random);
            System.arraycopy(Ct2xModel.toModel(xray ? view.radiograph() : view.drr()), 0, images, i * s * s, s * s);
        }
        return NDScopes.compute(manager, scope -> {
            NDArray batch = scope.create(images, new Shape(STYLE_SAMPLES, 1, s, s));
            ParameterStore ps = new ParameterStore(scope, false);
            NDArray codes = xray ? network.xrayStyle(ps, batch, false) : network.drrStyle(ps, batch, false);
            return codes.mean(new int[] {0}).toFloatArray();
        });
    }

    private static Evaluation evaluate(Ct2xNetwork network, Ct2xModel trained, Ct2xData data, Settings settings,
            InvesaliusHeadCt head, long seed, NDManager manager) {
        // torsos only: the held-out CTs are new phantoms, never the head the training may have seen
        Ct2xData torsos = new Ct2xData(data.ctSize(), data.imageSize(), Radiographs.PAPER_ANGLES, 0, null);
        Ct2xEvaluation.HeldOut heldOut = Ct2xEvaluation.heldOut(torsos, Radiographs.PAPER_ANGLES,
                settings.evaluationCts(), seed + HELD_OUT_SEED_OFFSET);
        int s = data.imageSize();
        List<float[]> xray = Ct2xEvaluation.render(network, manager, heldOut, trained.xrayStyle());
        List<float[]> drrStyle = Ct2xEvaluation.render(network, manager, heldOut, trained.drrStyle());
        Ct2xEvaluation.Distribution model = Ct2xEvaluation.distribution(xray, heldOut.radiographs(), s, manager,
                seed);
        Ct2xEvaluation.Distribution baseline = Ct2xEvaluation.distribution(heldOut.drrs(), heldOut.radiographs(), s,
                manager, seed);
        Ct2xEvaluation.Paired paired = Ct2xEvaluation.paired(drrStyle, heldOut.drrs(), s);
        Ct2xEvaluation.Paired headPaired = null;
        double headLpips = Double.NaN;
        if (head != null) {
            Ct2xData headData = new Ct2xData(data.ctSize(), data.imageSize(), Radiographs.PAPER_ANGLES, 1, head);
            Ct2xEvaluation.HeldOut headViews = new Ct2xEvaluation.HeldOut(
                    List.of(CtVolumes.head(head, data.ctSize())), Radiographs.PAPER_ANGLES, new ArrayList<>(),
                    new ArrayList<>());
            SplittableRandom random = new SplittableRandom(seed + HELD_OUT_SEED_OFFSET + 1);
            for (double angle : Radiographs.PAPER_ANGLES) {
                Ct2xData.View view = headData.view(headViews.cts().get(0), angle, random);
                headViews.drrs().add(view.drr());
                headViews.radiographs().add(view.radiograph());
            }
            headPaired = Ct2xEvaluation.paired(Ct2xEvaluation.render(network, manager, headViews,
                    trained.drrStyle()), headViews.drrs(), s);
            headLpips = Ct2xEvaluation.lpips(Ct2xEvaluation.render(network, manager, headViews,
                    trained.xrayStyle()), headViews.radiographs(), s, manager);
        }
        return new Evaluation(model, baseline, paired, headPaired, headLpips, xray.size());
    }

    private static String modelCard(TrainingRequest request, Settings settings, Ct2xModel trained,
            TrainingLoop.Result result, Evaluation evaluation, long parameterCount, String weightSha256,
            boolean headInstalled) {
        Ct2xNetwork.Config config = settings.config();
        Ct2xTraining.Weights w = settings.weights();
        List<String> card = TrainedModels.openCard(Ct2xModel.TRAINER, ID);
        card.add("name: " + ModelCardYaml.scalar("CT2X-GAN (CT " + config.ctSize() + "³ → multi-view X-ray "
                + config.imageSize() + "², style disentanglement)"));
        card.add("task: ct-to-xray");
        card.add("specialty: radiography");
        card.add("modality: DX");
        card.add("generator: radiography.ct2x");
        card.add("synthetic: " + ModelCardYaml.scalar("every image this model makes is synthetic"));
        card.addAll(trained.cardLines(parameterCount));
        card.add("input: " + ModelCardYaml.scalar("a CT volume in HU, resampled into a " + config.ctSize()
                + "³ cube of its largest extent, normalised (HU + 1000) / 2000 clipped to [0, 1.5]; gantry angles in "
                + "degrees (C-arm about patient z, source " + number(Radiographs.SOURCE_TO_OBJECT_MM) + " mm from the "
                + "centre, detector at " + number(Radiographs.SOURCE_TO_DETECTOR_MM) + " mm)"));
        card.add("output: " + ModelCardYaml.scalar(config.imageSize() + "² radiographs in [0, 1], bone bright, one "
                + "per angle, in the X-ray style (mean X-ray style code) or the DRR style (mean DRR style code)"));
        card.add("training:");
        card.add("  data: " + ModelCardYaml.scalar("CT cubes drawn on the fly, seed " + request.seed() + ": varied "
                + "torso phantoms (TorsoPhantom scaled, turned, shifted, bone and soft-tissue HU varied)"
                + (settings.headFraction() > 0 ? " and, with probability " + number(settings.headFraction())
                        + ", the real InVesalius head CT in a varied pose (turn ±15°, scale, shift, mirror)" : "")
                + "; views at the paper's C-arm sweep −60°…60° every 30°; DRRs at " + number(Radiographs.DRR_KVP)
                + " kVp (Siddon, line integral / " + number(Radiographs.DRR_FULL_SCALE) + "); unpaired "
                + "radiograph-style images of other draws (polychromatic 35/65 keV, heel effect, scatter glow, "
                + "Poisson noise, log + window + unsharp mask + tone curve, collimation)"));
        card.addAll(TrainedModels.runLines(request, result));
        card.add("  batch-size: " + settings.batchSize());
        card.add("  optimizer: " + ModelCardYaml.scalar("Adam (beta1 0.5, beta2 0.999), learning rate "
                + number(settings.learningRate()) + ", one optimiser over generator and discriminator, simultaneous "
                + "updates (each sees the other's term detached)"));
        card.add("  loss: " + ModelCardYaml.scalar(number(w.reconstruction()) + "·MAE + " + number(w.perceptual())
                + "·perceptual (random conv features) on DRRs + " + number(w.content()) + "·content consistency + "
                + number(w.style()) + "·style consistency + " + number(w.zero()) + "·zero loss + "
                + number(w.adversarial()) + "·non-saturating adversarial (pose-aware PatchGAN) + R1 γ/2 with γ = "
                + number(w.r1Gamma()) + (w.r1Every() > 1 ? " every " + w.r1Every() + " steps (× " + w.r1Every()
                        + ", lazy)" : " every step")));
        card.addAll(TrainedModels.outcomeLines(request, result));
        card.add("  paper-settings: " + ModelCardYaml.scalar("parameter defaults follow the paper where it states "
                + "them (256² views, C-arm −60°…60° every 30°, R1, AdaIN generator, pose attention); its CT size, "
                + "widths and loss weights are not all stated, the defaults are MedSynth's choices"));
        card.add("metrics:");
        card.add("  held-out: " + ModelCardYaml.scalar(settings.evaluationCts() + " torso phantoms from seed "
                + (request.seed() + HELD_OUT_SEED_OFFSET)
                + " at 5 angles (" + evaluation.views() + " views); radiograph-style references with their own noise"));
        card.add("  features: " + ModelCardYaml.scalar(new BaselineFeatureExtractor().description()));
        card.add("  lpips-features: " + ModelCardYaml.scalar("LPIPS-style unweighted distance (PerceptualLoss) on "
                + "frozen random conv features, seed " + Ct2xEvaluation.LPIPS_SEED + ", widths 16-32-64, paired with "
                + "the radiograph-style image of the same view; no pretrained network exists offline"));
        distributionLines(card, "xray", evaluation.model());
        distributionLines(card, "baseline-drr", evaluation.drrBaseline());
        card.add("  baseline: " + ModelCardYaml.scalar("baseline-drr: the DRR itself taken as the X-ray"));
        card.add("  psnr-drr-style: " + number(evaluation.drrStyle().psnr()));
        card.add("  ssim-drr-style: " + number(evaluation.drrStyle().ssim()));
        if (evaluation.head() != null) {
            card.add("  head-ct: " + ModelCardYaml.scalar("the real InVesalius head CT at 5 angles"
                    + (settings.headFraction() > 0 ? " (seen in training in varied poses: not held out)" : "")));
            card.add("  head-psnr-drr-style: " + number(evaluation.head().psnr()));
            card.add("  head-ssim-drr-style: " + number(evaluation.head().ssim()));
            card.add("  head-lpips-xray: " + number(evaluation.headLpips()));
        } else if (!headInstalled) {
            card.add("  head-ct: " + ModelCardYaml.scalar("not measured: the head CT package is not installed"));
        }
        return TrainedModels.closeCard(card, "L. Tan, S. Song, K. Zhou, C. Duan, L. Wang, H. Ren, L. Liu, W. Zhang, "
                + "R. Xiao: Multi-view X-ray Image Synthesis with Multiple Domain Disentanglement from CT Scans "
                + "(CT2X-GAN). ACM Multimedia 2024, arXiv:2404.11889", ID, weightSha256);
    }

    private static void distributionLines(List<String> card, String name, Ct2xEvaluation.Distribution d) {
        card.add("  fid-" + name + ": " + number(d.fid()));
        card.add("  kid-" + name + ": " + number(d.kid()));
        card.add("  kid-" + name + "-sd: " + number(d.kidSd()));
        card.add("  lpips-" + name + ": " + number(d.lpips()));
        for (String warning : d.warnings()) {
            card.add("  warning: " + ModelCardYaml.scalar(warning));
        }
    }
}
