package org.medsynth.ml.tests;

import java.util.List;

import org.medsynth.ml.nn.Conv;
import org.medsynth.ml.nn.ExplicitBlock;
import org.medsynth.ml.nn.Ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;

/**
 * The small random-weight network of reference/losses_reference.py: conv 1→4 (3×3), LeakyReLU 0.2, conv 4→8 (3×3,
 * stride 2), SiLU, conv 8→1 (3×3). Its three stage outputs are the perceptual features; the last is the
 * discriminator's logit map.
 */
final class TinyNet extends ExplicitBlock {
    private final Conv conv1 = child("conv1", Conv.same(2, 1, 4, 3));
    private final Conv conv2 = child("conv2", new Conv(2, 4, 8, 3, 2, 1));
    private final Conv conv3 = child("conv3", Conv.same(2, 8, 1, 3));

    List<NDArray> features(ParameterStore parameters, NDArray x) {
        NDArray h1 = Activation.leakyRelu(conv1.apply(parameters, x, true), 0.2f);
        NDArray h2 = Ops.silu(conv2.apply(parameters, h1, true));
        return List.of(h1, h2, conv3.apply(parameters, h2, true));
    }

    @Override
    protected NDList compute(ParameterStore parameters, NDList inputs, boolean training) {
        return new NDList(features(parameters, inputs.singletonOrThrow()).get(2));
    }
}
