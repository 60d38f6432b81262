package org.medsynth.radiography.ct2x;

import java.util.ArrayList;
import java.util.List;

import org.medsynth.ml.Seeding;
import org.medsynth.ml.loss.FeatureNetwork;
import org.medsynth.ml.nn.Conv;
import org.medsynth.ml.nn.ExplicitBlock;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;

/**
 * A frozen feature network with seeded random weights (Xavier), for perceptual distances where no pretrained
 * network exists offline: stride-2 3×3 convolutions with LeakyReLU 0.2 of widths {@code widths}, each layer's
 * activation a feature map. Random convolutional features are a known stand-in for learned ones in perceptual
 * losses; values are comparable only for the same seed and widths.
 */
public final class RandomFeatures extends ExplicitBlock implements FeatureNetwork {
    private final List<Conv> layers = new ArrayList<>();

    /** The network with its weights drawn from {@code seed} (this reseeds the engine's generator). */
    public RandomFeatures(NDManager manager, long seed, int... widths) {
        int in = 1;
        for (int i = 0; i < widths.length; i++) {
            layers.add(child("conv." + i, new Conv(2, in, widths[i], 3, 2, 1)));
            in = widths[i];
        }
        Seeding.seedAll(seed);
        initialize(manager, DataType.FLOAT32);
        freezeParameters(true);
    }

    @Override
    public List<NDArray> features(NDArray batch) {
        ParameterStore parameters = new ParameterStore(batch.getManager(), false);
        List<NDArray> maps = new ArrayList<>();
        NDArray h = batch;
        for (Conv conv : layers) {
            h = Activation.leakyRelu(conv.apply(parameters, h, false), 0.2f);
            maps.add(h);
        }
        return maps;
    }

    @Override
    protected NDList compute(ParameterStore parameters, NDList inputs, boolean training) {
        return new NDList(features(inputs.singletonOrThrow()));
    }
}
