package org.medsynth.ml.nn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * The denoising U-Net of DDPM (Ho et al. 2020) in 2D or 3D, configured by {@link UNetConfig}: sinusoidal time
 * embedding ({@code time_embed}), input convolution, per level residual blocks (with self- and cross-attention at
 * the chosen levels) and a stride-2 convolution down; a middle of residual block, attention, residual block; per
 * level residual blocks on the concatenated skips and nearest-neighbour upsampling + convolution up (DJL's PyTorch
 * engine has no transposed convolution); group norm, SiLU and the output convolution.
 * <p>
 * Conditioning: an image concatenated to the input channels, class and angle embeddings added to the time
 * embedding, cross-attention to context tokens, AdaIN style codes and SPADE label maps in every residual block.
 * <p>
 * As a DJL block its inputs are x (N, C, ...), t (N) and then, in this order, those of its conditions it was built
 * for: image, classes, angles, context, style, label map.
 */
public final class UNet extends ExplicitBlock {
    private final UNetConfig config;
    private final ScalarEmbedding timeEmbedding;
    private final ClassEmbedding classEmbedding;
    private final ScalarEmbedding angleEmbedding;
    private final Conv convIn;
    private final List<List<Stage>> down = new ArrayList<>();
    private final List<Conv> downsample = new ArrayList<>();
    private final Stage middleFirst;
    private final Stage middleSecond;
    private final List<List<Stage>> up = new ArrayList<>();
    private final List<Conv> upsample = new ArrayList<>();
    private final GroupNorm normOut;
    private final Conv convOut;

    /** A residual block and the attention that follows it at attention levels. */
    private record Stage(ResBlock res, SpatialAttention attention, SpatialAttention cross) {
        NDArray apply(ParameterStore parameters, NDArray x, NDArray embedding, Conditioning conditioning,
                boolean training) {
            NDArray h = res.apply(parameters, x, embedding, conditioning, training);
            if (attention != null) {
                h = attention.apply(parameters, h, null, training);
            }
            if (cross != null) {
                h = cross.apply(parameters, h, conditioning.context(), training);
            }
            return h;
        }
    }

    public UNet(UNetConfig config) {
        this.config = config;
        int dims = config.dimensions();
        int base = config.baseChannels();
        int embeddingDim = 4 * base;
        timeEmbedding = child("time_embed", new ScalarEmbedding(base, embeddingDim));
        classEmbedding = config.classes() > 0 ? child("class_embed", new ClassEmbedding(config.classes(),
                embeddingDim)) : null;
        angleEmbedding = config.angle() ? child("angle_embed", new ScalarEmbedding(base, embeddingDim)) : null;
        convIn = child("conv_in", Conv.same(dims, config.inChannels() + config.conditionChannels(), base, 3));
        Deque<Integer> skipChannels = new ArrayDeque<>();
        skipChannels.push(base);
        int channels = base;
        for (int level = 0; level < config.levels(); level++) {
            List<Stage> stages = new ArrayList<>();
            int out = config.channels(level);
            for (int r = 0; r < config.resBlocks(); r++) {
                stages.add(stage("down." + level + "." + r, channels, out, config.attentionLevels().contains(level)));
                channels = out;
                skipChannels.push(channels);
            }
            down.add(stages);
            if (level < config.levels() - 1) {
                downsample.add(child("down." + level + ".downsample", new Conv(dims, channels, channels, 3, 2, 1)));
                skipChannels.push(channels);
            }
        }
        middleFirst = stage("mid.0", channels, channels, true);
        middleSecond = stage("mid.1", channels, channels, false);
        for (int level = config.levels() - 1; level >= 0; level--) {
            List<Stage> stages = new ArrayList<>();
            int out = config.channels(level);
            for (int r = 0; r <= config.resBlocks(); r++) {
                stages.add(stage("up." + level + "." + r, channels + skipChannels.pop(), out,
                        config.attentionLevels().contains(level)));
                channels = out;
            }
            up.add(stages);
            if (level > 0) {
                upsample.add(child("up." + level + ".upsample", Conv.same(dims, channels, channels, 3)));
            }
        }
        normOut = child("norm_out", GroupNorm.standard(channels));
        convOut = child("conv_out", Conv.same(dims, channels, config.outChannels(), 3));
    }

    private Stage stage(String name, int in, int out, boolean attention) {
        int embeddingDim = 4 * config.baseChannels();
        ResBlock res = child(name + ".res", new ResBlock(config.dimensions(), in, out, embeddingDim,
                config.styleDim(), config.labelChannels()));
        SpatialAttention self = attention ? child(name + ".attn", new SpatialAttention(out, config.heads())) : null;
        SpatialAttention cross = attention && config.contextDim() > 0
                ? child(name + ".cross", new SpatialAttention(out, config.heads(), config.contextDim()))
                : null;
        return new Stage(res, self, cross);
    }

