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
import org.medsynth.ml.loss.AdversarialLoss;
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
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * Trains the pix2pix baseline of UXDiff on the same paired spines: the conditional GAN objective (non-saturating, in
 * softplus form) plus λ·L1 between the generated and the true radiograph (λ = 100 as in pix2pix), Adam (β1 = 0.5).
 * Generator and discriminator train in one step of one {@link TrainingLoop} (one checkpoint, bit-identical resume):
 * the step's loss is
 * <pre>
 *   L = L_D(D(u, x), D(u, sg(G(u)))) + [L_G(D(u, G(u))) − L_G(D(u, sg(G(u))))] + λ |G(u) − x|₁
 * </pre>
 * The bracket is zero in value, and its second term takes from the discriminator exactly the gradient the first
 * gives it: the generator gets the gradient of its adversarial and L1 losses, the discriminator that of its own
 * loss, as in alternating updates computed on the same batch. The recorded loss is therefore L_D + λ·L1.
 */
public final class Pix2PixTrainer implements Trainer {
    static final String ID = "spine-uxdiff-pix2pix";
    static final String TRAINER = "spine.uxdiff-pix2pix";
    static final String GENERATOR = "spine.uxdiff-pix2pix-generate";
    private static final AdversarialLoss ADVERSARIAL = AdversarialLoss.NON_SATURATING;

    private record Settings(int steps, int batchSize, double learningRate, int checkpointEvery, int size,
            int baseChannels, int discriminatorChannels, double l1Weight, int trainingSpines, int evaluationSpines,
            String dataset) {
        static Settings of(ParameterValues p) {
            return new Settings(p.getInt("steps"), p.getInt("batch-size"), p.getDouble("learning-rate"),
                    p.getInt("checkpoint-every"), p.getInt("size"), p.getInt("base-channels"),
                    p.getInt("discriminator-channels"), p.getDouble("l1-weight"), p.getInt("training-spines"),
                    p.getInt("evaluation-spines"), p.getString("dataset").strip());
        }

        Pix2PixNetwork network() {
            return new Pix2PixNetwork(size, baseChannels, new int[] {1, 2, 2, 4}, 1, discriminatorChannels);
        }
    }

    @Override
    public TrainingResult train(TrainingRequest request, IProgressMonitor monitor) throws CoreException {
        Settings settings = Settings.of(request.parameters());
        Pix2PixNetwork spec = settings.network();
        int divisor = Math.max(spec.generatorConfig().sizeDivisor(), 1 << Pix2PixNetwork.DISCRIMINATOR_LAYERS);
        if (settings.size() % divisor != 0) {
            throw new CoreException(Status.error(TRAINER + ": size must be a multiple of " + divisor + ", got "
                    + settings.size()));
        }
        return TrainedModels.inEngine(() -> runTraining(request, settings, spec, monitor));
    }

    private static TrainingResult runTraining(TrainingRequest request, Settings settings, Pix2PixNetwork spec,
            IProgressMonitor monitor) throws IOException {
        SubMonitor progress = SubMonitor.convert(monitor, "Training pix2pix", 100);
        SpinePairs.Split data = SpinePairs.split(settings.dataset(), settings.trainingSpines(),
                settings.evaluationSpines(), settings.size(), request.seed(), progress.split(10));
        long dataSeed = new SplittableRandom(request.seed()).nextLong();
        try (Model model = Model.newInstance(ID, Devices.resolve(request.device()), MlEngine.ENGINE_NAME)) {
            Pix2PixNetwork.Model network = spec.build();
            model.setBlock(network);
            NDManager manager = model.getNDManager();
            TrainingLoop.Settings loopSettings = TrainingLoop.Settings.of(settings.steps(), settings.batchSize(),
                    settings.checkpointEvery()).withMemoryBudget(JobPreferences.memoryBudgetMb());
            TrainingLoop loop = new TrainingLoop(new Checkpoints(request.checkpointDir(), ID), network, new Shape[0],
                    manager, new Adam(settings.learningRate(), 0.5, 0.999, 1e-8, 0), loopSettings);
            TrainingLoop.Result result = loop.run(request.seed(), request.resume(),
                    (scope, step, random) -> loss(network, data.training().batch(settings.batchSize(),
                            new SplittableRandom(TrainingLoop.stepSeed(dataSeed, step))), settings.l1Weight(), scope),
                    null, request.progress(), progress.split(80));
            List<float[]> translated = spec.translate(network, data.heldOut().ultrasounds(), manager);
            HeldOutEvaluation evaluation = HeldOutEvaluation.of(data.heldOut(), translated);
            String weightSha256 = TrainedModels.saveWeights(model, request.outputDir(), ID);
            Files.writeString(request.outputDir().resolve(ModelCard.FILE_NAME), modelCard(request, settings, spec,
                    data, result, evaluation, TrainedModels.parameterCount(network), weightSha256));
            progress.split(10);
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("ssim", evaluation.ssimMean());
            metrics.put("psnr", evaluation.psnrMean());
            return new TrainingResult(result.stepsDone(), result.losses(), ID, weightSha256, metrics,
                    MlEngine.engineVersions());
        }
    }

