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
 * {@code weight} (out, in, k, k[, k]) and {@code bias} (out). Exact in float32 only under the oneDNN instruction-set
 * cap every MedSynth JVM starts with ({@code MlEngine.ONEDNN_ISA_VARIABLE}).
 */
public final class Conv extends ExplicitBlock {
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

    private Shape uniform(int value) {
        long[] values = new long[dimensions];
        Arrays.fill(values, value);
        return new Shape(values);
    }
}
