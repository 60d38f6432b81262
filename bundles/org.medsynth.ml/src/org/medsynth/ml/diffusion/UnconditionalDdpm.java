package org.medsynth.ml.diffusion;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.IProgressMonitor;
import org.medsynth.ml.NDScopes;
import org.medsynth.ml.nn.Conditioning;
import org.medsynth.ml.nn.UNet;
import org.medsynth.ml.nn.UNetConfig;
import org.medsynth.ml.weights.ModelCard;
import org.medsynth.ml.weights.ModelCardYaml;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * An unconditional DDPM (Ho et al. 2020) of single-channel square images: a 2D U-Net that predicts the noise ε of
 * x_t, and its noise schedule, as the model card records them so that a generator rebuilds exactly what its trainer
 * trained. Images are in the model's units (about [−1, 1]); each module maps its own intensities in and out.
 */
public record UnconditionalDdpm(int size, int baseChannels, int[] multipliers, int resBlocks, int attentionLevel,
        int heads, String schedule, int trainingSteps) {
    public static final String ARCHITECTURE = "unet-ddpm";
    public static final Prediction PREDICTION = Prediction.EPSILON;

    /**
     * Checks what a trainer needs before it starts: a known schedule, a size the U-Net can halve at every level and
     * no more sampling steps than diffusion steps.
     *
     * @throws IllegalArgumentException naming the setting that is wrong
     */
    public void checkTrainable(int samplingSteps) {
        noiseSchedule();
        if (size % config().sizeDivisor() != 0) {
            throw new IllegalArgumentException("size must be a multiple of " + config().sizeDivisor()
                    + " for this U-Net, got " + size);
        }
        if (samplingSteps > trainingSteps) {
            throw new IllegalArgumentException("sampling-steps (" + samplingSteps + ") cannot exceed "
                    + "diffusion-steps (" + trainingSteps + ")");
        }
    }

    public UNetConfig config() {
        return UNetConfig.of(2, 1, 1, baseChannels, multipliers).withResBlocks(resBlocks).withAttention(heads,
                attentionLevel);
    }

    public UNet build() {
        return new UNet(config());
    }

    public NoiseSchedule noiseSchedule() {
        return NoiseSchedule.named(schedule, trainingSteps);
    }

    public DiffusionSampler sampler() {
        return new DiffusionSampler(noiseSchedule(), PREDICTION, true);
    }

    /** The network's noise prediction for x_t at steps t (N), in inference or training mode. */
    public static NDArray predict(UNet network, NDArray xt, NDArray t, boolean training) {
        return network.apply(new ParameterStore(xt.getManager(), false), xt, t, Conditioning.NONE, training);
    }

    /**
     * The ε-prediction loss E‖ε − ε_θ(√ᾱ_t x_0 + √(1−ᾱ_t) ε, t)‖² on {@code count} images, each drawn by
     * {@code draw} (size² values in model units) and then given its own step t, both from {@code random}, which
     * then gives the noise.
     */
    public NDArray epsilonLoss(UNet network, int count, Function<SplittableRandom, float[]> draw, NDManager scope,
            SplittableRandom random) {
        NoiseSchedule noise = noiseSchedule();
        int pixels = size * size;
        float[] clean = new float[count * pixels];
        float[] signal = new float[count];
        float[] noiseScale = new float[count];
        float[] steps = new float[count];
        for (int i = 0; i < count; i++) {
            System.arraycopy(draw.apply(random), 0, clean, i * pixels, pixels);
            int t = random.nextInt(noise.steps());
            steps[i] = t;
            signal[i] = (float) Math.sqrt(noise.alphaBar(t));
            noiseScale[i] = (float) Math.sqrt(1 - noise.alphaBar(t));
        }
        Shape shape = new Shape(count, 1, size, size);
        Shape perImage = new Shape(count, 1, 1, 1);
        NDArray x0 = scope.create(clean, shape);
        NDArray epsilon = DiffusionSampler.gaussian(scope, shape, random);
        NDArray xt = x0.mul(scope.create(signal, perImage)).add(epsilon.mul(scope.create(noiseScale, perImage)));
        NDArray predicted = predict(network, xt, scope.create(steps, new Shape(count)), true);
        return predicted.sub(epsilon).square().mean();
    }

    /**
     * {@code count} samples (count × size² values in model units, image after image) from Gaussian noise drawn from
     * {@code random}: DDIM with {@code steps} steps and {@code eta}, or, with {@code steps} = 0, ancestral DDPM
     * sampling over all steps.
     */
    public float[] sample(UNet network, int count, int steps, double eta, SplittableRandom random,
            NDManager manager, IProgressMonitor monitor) {
        DiffusionSampler sampler = sampler();
        Denoiser denoiser = (xt, t) -> predict(network, xt, t, false);
        return NDScopes.compute(manager, scope -> {
            NDArray start = DiffusionSampler.gaussian(scope, new Shape(count, 1, size, size), random);
            NDArray x0 = steps == 0 ? sampler.ddpm(denoiser, start, random, StepHook.NONE, monitor)
                    : sampler.ddim(denoiser, start, steps, eta, random, StepHook.NONE, monitor);
            return x0.toFloatArray();
        });
    }

    /** The card's architecture and diffusion sections; {@code intensity} says how image values map to the model's. */
    public List<String> cardLines(long parameterCount, String intensity) {
        String levels = Arrays.stream(multipliers).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        return List.of(
                "architecture:",
                "  name: " + ARCHITECTURE,
                "  description: " + ModelCardYaml.scalar(String.format(Locale.ROOT, "2D U-Net, %d base channels, "
                        + "multipliers [%s], %d residual block(s) per level with group norm and sinusoidal time "
                        + "embedding, self-attention (%d heads) at level %d, upsampling by nearest neighbour + "
                        + "convolution; predicts the noise", baseChannels, levels, resBlocks, heads,
                        attentionLevel)),
                "  base-channels: " + baseChannels,
                "  multipliers: " + ModelCardYaml.scalar(levels),
                "  res-blocks: " + resBlocks,
                "  attention-level: " + attentionLevel,
                "  heads: " + heads,
                "  image-size: " + size,
                "  parameters: " + parameterCount,
                "diffusion:",
                "  schedule: " + schedule,
                "  training-steps: " + trainingSteps,
                "  prediction: " + PREDICTION.id(),
                "  intensity: " + ModelCardYaml.scalar(intensity));
    }

    public static UnconditionalDdpm fromCard(ModelCard card) throws IOException {
        String prediction = card.text("diffusion.prediction");
        if (!prediction.equals(PREDICTION.id())) {
            throw new IOException(card.file() + ": diffusion.prediction is '" + prediction + "'; this generator runs"
                    + " " + PREDICTION.id() + "-prediction models");
        }
        UnconditionalDdpm network = new UnconditionalDdpm(card.integer("architecture.image-size"),
                card.integer("architecture.base-channels"), card.integers("architecture.multipliers"),
                card.integer("architecture.res-blocks"), card.integer("architecture.attention-level"),
                card.integer("architecture.heads"), card.text("diffusion.schedule"),
                card.integer("diffusion.training-steps"));
        try {
            network.config();
            network.noiseSchedule();
        } catch (IllegalArgumentException e) {
            throw new IOException(card.file() + ": " + e.getMessage(), e);
        }
        return network;
    }
}
