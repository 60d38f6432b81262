package org.medsynth.ml.nn;

import org.medsynth.ml.Scalars;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Sinusoidal position embeddings (Vaswani et al. 2017) of scalar values: diffusion times, angles. */
public final class Embeddings {
    /** The longest period is 2π · 10000, as in the transformer and DDPM. */
    private static final double MAX_PERIOD = 10000;

    private Embeddings() {
    }

    /**
     * The (N, dim) embedding of the (N) values: [sin(v·f_0) .. sin(v·f_{h-1}), cos(v·f_0) .. cos(v·f_{h-1})] with
     * h = dim/2 and f_i = exp(-ln(10000) · i / h), computed in float32 in the order PyTorch reference code uses.
     */
    public static NDArray sinusoidal(NDArray values, int dim) {
        if (dim < 2 || dim % 2 != 0) {
            throw new IllegalArgumentException("a sinusoidal embedding needs an even size, not " + dim);
        }
        int half = dim / 2;
        NDArray frequencies = Scalars.dividedBy(Scalars.times(
                values.getManager().arange(0, half, 1, DataType.FLOAT32), -Math.log(MAX_PERIOD)), half).exp();
        NDArray arguments = values.toType(DataType.FLOAT32, false).reshape(-1, 1).mul(frequencies.reshape(1, -1));
        return arguments.sin().concat(arguments.cos(), 1);
    }
}
