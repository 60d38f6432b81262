package org.medsynth.phantoms.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.IProgressMonitor;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.ml.NDScopes;
import org.medsynth.ml.weights.ModelCard;
import org.medsynth.ml.weights.ModelCardYaml;
import org.medsynth.ml.diffusion.Denoiser;
import org.medsynth.ml.diffusion.DiffusionSampler;
import org.medsynth.ml.diffusion.NoiseSchedule;
import org.medsynth.ml.diffusion.Prediction;
import org.medsynth.ml.diffusion.StepHook;
import org.medsynth.ml.nn.Conditioning;
import org.medsynth.ml.nn.UNet;
import org.medsynth.ml.nn.UNetConfig;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * The phantom DDPM (Ho et al. 2020): an unconditional 2D U-Net that predicts the noise ε of x_t, with its noise
 * schedule, as the model card records them so that the generator rebuilds exactly what the trainer trained. Images
 * are single-channel phantoms mapped from [0, 1] to the model's [−1, 1].
 */
record DdpmNetwork(int size, int baseChannels, int[] multipliers, int resBlocks, int attentionLevel, int heads,
        String schedule, int trainingSteps) {
    static final String ARCHITECTURE = "unet-ddpm";
    static final Prediction PREDICTION = Prediction.EPSILON;

    /** The model's value of phantom intensity {@code v} ∈ [0, 1]. */
    static float toModel(float v) {
        return 2 * v - 1;
    }

    /** The phantom intensity of model value {@code x} ∈ [−1, 1]. */
    static float toPhantom(float x) {
        return (x + 1) / 2;
    }

    UNetConfig config() {
        return UNetConfig.of(2, 1, 1, baseChannels, multipliers).withResBlocks(resBlocks).withAttention(heads,
                attentionLevel);
    }

    UNet build() {
        return new UNet(config());
    }

    NoiseSchedule noiseSchedule() {
        return NoiseSchedule.named(schedule, trainingSteps);
    }

    DiffusionSampler sampler() {
        return new DiffusionSampler(noiseSchedule(), PREDICTION, true);
    }

    /** The network's noise prediction for x_t at steps t (N), in inference or training mode. */
    static NDArray predict(UNet network, NDArray xt, NDArray t, boolean training) {
        return network.apply(new ParameterStore(xt.getManager(), false), xt, t, Conditioning.NONE, training);
    }

    /**
     * {@code count} samples as phantom images, from Gaussian noise drawn from {@code random}: DDIM with
     * {@code steps} steps and {@code eta}, or, with {@code steps} = 0, ancestral DDPM sampling over all steps.
     */
    List<MedicalImage<?>> sample(UNet network, int count, int steps, double eta, SplittableRandom random,
            NDManager manager, IProgressMonitor monitor) {
        DiffusionSampler sampler = sampler();
        Denoiser denoiser = (xt, t) -> predict(network, xt, t, false);
        float[] values = NDScopes.compute(manager, scope -> {
            NDArray start = DiffusionSampler.gaussian(scope, new Shape(count, 1, size, size), random);
            NDArray x0 = steps == 0 ? sampler.ddpm(denoiser, start, random, StepHook.NONE, monitor)
                    : sampler.ddim(denoiser, start, steps, eta, random, StepHook.NONE, monitor);
            return x0.toFloatArray();
        });
        List<MedicalImage<?>> images = new ArrayList<>();
        int pixels = size * size;
        for (int i = 0; i < count; i++) {
            float[] image = new float[pixels];
            for (int p = 0; p < pixels; p++) {
                image[p] = toPhantom(values[i * pixels + p]);
            }
            images.add(SheppLoganVariations.image(image, size));
        }
        return images;
    }

    /** The card's architecture and diffusion sections. */
    List<String> cardLines(long parameterCount) {
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
                "  intensity: " + ModelCardYaml.scalar("phantom units [0, 1] mapped to [-1, 1] (x = 2v - 1)"));
    }

    static DdpmNetwork fromCard(ModelCard card) throws IOException {
        String prediction = card.text("diffusion.prediction");
        if (!prediction.equals(PREDICTION.id())) {
            throw new IOException(card.file() + ": diffusion.prediction is '" + prediction + "'; this generator runs"
                    + " " + PREDICTION.id() + "-prediction models");
        }
        DdpmNetwork network = new DdpmNetwork(card.integer("architecture.image-size"),
                card.integer("architecture.base-channels"), card.integers("architecture.multipliers"), card.integer("architecture.res-blocks"),
                card.integer("architecture.attention-level"), card.integer("architecture.heads"),
                card.text("diffusion.schedule"), card.integer("diffusion.training-steps"));
        try {
            network.config();
            network.noiseSchedule();
        } catch (IllegalArgumentException e) {
            throw new IOException(card.file() + ": " + e.getMessage(), e);
        }
        return network;
    }
}
