package org.medsynth.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;

/**
 * PyTorch's {@code nn.GroupNorm} (Wu &amp; He 2018), which DJL's PyTorch engine lacks, composed from reshape, mean
 * and the biased variance: the channels of each sample are split into groups normalised over (channels of the group ×
 * all spatial positions), then scaled and shifted per channel ({@code weight}, {@code bias}). Without affine
 * parameters it is the normalisation that SPADE and AdaIN modulate; with one group per channel it is instance norm.
 */
public final class GroupNorm extends ExplicitBlock {
    static final float EPSILON = 1e-5f;
    private final int groups;
    private final int channels;
    private final Parameter weight;
    private final Parameter bias;

    public GroupNorm(int groups, int channels, boolean affine) {
        if (groups < 1 || channels % groups != 0) {
            throw new IllegalArgumentException(channels + " channels cannot be split into " + groups + " groups");
        }
        this.groups = groups;
        this.channels = channels;
        weight = affine ? parameter("weight", new Shape(channels), Parameter.Type.GAMMA, Initializer.ONES) : null;
        bias = affine ? parameter("bias", new Shape(channels), Parameter.Type.BETA, Initializer.ZEROS) : null;
    }

    /** Groups of at most 32 channels' worth, the usual choice: gcd(32, channels) groups. */
    public static GroupNorm standard(int channels) {
        int groups = 32;
        while (channels % groups != 0) {
            groups /= 2;
        }
        return new GroupNorm(groups, channels, true);
    }

    public int groups() {
        return groups;
    }

    public NDArray apply(ParameterStore parameters, NDArray x, boolean training) {
        Shape shape = x.getShape();
        if (shape.get(1) != channels) {
            throw new IllegalArgumentException("group norm of " + channels + " channels got input " + shape);
        }
        NDArray grouped = x.reshape(shape.get(0), groups, -1);
        NDArray centred = grouped.sub(grouped.mean(new int[] {2}, true));
        NDArray variance = centred.square().mean(new int[] {2}, true);
        NDArray normalised = centred.div(variance.add(EPSILON).sqrt()).reshape(shape);
        if (weight == null) {
            return normalised;
        }
        Shape perChannel = perChannel(shape);
        return normalised.mul(perChannelValue(parameters, weight, x, training, perChannel))
                .add(perChannelValue(parameters, bias, x, training, perChannel));
    }

    /**
     * The parameter reshaped to (1, C, 1, ...), in the input's manager: an operation on a parameter lands in the
     * parameters' manager, which would keep one array per call for as long as the model lives.
     */
    private static NDArray perChannelValue(ParameterStore parameters, Parameter parameter, NDArray x,
            boolean training, Shape perChannel) {
        NDArray reshaped = value(parameters, parameter, x, training).reshape(perChannel);
        reshaped.attach(x.getManager());
        return reshaped;
    }

    @Override
    protected NDList compute(ParameterStore parameters, NDList inputs, boolean training) {
        return new NDList(apply(parameters, inputs.singletonOrThrow(), training));
    }

    /** (1, C, 1, 1[, 1]): broadcasts a per-channel vector over a (N, C, ...) array. */
    static Shape perChannel(Shape shape) {
        long[] dims = new long[shape.dimension()];
        java.util.Arrays.fill(dims, 1);
        dims[1] = shape.get(1);
        return new Shape(dims);
    }
}
