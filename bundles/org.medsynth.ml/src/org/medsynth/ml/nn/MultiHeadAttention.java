package org.medsynth.ml.nn;

import org.medsynth.ml.Scalars;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * Scaled dot-product attention with several heads over tokens (N, L, dim): {@code to_q}, {@code to_k},
 * {@code to_v} and {@code to_out} linear maps. Self-attention when keys come from the same tokens, cross-attention
 * when they come from a context of {@code contextDim} features (text or label tokens).
 */
public final class MultiHeadAttention extends ExplicitBlock {
    private final int heads;
    private final Dense toQuery;
    private final Dense toKey;
    private final Dense toValue;
    private final Dense toOut;

    public MultiHeadAttention(int dim, int heads, int contextDim) {
        if (dim % heads != 0) {
            throw new IllegalArgumentException(dim + " features cannot be split into " + heads + " heads");
        }
        this.heads = heads;
        toQuery = child("to_q", new Dense(dim, dim));
        toKey = child("to_k", new Dense(contextDim, dim));
        toValue = child("to_v", new Dense(contextDim, dim));
        toOut = child("to_out", new Dense(dim, dim));
    }

    /** Attention of {@code tokens} (N, L, dim) to {@code context} (N, M, contextDim), the tokens for self. */
    public NDArray apply(ParameterStore parameters, NDArray tokens, NDArray context, boolean training) {
        NDArray q = split(toQuery.apply(parameters, tokens, training));
        NDArray k = split(toKey.apply(parameters, context, training));
        NDArray v = split(toValue.apply(parameters, context, training));
        long headDim = q.getShape().get(3);
        NDArray weights = Scalars.times(q.matMul(k.transpose(0, 1, 3, 2)), 1 / Math.sqrt(headDim)).softmax(-1);
        NDArray merged = weights.matMul(v).transpose(0, 2, 1, 3);
        Shape shape = tokens.getShape();
        return toOut.apply(parameters, merged.reshape(shape.get(0), shape.get(1), -1), training);
    }

    @Override
    protected NDList compute(ParameterStore parameters, NDList inputs, boolean training) {
        NDArray tokens = inputs.get(0);
        return new NDList(apply(parameters, tokens, inputs.size() > 1 ? inputs.get(1) : tokens, training));
    }

    /** (N, L, heads·d) to (N, heads, L, d). */
    private NDArray split(NDArray x) {
        Shape shape = x.getShape();
        return x.reshape(shape.get(0), shape.get(1), heads, -1).transpose(0, 2, 1, 3);
    }
}
