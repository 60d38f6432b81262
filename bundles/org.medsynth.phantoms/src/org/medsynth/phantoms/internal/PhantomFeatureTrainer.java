package org.medsynth.phantoms.internal;

import static org.medsynth.ml.weights.TrainedModels.number;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.medsynth.core.api.ParameterValues;
import org.medsynth.core.api.Trainer;
import org.medsynth.core.api.TrainingRequest;
import org.medsynth.core.api.TrainingResult;
import org.medsynth.data.phantom.Phantoms;
import org.medsynth.eval.ImageMetrics;
import org.medsynth.eval.TrainedFeatures;
import org.medsynth.ml.Devices;
import org.medsynth.ml.MlEngine;
import org.medsynth.ml.NDScopes;
import org.medsynth.ml.loss.ClassificationLosses;
import org.medsynth.ml.nn.ResNetEncoder;
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
import ai.djl.training.ParameterStore;

/**
 * Trains the feature network MedSynth ships for its distribution metrics ({@link TrainedFeatures}): a small 2D
 * ResNet learns to tell which degradation, if any, a Shepp–Logan variation went through (none, Gaussian noise,
 * Gaussian blur, pixelation), each at a random strength. A network that separates these has pooled features that
 * move when images get noisier, blurrier or blockier, which is what FID and KID on synthetic images must notice.
 * Cross-entropy, Adam, the shared {@link TrainingLoop} (checkpoints, bit-identical resume); held-out accuracy in the
 * model card.
 */
public final class PhantomFeatureTrainer implements Trainer {
    static final String ID = "phantom-features";
    static final long HELD_OUT_SEED_OFFSET = 3_000_003;
    private static final int HELD_OUT_COUNT = 256;

    /** The proxy task's classes. */
    enum Degradation {
        NONE("no degradation"),
        NOISE("additive Gaussian noise, sigma 0.02..0.15"),
        BLUR("Gaussian blur, sigma 0.7..2 px"),
        PIXELATION("block averaging over 2..4 px blocks");

        final String description;

        Degradation(String description) {
            this.description = description;
        }

        /** Applies this degradation, at a strength drawn from {@code random}, to a size × size phantom in place. */
        void apply(float[] image, int size, SplittableRandom random) {
            switch (this) {
                case NONE -> {
                }
                case NOISE -> Phantoms.addGaussianNoise(image, random.nextDouble(0.02, 0.15), random);
                case BLUR -> blur(image, size, random.nextDouble(0.7, 2));
                case PIXELATION -> pixelate(image, size, random.nextInt(2, 5));
            }
        }
    }

    private record Settings(int steps, int batchSize, double learningRate, int checkpointEvery, int size) {
        static Settings of(ParameterValues p) {
            return new Settings(p.getInt("steps"), p.getInt("batch-size"), p.getDouble("learning-rate"),
                    p.getInt("checkpoint-every"), p.getInt("size"));
        }
    }

    @Override
    public TrainingResult train(TrainingRequest request, IProgressMonitor monitor) throws CoreException {
        Settings settings = Settings.of(request.parameters());
        return TrainedModels.inEngine(() -> runTraining(request, settings, monitor));
    }

