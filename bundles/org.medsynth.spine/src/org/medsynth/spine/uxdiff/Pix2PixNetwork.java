package org.medsynth.spine.uxdiff;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.medsynth.ml.NDScopes;
import org.medsynth.ml.nn.Conditioning;
import org.medsynth.ml.nn.ExplicitBlock;
import org.medsynth.ml.nn.PatchGan;
import org.medsynth.ml.nn.UNet;
import org.medsynth.ml.nn.UNetConfig;
import org.medsynth.ml.weights.ModelCard;
import org.medsynth.ml.weights.ModelCardYaml;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;

/**
 * The pix2pix baseline (Isola et al. 2017) of UXDiff, as its card records it: a U-Net generator from ultrasound to
 * radiograph ({@code generator}: MedSynth's U-Net with its time input held at 0, tanh output) and a conditional
 * PatchGAN discriminator on the (ultrasound, radiograph) pair ({@code discriminator}: 70×70-style, three stride-2
 * layers, one scale). Images in the model units of {@link SpinePairs}.
 */
record Pix2PixNetwork(int columns, int baseChannels, int[] multipliers, int resBlocks, int discriminatorChannels) {
    static final String ARCHITECTURE = "pix2pix";
    /** Stride-2 layers of the PatchGAN, as pix2pix's 70×70 discriminator. */
    static final int DISCRIMINATOR_LAYERS = 3;

    /** Generator and discriminator in one block, so that one training loop checkpoints and saves both. */
    static final class Model extends ExplicitBlock {
        private final UNet generator;
        private final PatchGan discriminator;

        Model(UNetConfig generator, PatchGan discriminator) {
            this.generator = child("generator", new UNet(generator));
            this.discriminator = child("discriminator", discriminator);
        }

        /** The radiograph (N, 1, H, W) the generator makes of ultrasounds (N, 1, H, W). */
        NDArray generate(ParameterStore parameters, NDArray ultrasound, boolean training) {
            NDArray time = ultrasound.getManager().zeros(new Shape(ultrasound.getShape().get(0)));
            return Activation.tanh(generator.apply(parameters, ultrasound, time, Conditioning.NONE, training));
        }

        /** The discriminator's patch logits of (ultrasound, radiograph) pairs. */
        NDArray discriminate(ParameterStore parameters, NDArray ultrasound, NDArray radiograph, boolean training) {
            return discriminator.apply(parameters, ultrasound.concat(radiograph, 1), training).get(0);
        }

        @Override
        protected NDList compute(ParameterStore parameters, NDList inputs, boolean training) {
            return new NDList(generate(parameters, inputs.singletonOrThrow(), training));
        }
    }

    int rows() {
        return SpinePairs.ASPECT * columns;
    }

    UNetConfig generatorConfig() {
        return UNetConfig.of(2, 1, 1, baseChannels, multipliers).withResBlocks(resBlocks);
    }

    Model build() {
        return new Model(generatorConfig(), new PatchGan(2, 2, discriminatorChannels, DISCRIMINATOR_LAYERS, 1));
    }

    /** Radiographs (model units, one array each) of ultrasounds (model units, one array each). */
    List<float[]> translate(Model model, List<float[]> ultrasounds, NDManager manager) {
        int pixels = columns * rows();
        float[] source = new float[ultrasounds.size() * pixels];
        for (int i = 0; i < ultrasounds.size(); i++) {
            System.arraycopy(ultrasounds.get(i), 0, source, i * pixels, pixels);
        }
        float[] result = NDScopes.compute(manager, scope -> model.generate(new ParameterStore(scope, false),
                scope.create(source, new Shape(ultrasounds.size(), 1, rows(), columns)), false).toFloatArray());
        return UxdiffTrainer.split(result, pixels);
    }

    /** The card's architecture section. */
    List<String> cardLines(long parameterCount) {
        String levels = Arrays.stream(multipliers).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        return List.of(
                "architecture:",
                "  name: " + ARCHITECTURE,
                "  description: " + ModelCardYaml.scalar(String.format(Locale.ROOT, "pix2pix: U-Net generator (%d base "
                        + "channels, multipliers [%s], %d residual block(s) per level, time input held at 0, tanh "
                        + "output) from ultrasound to radiograph; conditional PatchGAN discriminator (%d base "
                        + "channels, %d stride-2 layers, one scale) on the (ultrasound, radiograph) pair",
                        baseChannels, levels, resBlocks, discriminatorChannels, DISCRIMINATOR_LAYERS)),
                "  image-columns: " + columns,
                "  image-rows: " + rows(),
                "  base-channels: " + baseChannels,
                "  multipliers: " + ModelCardYaml.scalar(levels),
                "  res-blocks: " + resBlocks,
                "  discriminator-channels: " + discriminatorChannels,
                "  parameters: " + parameterCount,
                "  intensity: " + ModelCardYaml.scalar("x-ray: min-max of each radiograph to [-1, 1]; ultrasound: "
                        + "divided by its 99th percentile, clipped to [0, 1], mapped to [-1, 1]"));
    }

    static Pix2PixNetwork fromCard(ModelCard card) throws IOException {
        Pix2PixNetwork network = new Pix2PixNetwork(card.integer("architecture.image-columns"),
                card.integer("architecture.base-channels"), card.integers("architecture.multipliers"),
                card.integer("architecture.res-blocks"), card.integer("architecture.discriminator-channels"));
        try {
            network.generatorConfig();
        } catch (IllegalArgumentException e) {
            throw new IOException(card.file() + ": " + e.getMessage(), e);
        }
        return network;
    }
}
