package org.medsynth.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;

/** PyTorch's {@code nn.LayerNorm} over the last axis, with {@code weight} and {@code bias} as PyTorch names them. */
public final class LayerNorm extends ExplicitBlock {
    private final Parameter weight;
    private final Parameter bias;

    public LayerNorm(int features) {
        weight = parameter("weight", new Shape(features), Parameter.Type.GAMMA, Initializer.ONES);
        bias = parameter("bias", new Shape(features), Parameter.Type.BETA, Initializer.ZEROS);
    }

    public NDArray apply(ParameterStore parameters, NDArray x, boolean training) {
        int last = x.getShape().dimension() - 1;
        NDArray centred = x.sub(x.mean(new int[] {last}, true));
        NDArray variance = centred.square().mean(new int[] {last}, true);
        return centred.div(variance.add(GroupNorm.EPSILON).sqrt()).mul(value(parameters, weight, x, training))
                .add(value(parameters, bias, x, training));
    }

    @Override
    protected NDList compute(ParameterStore parameters, NDList inputs, boolean training) {
        return new NDList(apply(parameters, inputs.singletonOrThrow(), training));
    }
}