    private static TrainingResult runTraining(TrainingRequest request, Settings settings, IProgressMonitor monitor)
            throws IOException {
        SubMonitor progress = SubMonitor.convert(monitor, "Training the phantom feature network", 100);
        SheppLoganVariations phantoms = new SheppLoganVariations(settings.size());
        long dataSeed = new SplittableRandom(request.seed()).nextLong();
        int classes = Degradation.values().length;
        try (Model model = Model.newInstance(ID, Devices.resolve(request.device()), MlEngine.ENGINE_NAME)) {
            ResNetEncoder network = TrainedFeatures.network(classes);
            model.setBlock(network);
            NDManager manager = model.getNDManager();
            TrainingLoop loop = new TrainingLoop(new Checkpoints(request.checkpointDir(), ID), network, new Shape[0],
                    manager, new Adam(settings.learningRate()), TrainingLoop.Settings.of(settings.steps(),
                            settings.batchSize(), settings.checkpointEvery()));
            TrainingLoop.Result result = loop.run(request.seed(), request.resume(), (scope, step, random) -> {
                Batch batch = Batch.draw(phantoms, settings.batchSize(),
                        new SplittableRandom(TrainingLoop.stepSeed(dataSeed, step)));
                return ClassificationLosses.crossEntropy(logits(network, batch, scope, true),
                        scope.create(batch.labels()));
            }, null, request.progress(), progress.split(90));
            double accuracy = heldOutAccuracy(network, phantoms, request.seed(), manager);
            String weightSha256 = TrainedModels.saveWeights(model, request.outputDir(), ID);
            Files.writeString(request.outputDir().resolve(ModelCard.FILE_NAME), modelCard(request, settings, result,
                    accuracy, TrainedModels.parameterCount(network), weightSha256));
            progress.split(10);
            return new TrainingResult(result.stepsDone(), result.losses(), ID, weightSha256,
                    Map.of("held-out-accuracy", accuracy), MlEngine.engineVersions());
        }
    }

    /** Degraded phantoms as the network's inputs, with their classes. */
    private record Batch(float[] inputs, long[] labels, int count) {
        static Batch draw(SheppLoganVariations phantoms, int count, SplittableRandom random) {
            int size = phantoms.size();
            int pixels = TrainedFeatures.INPUT_SIZE * TrainedFeatures.INPUT_SIZE;
            float[] inputs = new float[count * pixels];
            long[] labels = new long[count];
            Degradation[] all = Degradation.values();
            for (int i = 0; i < count; i++) {
                Degradation degradation = all[random.nextInt(all.length)];
                float[] image = phantoms.sample(random);
                degradation.apply(image, size, random);
                System.arraycopy(TrainedFeatures.input(SheppLoganVariations.image(image, size)), 0, inputs, i * pixels,
                        pixels);
                labels[i] = degradation.ordinal();
            }
            return new Batch(inputs, labels, count);
        }
    }

    private static NDArray logits(ResNetEncoder network, Batch batch, NDManager scope, boolean training) {
        NDArray x = scope.create(batch.inputs(), new Shape(batch.count(), 1, TrainedFeatures.INPUT_SIZE,
                TrainedFeatures.INPUT_SIZE));
        return network.apply(new ParameterStore(scope, false), x, training);
    }

    private static double heldOutAccuracy(ResNetEncoder network, SheppLoganVariations phantoms, long seed,
            NDManager manager) {
        Batch heldOut = Batch.draw(phantoms, HELD_OUT_COUNT, new SplittableRandom(seed + HELD_OUT_SEED_OFFSET));
        long[] predicted = NDScopes.compute(manager, scope -> logits(network, heldOut, scope, false).argMax(1)
                .toType(DataType.INT64, false).toLongArray());
        int correct = 0;
        for (int i = 0; i < predicted.length; i++) {
            correct += predicted[i] == heldOut.labels()[i] ? 1 : 0;
        }
        return (double) correct / predicted.length;
    }

