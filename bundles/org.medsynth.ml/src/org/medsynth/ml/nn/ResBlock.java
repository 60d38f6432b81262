package org.medsynth.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * The residual block of the diffusion U-Net: {@code norm1} → SiLU → {@code conv1} → {@code norm2}, scaled and
 * shifted by the projected embedding ({@code emb_proj}: embedding → 2·C, h · (1 + scale) + shift, the "scale-shift
 * norm" of Dhariwal &amp; Nichol 2021), optionally modulated → SiLU → {@code conv2}, added to the input (through a 1×1
 * {@code skip} convolution when the channel count changes). The embedding acts after the norm because a bias added
 * before it (Ho et al. 2020) is removed entirely by a group norm whose groups are single channels, as in narrow
 * U-Nets: such a network cannot tell the diffusion time.
 * <p>
 * Modulation of {@code norm2}, for conditional generators: AdaIN from a style code ({@code style}: style → 2·C,
 * h · (1 + scale) + shift, Huang &amp; Belongie 2017), SPADE from a label map ({@code spade}). A modulated norm2 has
 * no affine parameters of its own.
 */
public final class ResBlock extends ExplicitBlock {
    private final GroupNorm norm1;
    private final Conv conv1;
    private final Dense embeddingProjection;
    private final GroupNorm norm2;
    private final Dense style;
    private final Spade spade;
    private final Conv conv2;
    private final Conv skip;

    public ResBlock(int dimensions, int in, int out, int embeddingDim, int styleDim, int labelChannels) {
        norm1 = child("norm1", GroupNorm.standard(in));
        conv1 = child("conv1", Conv.same(dimensions, in, out, 3));
        embeddingProjection = embeddingDim > 0 ? child("emb_proj", new Dense(embeddingDim, 2 * out)) : null;
        boolean modulated = styleDim > 0 || labelChannels > 0;
        GroupNorm standard = GroupNorm.standard(out);
        norm2 = child("norm2", modulated ? new GroupNorm(standard.groups(), out, false) : standard);
        style = styleDim > 0 ? child("style", new Dense(styleDim, 2 * out)) : null;
        spade = labelChannels > 0 ? child("spade", new Spade(dimensions, out, labelChannels, out)) : null;
        conv2 = child("conv2", Conv.same(dimensions, out, out, 3));
        skip = in != out ? child("skip", new Conv(dimensions, in, out, 1, 1, 0)) : null;
    }

    /** {@code embedding}: (N, E) or null when built without one; {@code conditioning}: style and label map. */
    public NDArray apply(ParameterStore parameters, NDArray x, NDArray embedding, Conditioning conditioning,
            boolean training) {
        NDArray h = conv1.apply(parameters, Ops.silu(norm1.apply(parameters, x, training)), training);
        h = norm2.apply(parameters, h, training);
        if (embeddingProjection != null) {
            // scale and shift after the norm: a bias added before it is erased wherever a group is one channel
            h = scaleAndShift(h, embeddingProjection.apply(parameters, Ops.silu(embedding), training));
        }
        if (style != null) {
            h = scaleAndShift(h, style.apply(parameters, conditioning.style(), training));
        }
        if (spade != null) {
            h = spade.apply(parameters, h, conditioning.labelMap(), training);
        }
        h = conv2.apply(parameters, Ops.silu(h), training);
        return (skip == null ? x : skip.apply(parameters, x, training)).add(h);
    }

    @Override
    protected NDList compute(ParameterStore parameters, NDList inputs, boolean training) {
        return new NDList(apply(parameters, inputs.get(0), inputs.size() > 1 ? inputs.get(1) : null,
                Conditioning.NONE, training));
    }

    /** {@code h·(1 + scale) + shift} with {@code scaleShift} (N, 2C) holding the scales then the shifts. */
    private static NDArray scaleAndShift(NDArray h, NDArray scaleShift) {
        long channels = h.getShape().get(1);
        Shape perSample = perSample(scaleShift, h.getShape());
        NDArray scale = scaleShift.get(":, :" + channels).reshape(perSample);
        NDArray shift = scaleShift.get(":, " + channels + ":").reshape(perSample);
        return h.mul(scale.add(1)).add(shift);
    }

    /** (N, C, 1, 1[, 1]) for a (N, C') vector applied to a map of {@code mapShape} (C the map's channels). */
    private static Shape perSample(NDArray vector, Shape mapShape) {
        Shape perChannel = GroupNorm.perChannel(mapShape);
        long[] dims = perChannel.getShape();
        dims[0] = vector.getShape().get(0);
        return new Shape(dims);
    }
}
