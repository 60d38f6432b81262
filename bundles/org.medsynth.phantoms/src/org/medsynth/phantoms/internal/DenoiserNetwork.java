package org.medsynth.phantoms.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;

/**
 * The phantom denoiser: a small residual CNN in the manner of DnCNN (Zhang et al. 2017) without batch norm.
 * {@code layers - 1} blocks of 3×3 convolution ({@code channels} maps) + ReLU, then a 3×3 convolution to one map.
 * It predicts the <em>noise</em> of a (N, 1, H, W) image; the denoised image is the input minus that prediction.
 * Padding keeps H and W, so any image size works.
 */
final class DenoiserNetwork {
    /** Written to and checked in the model card: says how to rebuild the block from layers and channels. */
    static final String ARCHITECTURE = "residual-cnn";
    static final int LAYERS = 5;
    static final int CHANNELS = 32;
    static final int MAX_LAYERS = 64;
    static final int MAX_CHANNELS = 1024;

    private DenoiserNetwork() {
    }

    static Block build(int layers, int channels) {
        if (layers < 2 || layers > MAX_LAYERS || channels < 1 || channels > MAX_CHANNELS) {
            throw new IllegalArgumentException("a " + ARCHITECTURE + " needs 2.." + MAX_LAYERS + " layers and 1.."
                    + MAX_CHANNELS + " channels, got " + layers + " layers of " + channels);
        }
        SequentialBlock network = new SequentialBlock();
        for (int i = 0; i < layers - 1; i++) {
            network.add(conv3x3(channels)).add(Activation.reluBlock());
        }
        return network.add(conv3x3(1));
    }

    /**
     * Denoises a (N, 1, H, W) batch in inference mode: the input minus the predicted noise. The result and every
     * intermediate array live in the input's manager.
     */
    static NDArray denoise(Block network, NDArray noisy) {
        ParameterStore parameters = new ParameterStore(noisy.getManager(), false);
        NDArray predictedNoise = network.forward(parameters, new NDList(noisy), false).singletonOrThrow();
        return noisy.sub(predictedNoise);
    }

    private static Conv2d conv3x3(int filters) {
        return Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(filters)
                .build();
    }
}
