package org.medsynth.ml.nn;

import java.util.Arrays;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;

/**
 * A 2D or 3D convolution with a cubic kernel, PyTorch's {@code nn.Conv2d}/{@code nn.Conv3d}: parameters
 * {@code weight} (out, in, k, k[, k]) and {@code bias} (out).
 * <p>
 * The float32 CPU convolution of libtorch 2.5.1 returns wrong values (errors of order 10) for batches of more than
 * one sample when the input has 24 or 40 channels (measured on an AVX-512 CPU; 8, 12, 16, 32 and 48 are right, and
 * float64 is right). Inputs of more than 16 channels that are not a multiple of 16 are therefore padded with zero
 * channels (and the kernel with zero weights) up to the next multiple of 16, which leaves the result unchanged.
 */
public final class Conv extends ExplicitBlock {
    /** Input channel counts above this that are not multiples of it are padded (see the class comment). */
    private static final long SAFE_CHANNEL_MULTIPLE = 16;
    private final int dimensions;
    private final int stride;
    private final int padding;
    private final Parameter weight;
    private final Parameter bias;

    public Conv(int dimensions, int inChannels, int outChannels, int kernel, int stride, int padding) {
        if (dimensions != 2 && dimensions != 3) {
            throw new IllegalArgumentException("convolutions are 2D or 3D, not " + dimensions + "D");
        }
        this.dimensions = dimensions;
        this.stride = stride;
        this.padding = padding;
        long[] kernelShape = new long[dimensions + 2];
        Arrays.fill(kernelShape, kernel);
        kernelShape[0] = outChannels;
        kernelShape[1] = inChannels;
        weight = weightParameter("weight", new Shape(kernelShape));
        bias = parameter("bias", new Shape(outChannels), Parameter.Type.BIAS, Initializer.ZEROS);
    }

    /** A k×k convolution that keeps the spatial size (stride 1, padding k/2). */
    public static Conv same(int dimensions, int inChannels, int outChannels, int kernel) {
        return new Conv(dimensions, inChannels, outChannels, kernel, 1, kernel / 2);
    }

    public int dimensions() {
        return dimensions;
    }

    public NDArray apply(ParameterStore parameters, NDArray x, boolean training) {
        NDArray w = value(parameters, weight, x, training);
        long channels = x.getShape().get(1);
        if (channels > SAFE_CHANNEL_MULTIPLE && channels % SAFE_CHANNEL_MULTIPLE != 0) {
            long missing = SAFE_CHANNEL_MULTIPLE - channels % SAFE_CHANNEL_MULTIPLE;
            x = x.concat(x.getManager().zeros(withChannels(x.getShape(), missing), x.getDataType()), 1);
            w = w.concat(x.getManager().zeros(withChannels(w.getShape(), missing), w.getDataType()), 1);
        }
        NDArray b = value(parameters, bias, x, training);
        Shape strides = uniform(stride);
        Shape pads = uniform(padding);
        Shape dilation = uniform(1);
        return (dimensions == 2 ? Conv2d.conv2d(x, w, b, strides, pads, dilation, 1)
                : Conv3d.conv3d(x, w, b, strides, pads, dilation, 1)).singletonOrThrow();
    }

    @Override
    protected NDList compute(ParameterStore parameters, NDList inputs, boolean training) {
        return new NDList(apply(parameters, inputs.singletonOrThrow(), training));
    }

    private static Shape withChannels(Shape shape, long channels) {
        long[] dims = shape.getShape().clone();
        dims[1] = channels;
        return new Shape(dims);
    }

    private Shape uniform(int value) {
        long[] values = new long[dimensions];
        Arrays.fill(values, value);
        return new Shape(values);
    }
}
