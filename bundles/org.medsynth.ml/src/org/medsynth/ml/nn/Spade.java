package org.medsynth.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;

/**
 * The modulation of SPADE (Park et al. 2019): a normalised map is scaled and shifted per position by maps computed
 * from a label map, {@code x · (1 + γ(labels)) + β(labels)}, with {@code shared} (conv 3, ReLU), {@code gamma} and
 * {@code beta} (conv 3). The label map is taken at the feature map's resolution by nearest-neighbour subsampling
 * (its size must be an integer multiple).
 */
public final class Spade extends ExplicitBlock {
    private final Conv shared;
    private final Conv gamma;
    private final Conv beta;

    public Spade(int dimensions, int channels, int labelChannels, int hidden) {
        shared = child("shared", Conv.same(dimensions, labelChannels, hidden, 3));
        gamma = child("gamma", Conv.same(dimensions, hidden, channels, 3));
        beta = child("beta", Conv.same(dimensions, hidden, channels, 3));
    }

    /** Modulates the normalised {@code x} (N, C, ...) by {@code labels} (N, labelChannels, ...). */
    public NDArray apply(ParameterStore parameters, NDArray normalised, NDArray labels, boolean training) {
        NDArray atResolution = subsample(labels, normalised.getShape());
        NDArray features = Activation.relu(shared.apply(parameters, atResolution, training));
        return normalised.mul(gamma.apply(parameters, features, training).add(1))
                .add(beta.apply(parameters, features, training));
    }

    @Override
    protected NDList compute(ParameterStore parameters, NDList inputs, boolean training) {
        return new NDList(apply(parameters, inputs.get(0), inputs.get(1), training));
    }

    /** Every f-th label along each spatial axis (PyTorch's nearest interpolation for an integer factor f). */
    static NDArray subsample(NDArray labels, Shape target) {
        Shape shape = labels.getShape();
        StringBuilder index = new StringBuilder(":, :");
        for (int axis = 2; axis < shape.dimension(); axis++) {
            long size = shape.get(axis);
            long wanted = target.get(axis);
            if (size % wanted != 0) {
                throw new IllegalArgumentException("label map " + shape + " cannot be subsampled to " + target
                        + ": its size must be a multiple of the feature map's");
            }
            index.append(", ::").append(size / wanted);
        }
        return shape.equals(new Shape(shape.get(0), shape.get(1))) ? labels : labels.get(new NDIndex(index.toString()));
    }
}