    public UNetConfig config() {
        return config;
    }

    /** The prediction for noisy {@code x} at times {@code t} (N) under {@code conditioning}. */
    public NDArray apply(ParameterStore parameters, NDArray x, NDArray t, Conditioning conditioning,
            boolean training) {
        checkInput(x, conditioning);
        NDArray embedding = timeEmbedding.apply(parameters, t, training);
        if (classEmbedding != null) {
            embedding = embedding.add(classEmbedding.apply(parameters, conditioning.classes(), training));
        }
        if (angleEmbedding != null) {
            embedding = embedding.add(angleEmbedding.apply(parameters, conditioning.angles(), training));
        }
        NDArray input = config.conditionChannels() > 0 ? x.concat(conditioning.image(), 1) : x;
        NDArray h = convIn.apply(parameters, input, training);
        Deque<NDArray> skips = new ArrayDeque<>();
        skips.push(h);
        for (int level = 0; level < config.levels(); level++) {
            for (Stage stage : down.get(level)) {
                h = stage.apply(parameters, h, embedding, conditioning, training);
                skips.push(h);
            }
            if (level < config.levels() - 1) {
                h = downsample.get(level).apply(parameters, h, training);
                skips.push(h);
            }
        }
        h = middleFirst.apply(parameters, h, embedding, conditioning, training);
        h = middleSecond.apply(parameters, h, embedding, conditioning, training);
        for (int i = 0; i < up.size(); i++) {
            for (Stage stage : up.get(i)) {
                h = stage.apply(parameters, h.concat(skips.pop(), 1), embedding, conditioning, training);
            }
            if (i < upsample.size()) {
                h = upsample.get(i).apply(parameters, Ops.upsampleNearest2x(h), training);
            }
        }
        return convOut.apply(parameters, Ops.silu(normOut.apply(parameters, h, training)), training);
    }

    @Override
    protected NDList compute(ParameterStore parameters, NDList inputs, boolean training) {
        int expected = 2 + count(config.conditionChannels() > 0, config.classes() > 0, config.angle(),
                config.contextDim() > 0, config.styleDim() > 0, config.labelChannels() > 0);
        if (inputs.size() != expected) {
            throw new IllegalArgumentException("this U-Net takes " + expected + " inputs (x, t and its conditions), "
                    + "got " + inputs.size());
        }
        int next = 2;
        Conditioning conditioning = Conditioning.NONE;
        if (config.conditionChannels() > 0) {
            conditioning = conditioning.withImage(inputs.get(next++));
        }
        if (config.classes() > 0) {
            conditioning = conditioning.withClasses(inputs.get(next++));
        }
        if (config.angle()) {
            conditioning = conditioning.withAngles(inputs.get(next++));
        }
        if (config.contextDim() > 0) {
            conditioning = conditioning.withContext(inputs.get(next++));
        }
        if (config.styleDim() > 0) {
            conditioning = conditioning.withStyle(inputs.get(next++));
        }
        if (config.labelChannels() > 0) {
            conditioning = conditioning.withLabelMap(inputs.get(next++));
        }
        return new NDList(apply(parameters, inputs.get(0), inputs.get(1), conditioning, training));
    }

    private static int count(boolean... used) {
        int count = 0;
        for (boolean u : used) {
            count += u ? 1 : 0;
        }
        return count;
    }

    private void checkInput(NDArray x, Conditioning conditioning) {
        Shape shape = x.getShape();
        if (shape.dimension() != config.dimensions() + 2 || shape.get(1) != config.inChannels()) {
            throw new IllegalArgumentException("U-Net input " + shape + " is not (N, " + config.inChannels()
                    + (config.dimensions() == 2 ? ", H, W)" : ", D, H, W)"));
        }
        for (int axis = 2; axis < shape.dimension(); axis++) {
            if (shape.get(axis) % config.sizeDivisor() != 0) {
                throw new IllegalArgumentException("U-Net input " + shape + ": every spatial size must be a multiple "
                        + "of " + config.sizeDivisor() + " (" + config.levels() + " levels)");
            }
        }
        requirePresent(config.conditionChannels() > 0, conditioning.image(), "a condition image");
        requirePresent(config.classes() > 0, conditioning.classes(), "class labels");
        requirePresent(config.angle(), conditioning.angles(), "angles");
        requirePresent(config.contextDim() > 0, conditioning.context(), "context tokens");
        requirePresent(config.styleDim() > 0, conditioning.style(), "a style code");
        requirePresent(config.labelChannels() > 0, conditioning.labelMap(), "a label map");
    }

    private static void requirePresent(boolean used, NDArray value, String what) {
        if (used && value == null) {
            throw new IllegalArgumentException("this U-Net was built to take " + what + ", but none was given");
        }
    }
}