    /** The joint generator/discriminator loss of one batch (see the class comment). */
    static NDArray loss(Pix2PixNetwork.Model network, SpinePairs.Batch batch, double l1Weight, NDManager scope) {
        Shape shape = new Shape(batch.count(), 1, batch.rows(), batch.columns());
        NDArray ultrasound = scope.create(batch.ultrasound(), shape);
        NDArray real = scope.create(batch.xray(), shape);
        ParameterStore parameters = new ParameterStore(scope, false);
        NDArray fake = network.generate(parameters, ultrasound, true);
        NDArray fakeHeld = fake.stopGradient();
        NDArray realLogits = network.discriminate(parameters, ultrasound, real, true);
        NDArray fakeLogits = network.discriminate(parameters, ultrasound, fake, true);
        NDArray heldLogits = network.discriminate(parameters, ultrasound, fakeHeld, true);
        NDArray discriminator = ADVERSARIAL.discriminator(realLogits, heldLogits);
        NDArray generator = ADVERSARIAL.generator(fakeLogits).sub(ADVERSARIAL.generator(heldLogits));
        return discriminator.add(generator).add(Scalars.times(PixelLosses.l1(fake, real), l1Weight));
    }

    private static String modelCard(TrainingRequest request, Settings settings, Pix2PixNetwork spec,
            SpinePairs.Split data, TrainingLoop.Result result, HeldOutEvaluation evaluation, long parameterCount,
            String weightSha256) {
        List<String> card = TrainedModels.openCard(TRAINER, ID);
        card.add("name: " + ModelCardYaml.scalar("pix2pix baseline of UXDiff: coronal spine ultrasound to AP "
                + "radiograph (" + settings.size() + " x " + SpinePairs.ASPECT * settings.size() + ")"));
        card.add("task: image-translation");
        card.add("specialty: spine");
        card.add("modality: DX");
        card.add("generator: " + GENERATOR);
        card.add("synthetic: " + ModelCardYaml.scalar("every radiograph this model makes is synthetic"));
        card.addAll(spec.cardLines(parameterCount));
        card.add("training:");
        card.add("  data: " + ModelCardYaml.scalar(data.description()));
        card.addAll(TrainedModels.runLines(request, result));
        card.add("  batch-size: " + settings.batchSize());
        card.add("  optimizer: " + ModelCardYaml.scalar("Adam, learning rate " + number(settings.learningRate())
                + ", beta1 0.5, beta2 0.999 (pix2pix); generator and discriminator updated in the same step"));
        card.add("  loss: " + ModelCardYaml.scalar("conditional GAN (non-saturating) + " + number(settings.l1Weight())
                + " x L1; recorded loss = discriminator loss + L1 term"));
        card.add("  l1-weight: " + number(settings.l1Weight()));
        card.addAll(TrainedModels.outcomeLines(request, result));
        card.add("  choices: " + ModelCardYaml.scalar("the generator is MedSynth's residual U-Net (time input 0) "
                + "rather than pix2pix's 8-level encoder-decoder, and has no dropout: a deterministic translation"));
        card.add("metrics:");
        card.add("  held-out: " + ModelCardYaml.scalar(evaluation.cases() + " held-out pairs; SSIM (scikit-image "
                + "defaults) and PSNR on radiographs normalised to [0, 1] (data range 1), mean and sample sd; Cobb "
                + "agreement: the major Cobb angle measured automatically on each generated radiograph against the "
                + "case's Cobb angle"));
        card.addAll(evaluation.cardLines("  "));
        return TrainedModels.closeCard(card, "P. Isola, J.-Y. Zhu, T. Zhou, A. A. Efros: Image-to-Image Translation "
                + "with Conditional Adversarial Networks. CVPR 2017", ID, weightSha256);
    }
}
