package org.medsynth.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;

/**
 * A pre-norm transformer block over tokens (N, L, dim) as in ViT: x + attn(norm1(x)), then + mlp(norm2(·)) with a
 * GELU MLP of {@code hidden} features ({@code norm1}, {@code attn}, {@code norm2}, {@code mlp.fc1},
 * {@code mlp.fc2}).
 */
public final class TransformerBlock extends ExplicitBlock {
    private final LayerNorm norm1;
    private final MultiHeadAttention attention;
    private final LayerNorm norm2;
    private final Dense fc1;
    private final Dense fc2;

    public TransformerBlock(int dim, int heads, int hidden) {
        norm1 = child("norm1", new LayerNorm(dim));
        attention = child("attn", new MultiHeadAttention(dim, heads, dim));
        norm2 = child("norm2", new LayerNorm(dim));
        fc1 = child("mlp.fc1", new Dense(dim, hidden));
        fc2 = child("mlp.fc2", new Dense(hidden, dim));
    }

    public NDArray apply(ParameterStore parameters, NDArray x, boolean training) {
        NDArray normed = norm1.apply(parameters, x, training);
        NDArray h = x.add(attention.apply(parameters, normed, normed, training));
        NDArray mlp = fc2.apply(parameters,
                Activation.gelu(fc1.apply(parameters, norm2.apply(parameters, h, training), training)), training);
        return h.add(mlp);
    }

    @Override
    protected NDList compute(ParameterStore parameters, NDList inputs, boolean training) {
        return new NDList(apply(parameters, inputs.singletonOrThrow(), training));
    }
}
