package org.medsynth.radiography.tomography;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.medsynth.ml.nn.Conv;
import org.medsynth.ml.nn.ExplicitBlock;
import org.medsynth.ml.nn.Ops;
import org.medsynth.ml.weights.ModelCard;
import org.medsynth.ml.weights.ModelCardYaml;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.nn.Activation;

/**
 * The single-image tomography network of Henzler et al.: a 2D encoder–decoder whose output channels are the depth
 * slices of the volume. An x-ray (N, 1, size, size) goes down by stride-2 convolutions to a bottleneck of
 * bottleneck² positions and comes up by nearest-neighbour upsampling and convolutions, with a skip connection
 * (concatenation) from the encoder at every resolution it passes, to (N, depth, depth, depth): slice i of the
 * output is the density at depth i along the viewing ray, in the view's frame ({@code SingleImageTomography
 * .viewSlices}). The output is linear (a sigmoid saturates at the empty background and stops learning);
 * {@link Reconstruction} clips it to the densities' range [0, 1].
 *
 * <p>Widths: level l of the encoder (resolution size/2^l) has min(base·2^l, maxChannels) channels; the decoder
 * step arriving at a resolution has that resolution's encoder width. LeakyReLU (0.2) follows every convolution
 * but the last; there is no normalisation (the paper does not call for any).
 *
 * @param size         input x-ray side (pixels)
 * @param depth        output volume side: channels, rows and columns
 * @param bottleneck   side of the coarsest feature map
 * @param baseChannels channels at full input resolution
 * @param maxChannels  cap on the channels of the deeper levels
 */
public record TomographyNetwork(int size, int depth, int bottleneck, int baseChannels, int maxChannels) {
    /** Written to and checked in the model card. */
    public static final String ARCHITECTURE = "tomography-encoder-decoder";
    private static final float LEAK = 0.2f;

    public TomographyNetwork {
        if (!powerOfTwoMultiple(size, depth) || !powerOfTwoMultiple(depth, bottleneck) || bottleneck < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "the input size (%d), output depth (%d) and"
                    + " bottleneck (%d) must each be a power-of-two multiple of the next", size, depth, bottleneck));
        }
        if (baseChannels < 1 || maxChannels < baseChannels) {
            throw new IllegalArgumentException("channels must be positive and the cap (" + maxChannels
                    + ") at least the base (" + baseChannels + ")");
        }
    }

    /** Stride-2 steps from the input to the bottleneck. */
    public int encoderLevels() {
        return Integer.numberOfTrailingZeros(size / bottleneck);
    }

    /** Upsampling steps from the bottleneck to the output. */
    public int decoderLevels() {
        return Integer.numberOfTrailingZeros(depth / bottleneck);
    }

    /** Channels of encoder level {@code level} (resolution size / 2^level). */
    public int channels(int level) {
        return (int) Math.min((long) baseChannels << level, maxChannels);
    }

    /** A new, uninitialised network of this shape. */
    public Net build() {
        return new Net(this);
    }

    /** The card's architecture section. */
    public List<String> cardLines(long parameterCount) {
        return List.of(
                "architecture:",
                "  name: " + ARCHITECTURE,
                "  description: " + ModelCardYaml.scalar(String.format(Locale.ROOT, "2D encoder-decoder with depth "
                        + "as channels (Henzler et al.): %d² x-ray in, %d stride-2 levels to a %d² bottleneck, %d "
                        + "upsampling steps with skip connections to %d channels of %d² = a %d³ density volume in the "
                        + "view's frame; widths %d doubling per level up to %d, LeakyReLU 0.2, linear output clipped to [0, 1] at inference",
                        size, encoderLevels(), bottleneck, decoderLevels(), depth, depth, depth, baseChannels,
                        maxChannels)),
                "  input-size: " + size,
                "  depth: " + depth,
                "  bottleneck: " + bottleneck,
                "  base-channels: " + baseChannels,
                "  max-channels: " + maxChannels,
                "  parameters: " + parameterCount);
    }

    /** The network the card describes. */
    public static TomographyNetwork fromCard(ModelCard card) throws IOException {
        try {
            return new TomographyNetwork(card.integer("architecture.input-size"), card.integer("architecture.depth"),
                    card.integer("architecture.bottleneck"), card.integer("architecture.base-channels"),
                    card.integer("architecture.max-channels"));
        } catch (IllegalArgumentException e) {
            throw new IOException(card.file() + ": " + e.getMessage(), e);
        }
    }

    private static boolean powerOfTwoMultiple(int larger, int smaller) {
        return smaller >= 1 && larger >= smaller && larger % smaller == 0 && Integer.bitCount(larger / smaller) == 1;
    }

    /** The block: {@code stem}, {@code down.l} + {@code conv.l} per encoder level, {@code up.m}, {@code out}. */
    public static final class Net extends ExplicitBlock {
        private final TomographyNetwork spec;
        private final Conv stem;
        private final List<Conv> down = new ArrayList<>();
        private final List<Conv> convs = new ArrayList<>();
        private final List<Conv> up = new ArrayList<>();
        private final Conv out;

        Net(TomographyNetwork spec) {
            this.spec = spec;
            stem = child("stem", Conv.same(2, 1, spec.channels(0), 3));
            for (int level = 1; level <= spec.encoderLevels(); level++) {
                down.add(child("down." + level, new Conv(2, spec.channels(level - 1), spec.channels(level), 3, 2, 1)));
                convs.add(child("conv." + level, Conv.same(2, spec.channels(level), spec.channels(level), 3)));
            }
            int channels = spec.channels(spec.encoderLevels());
            for (int step = 1; step <= spec.decoderLevels(); step++) {
                int skip = spec.channels(spec.encoderLevels() - step);
                up.add(child("up." + step, Conv.same(2, channels + skip, skip, 3)));
                channels = skip;
            }
            out = child("out", Conv.same(2, channels, spec.depth(), 3));
        }

        public TomographyNetwork spec() {
            return spec;
        }

        /** Densities (N, depth, depth, depth), unclipped, of x-rays (N, 1, size, size). */
        public NDArray apply(ParameterStore parameters, NDArray xray, boolean training) {
            List<NDArray> skips = new ArrayList<>();
            NDArray h = Activation.leakyRelu(stem.apply(parameters, xray, training), LEAK);
            skips.add(h);
            for (int level = 0; level < down.size(); level++) {
                h = Activation.leakyRelu(down.get(level).apply(parameters, h, training), LEAK);
                h = Activation.leakyRelu(convs.get(level).apply(parameters, h, training), LEAK);
                skips.add(h);
            }
            for (int step = 1; step <= up.size(); step++) {
                NDArray skip = skips.get(spec.encoderLevels() - step);
                h = Ops.upsampleNearest2x(h).concat(skip, 1);
                h = Activation.leakyRelu(up.get(step - 1).apply(parameters, h, training), LEAK);
            }
            return out.apply(parameters, h, training);
        }

        @Override
        protected NDList compute(ParameterStore parameters, NDList inputs, boolean training) {
            return new NDList(apply(parameters, inputs.singletonOrThrow(), training));
        }
    }
}
