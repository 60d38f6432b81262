package org.medsynth.ml.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;

/**
 * A multilayer perceptron on the last axis: linear layers {@code layers.i} (PyTorch {@code nn.Linear}), each but the
 * last followed by the activation and, when training with a dropout rate above 0, by dropout (inverted: kept values
 * are scaled by 1/(1 − rate), so nothing changes in evaluation, where dropout is off).
 */
public final class Mlp extends ExplicitBlock {
    private final List<Dense> layers = new ArrayList<>();
    private final Activation activation;
    private final float dropout;

    /** The non-linearity between the layers. */
    public enum Activation {
        /** The exact (erf) GELU, PyTorch's default {@code F.gelu}. */
        GELU(ai.djl.nn.Activation::gelu),
        SILU(Ops::silu),
        RELU(ai.djl.nn.Activation::relu);

        private final UnaryOperator<NDArray> function;

        Activation(UnaryOperator<NDArray> function) {
            this.function = function;
        }

        public NDArray apply(NDArray x) {
            return function.apply(x);
        }
    }

    /**
     * @param inFeatures features of the input's last axis
     * @param widths     output features of each layer, the last one's being the MLP's output
     * @param dropout    the probability of zeroing a hidden feature while training, in [0, 1)
     */
    public Mlp(int inFeatures, int[] widths, Activation activation, float dropout) {
        if (widths.length == 0) {
            throw new IllegalArgumentException("an MLP needs at least one layer");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout is a probability in [0, 1), not " + dropout);
        }
        this.activation = activation;
        this.dropout = dropout;
        int in = inFeatures;
        for (int i = 0; i < widths.length; i++) {
            if (widths[i] < 1) {
                throw new IllegalArgumentException("layer " + i + " of the MLP has " + widths[i] + " features");
            }
            layers.add(child("layers." + i, new Dense(in, widths[i])));
            in = widths[i];
        }
    }

    /** (..., inFeatures) to (..., widths[last]). */
    public NDArray apply(ParameterStore parameters, NDArray x, boolean training) {
        NDArray h = x;
        for (int i = 0; i < layers.size(); i++) {
            h = layers.get(i).apply(parameters, h, training);
            if (i < layers.size() - 1) {
                h = activation.apply(h);
                if (training && dropout > 0) {
                    h = Dropout.dropout(h, dropout, true).singletonOrThrow();
                }
            }
        }
        return h;
    }

    @Override
    protected NDList compute(ParameterStore parameters, NDList inputs, boolean training) {
        return new NDList(apply(parameters, inputs.singletonOrThrow(), training));
    }
}
