package org.medsynth.ml.loss;

import java.util.List;

import ai.djl.ndarray.NDArray;

/**
 * A network whose intermediate activations define a perceptual distance: any pretrained or random-weight feature
 * extractor, called inside the training step so gradients flow back to its input.
 */
@FunctionalInterface
public interface FeatureNetwork {
    /** The feature maps (N, C_l, *spatial_l) of each layer used, for an image batch (N, C, *spatial). */
    List<NDArray> features(NDArray batch);
}
