package org.medsynth.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/** Element-wise and resampling operations the blocks share, written from DJL primitives. */
public final class Ops {
    private Ops() {
    }

    /** SiLU (swish): x · sigmoid(x). */
    public static NDArray silu(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }

    /**
     * Nearest-neighbour upsampling by 2 along every spatial axis of (N, C, ...), as PyTorch's
     * {@code F.interpolate(x, scale_factor=2, mode="nearest")}: each value broadcast into a 2×2(×2) block.
     */
    public static NDArray upsampleNearest2x(NDArray x) {
        Shape shape = x.getShape();
        int spatial = shape.dimension() - 2;
        long[] interleaved = new long[2 + 2 * spatial];
        long[] broadcast = new long[2 + 2 * spatial];
        long[] result = new long[2 + spatial];
        for (int axis = 0; axis < 2; axis++) {
            interleaved[axis] = broadcast[axis] = result[axis] = shape.get(axis);
        }
        for (int axis = 0; axis < spatial; axis++) {
            long size = shape.get(2 + axis);
            interleaved[2 + 2 * axis] = broadcast[2 + 2 * axis] = size;
            interleaved[3 + 2 * axis] = 1;
            broadcast[3 + 2 * axis] = 2;
            result[2 + axis] = 2 * size;
        }
        return x.reshape(new Shape(interleaved)).broadcast(new Shape(broadcast)).reshape(new Shape(result));
    }

    /** (N, C, *spatial) to tokens (N, L, C), L the number of positions. */
    public static NDArray toTokens(NDArray x) {
        Shape shape = x.getShape();
        return x.reshape(shape.get(0), shape.get(1), -1).transpose(0, 2, 1);
    }

    /** Tokens (N, L, C) back to (N, C, *spatial) of {@code like}'s shape. */
    public static NDArray fromTokens(NDArray tokens, Shape like) {
        return tokens.transpose(0, 2, 1).reshape(like);
    }
}
