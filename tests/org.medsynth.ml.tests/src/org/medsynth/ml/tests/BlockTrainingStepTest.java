package org.medsynth.ml.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.medsynth.ml.MlEngine;
import org.medsynth.ml.Seeding;
import org.medsynth.ml.nn.KlAutoencoder;
import org.medsynth.ml.nn.LstmCell;
import org.medsynth.ml.nn.Mlp;
import org.medsynth.ml.nn.ResNetEncoder;
import org.medsynth.ml.weights.NamedParameters;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.LocalParameterServer;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

/**
 * Gradients reach every parameter of the blocks, and one plain gradient-descent step, through the parameter store
 * a DJL trainer uses, lowers a loss. The loss is evaluated with training off before and after the step.
 */
class BlockTrainingStepTest {
    private static final float LEARNING_RATE = 0.01f;

    /** A loss of the block's outputs, computed with its parameters from the store. */
    private interface Objective {
        NDArray loss(ParameterStore parameters, boolean training);
    }

    @Test
    void resNetEncoder() {
        for (int dims : new int[] {2, 3}) {
            Seeding.seedAll(21);
            ResNetEncoder encoder = new ResNetEncoder(dims, 1, new int[] {4, 8}, new int[] {1, 1}, dims == 2 ? 2 : 0);
            try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
                NDArray x = manager.randomNormal(new Shape(dims == 2 ? new long[] {2, 1, 8, 8}
                        : new long[] {2, 1, 4, 4, 4}));
                NDArray target = manager.randomNormal(new Shape(2, dims == 2 ? 2 : 8));
                assertOneStepLowersLoss(encoder, manager,
                        (parameters, training) -> meanSquare(encoder.apply(parameters, x, training).sub(target)));
            }
        }
    }

    @Test
    void klAutoencoderReconstructionAndKl() {
        Seeding.seedAll(22);
        KlAutoencoder autoencoder = new KlAutoencoder(2, 1, 2, 4, new int[] {1, 2}, 1);
        try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
            NDArray x = manager.randomNormal(new Shape(2, 1, 8, 8));
            NDArray noise = manager.randomNormal(new Shape(2, 2, 4, 4));
            assertOneStepLowersLoss(autoencoder, manager, (parameters, training) -> {
                KlAutoencoder.Reconstruction r = autoencoder.apply(parameters, x, noise, training);
                return meanSquare(r.image().sub(x)).add(r.posterior().kl().mean().mul(1e-3f));
            });
        }
    }

    @Test
    void mlpWithDropout() {
        Seeding.seedAll(23);
        Mlp mlp = new Mlp(6, new int[] {16, 3}, Mlp.Activation.SILU, 0.2f);
        try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
            NDArray x = manager.randomNormal(new Shape(8, 6));
            NDArray target = manager.randomNormal(new Shape(8, 3));
            assertOneStepLowersLoss(mlp, manager,
                    (parameters, training) -> meanSquare(mlp.apply(parameters, x, training).sub(target)));
        }
    }

    @Test
    void lstmCellUnrolled() {
        Seeding.seedAll(24);
        LstmCell cell = new LstmCell(3, 5);
        try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
            NDArray x = manager.randomNormal(new Shape(2, 4, 3));
            NDArray target = manager.randomNormal(new Shape(2, 4, 5)).tanh();
            assertOneStepLowersLoss(cell, manager, (parameters, training) -> meanSquare(
                    cell.unroll(parameters, x, null, training).outputs().sub(target)));
        }
    }

    private static NDArray meanSquare(NDArray difference) {
        return difference.square().mean();
    }

    private static void assertOneStepLowersLoss(Block block, NDManager manager, Objective objective) {
        block.initialize(manager, DataType.FLOAT32);
        ParameterStore parameters = new ParameterStore(manager, false);
        Optimizer descent = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(LEARNING_RATE)).build();
        parameters.setParameterServer(new LocalParameterServer(descent), new Device[] {manager.getDevice()});
        float before = objective.loss(parameters, false).getFloat();
        try (GradientCollector gradients = MlEngine.pytorch().newGradientCollector()) {
            gradients.backward(objective.loss(parameters, true));
        }
        String name = block.getClass().getSimpleName();
        for (Map.Entry<String, Parameter> entry : NamedParameters.of(block).entrySet()) {
            NDArray gradient = entry.getValue().getArray().getGradient();
            assertTrue(gradient.abs().max().getFloat() > 0, name + " parameter " + entry.getKey()
                    + " got no gradient");
        }
        parameters.updateAllParameters();
        float after = objective.loss(parameters, false).getFloat();
        assertTrue(after < before, name + ": loss " + before + " before one step, " + after + " after");
    }
}
