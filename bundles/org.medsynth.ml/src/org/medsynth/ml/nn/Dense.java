package org.medsynth.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;

/** PyTorch's {@code nn.Linear} on the last axis: {@code weight} (out, in), {@code bias} (out). */
public final class Dense extends ExplicitBlock {
    private final Parameter weight;
    private final Parameter bias;

    public Dense(int in, int out) {
        weight = weightParameter("weight", new Shape(out, in));
        bias = parameter("bias", new Shape(out), Parameter.Type.BIAS, Initializer.ZEROS);
    }

    public NDArray apply(ParameterStore parameters, NDArray x, boolean training) {
        return Linear.linear(x, value(parameters, weight, x, training), value(parameters, bias, x, training))
                .singletonOrThrow();
    }

    @Override
    protected NDList compute(ParameterStore parameters, NDList inputs, boolean training) {
        return new NDList(apply(parameters, inputs.singletonOrThrow(), training));
    }
}