    /** Separable Gaussian blur, edges clamped. */
    static void blur(float[] image, int size, double sigma) {
        int radius = (int) Math.ceil(3 * sigma);
        double[] kernel = ImageMetrics.gaussianKernel(sigma, radius);
        float[] rows = new float[image.length];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double v = 0;
                for (int k = -radius; k <= radius; k++) {
                    v += kernel[k + radius] * image[y * size + Math.clamp(x + k, 0, size - 1)];
                }
                rows[y * size + x] = (float) v;
            }
        }
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double v = 0;
                for (int k = -radius; k <= radius; k++) {
                    v += kernel[k + radius] * rows[Math.clamp(y + k, 0, size - 1) * size + x];
                }
                image[y * size + x] = (float) v;
            }
        }
    }

    /** Replaces each block × block tile by its mean (partial tiles at the edges included). */
    static void pixelate(float[] image, int size, int block) {
        for (int by = 0; by < size; by += block) {
            for (int bx = 0; bx < size; bx += block) {
                int yEnd = Math.min(by + block, size);
                int xEnd = Math.min(bx + block, size);
                double sum = 0;
                for (int y = by; y < yEnd; y++) {
                    for (int x = bx; x < xEnd; x++) {
                        sum += image[y * size + x];
                    }
                }
                float mean = (float) (sum / ((yEnd - by) * (xEnd - bx)));
                for (int y = by; y < yEnd; y++) {
                    for (int x = bx; x < xEnd; x++) {
                        image[y * size + x] = mean;
                    }
                }
            }
        }
    }

    private static String modelCard(TrainingRequest request, Settings settings, TrainingLoop.Result result,
            double accuracy, long parameterCount, String weightSha256) {
        List<String> card = TrainedModels.openCard("phantom.features", ID);
        card.add("name: " + ModelCardYaml.scalar("Phantom feature network (ResNet features for FID/KID)"));
        card.add("task: feature-extraction");
        card.add("specialty: phantoms");
        card.add("modality: OT");
        card.add("evaluators: " + ModelCardYaml.scalar("fid, kid, precision-recall, density-coverage, mmd "
                + "(features=<this folder>)"));
        card.add("architecture:");
        card.add("  name: " + TrainedFeatures.ARCHITECTURE);
        card.add("  description: " + ModelCardYaml.scalar("2D ResNet encoder: 3x3 stem, stages of widths "
                + "16, 32, 64, 128 with one basic residual block each (group norm, stride-2 downsampling), global "
                + "average pooling to the " + TrainedFeatures.FEATURES + " features, linear head to the classes "
                + "(used only in training)"));
        card.add("  classes: " + Degradation.values().length);
        card.add("  features: " + TrainedFeatures.FEATURES);
        card.add("  parameters: " + parameterCount);
        card.add("input:");
        card.add("  axes: " + ModelCardYaml.scalar("2D grey images of any size"));
        card.add("  preprocessing: " + ModelCardYaml.scalar("min-max to [0, 1] per image, bilinear resize to "
                + TrainedFeatures.INPUT_SIZE + "x" + TrainedFeatures.INPUT_SIZE + " (align_corners=False), 2x - 1"));
        card.add("training:");
        card.add("  data: " + ModelCardYaml.scalar("procedural Shepp–Logan phantoms (" + settings.size() + "², seed "
                + request.seed() + ", contrast, flip and shift variations), each with one of the classes"));
        for (Degradation degradation : Degradation.values()) {
            card.add("  class-" + degradation.ordinal() + ": " + ModelCardYaml.scalar(degradation.description));
        }
        card.addAll(TrainedModels.runLines(request, result));
        card.add("  batch-size: " + settings.batchSize());
        card.add("  optimizer: " + ModelCardYaml.scalar("Adam, learning rate " + number(settings.learningRate())));
        card.add("  loss: cross-entropy");
        card.addAll(TrainedModels.outcomeLines(request, result));
        card.add("metrics:");
        card.add("  held-out: " + ModelCardYaml.scalar(HELD_OUT_COUNT + " degraded phantoms from seed "
                + (request.seed() + HELD_OUT_SEED_OFFSET)));
        card.add("  accuracy: " + number(accuracy));
        card.add("  chance: " + number(1.0 / Degradation.values().length));
        return TrainedModels.closeCard(card, "K. He, X. Zhang, S. Ren, J. Sun: Deep Residual Learning for "
                + "Image Recognition. CVPR 2016; M. Heusel et al.: GANs Trained by a Two Time-Scale Update Rule "
                + "Converge to a Local Nash Equilibrium (FID). NeurIPS 2017",
                ID, weightSha256);
    }
}
