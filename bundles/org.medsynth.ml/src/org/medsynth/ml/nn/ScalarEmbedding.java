package org.medsynth.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;

/**
 * A scalar per sample (diffusion time, projection angle) as a vector: its sinusoidal embedding through
 * {@code linear1} → SiLU → {@code linear2}, the time embedding of DDPM.
 */
public final class ScalarEmbedding extends ExplicitBlock {
    private final int sinusoidDim;
    private final Dense linear1;
    private final Dense linear2;

    public ScalarEmbedding(int sinusoidDim, int dim) {
        this.sinusoidDim = sinusoidDim;
        linear1 = child("linear1", new Dense(sinusoidDim, dim));
        linear2 = child("linear2", new Dense(dim, dim));
    }

    /** (N) values to (N, dim). */
    public NDArray apply(ParameterStore parameters, NDArray values, boolean training) {
        NDArray h = linear1.apply(parameters, Embeddings.sinusoidal(values, sinusoidDim), training);
        return linear2.apply(parameters, Ops.silu(h), training);
    }

    @Override
    protected NDList compute(ParameterStore parameters, NDList inputs, boolean training) {
        return new NDList(apply(parameters, inputs.singletonOrThrow(), training));
    }
}
