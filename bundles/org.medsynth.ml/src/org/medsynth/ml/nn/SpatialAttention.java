package org.medsynth.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;

/**
 * Attention over the positions of a 2D or 3D feature map, residual: x + attn(norm(x)). Self-attention, or
 * cross-attention to context tokens (N, M, contextDim) when built with a context size.
 */
public final class SpatialAttention extends ExplicitBlock {
    private final GroupNorm norm;
    private final MultiHeadAttention attention;
    private final boolean cross;

    /** Self-attention of a map of {@code channels}. */
    public SpatialAttention(int channels, int heads) {
        this(channels, heads, 0);
    }

    /** Cross-attention to tokens of {@code contextDim} features; 0 for self-attention. */
    public SpatialAttention(int channels, int heads, int contextDim) {
        cross = contextDim > 0;
        norm = child("norm", GroupNorm.standard(channels));
        attention = child("attn", new MultiHeadAttention(channels, heads, cross ? contextDim : channels));
    }

    public boolean isCross() {
        return cross;
    }

    /** {@code context}: the tokens for cross-attention, ignored (may be null) for self-attention. */
    public NDArray apply(ParameterStore parameters, NDArray x, NDArray context, boolean training) {
        NDArray tokens = Ops.toTokens(norm.apply(parameters, x, training));
        NDArray attended = attention.apply(parameters, tokens, cross ? context : tokens, training);
        return x.add(Ops.fromTokens(attended, x.getShape()));
    }

    @Override
    protected NDList compute(ParameterStore parameters, NDList inputs, boolean training) {
        return new NDList(apply(parameters, inputs.get(0), inputs.size() > 1 ? inputs.get(1) : null, training));
    }
}
