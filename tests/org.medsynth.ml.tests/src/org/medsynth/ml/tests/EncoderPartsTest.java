package org.medsynth.ml.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.medsynth.ml.MlEngine;
import org.medsynth.ml.Seeding;
import org.medsynth.ml.nn.ResNetEncoder;
import org.medsynth.ml.nn.VitEncoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * The encoder parts the masked autoencoder and perceptual distances use: a ViT encoding only chosen patches (all of
 * them, in order, is the plain encoding; a subset is the plain encoding of an image made of those patches alone, at
 * their own positions) and a ResNet's block maps (the last one pooled is its feature vector).
 */
class EncoderPartsTest {

    @Test
    void vitEncodesChosenPatchesAtTheirOwnPositions() {
        Seeding.seedAll(3);
        try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
            ParameterStore parameters = new ParameterStore(manager, false);
            VitEncoder encoder = new VitEncoder(2, 1, 8, 4, 8, 2, 2, 2);
            encoder.initialize(manager, DataType.FLOAT32);
            NDArray x = manager.randomNormal(new Shape(2, 1, 8, 8));
            NDArray all = manager.eye(4).expandDims(0).repeat(0, 2);
            assertClose(encoder.apply(parameters, x, false), encoder.applyVisible(parameters, x, all, false));

            // one patch kept per image (patch 2 of the first, patch 1 of the second): the class token and that
            // patch's token, as the encoder gives them when it sees only those two tokens
            float[] choice = new float[2 * 4];
            choice[2] = 1;
            choice[4 + 1] = 1;
            NDArray one = encoder.applyVisible(parameters, x, manager.create(choice, new Shape(2, 1, 4)), false);
            assertArrayEquals(new long[] {2, 2, 8}, one.getShape().getShape());
            NDArray twice = encoder.applyVisible(parameters, x, manager.create(choice, new Shape(2, 1, 4)), false);
            assertClose(one, twice);
            assertTrue(one.get(":, 1:, :").sub(encoder.apply(parameters, x, false).get(":, 3:4, :")).abs().max()
                    .getFloat() > 1e-4, "a patch seen alone is encoded differently from one seen with the others");

            IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                    () -> encoder.applyVisible(parameters, x, manager.ones(new Shape(2, 1, 5)), false));
            assertTrue(wrong.getMessage().contains("(N, K, 4)"), wrong.getMessage());
        }
    }

    @Test
    void resNetBlockMapsEndInTheFeatures() {
        Seeding.seedAll(4);
        try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
            ParameterStore parameters = new ParameterStore(manager, false);
            ResNetEncoder encoder = new ResNetEncoder(2, 1, new int[] {4, 8}, new int[] {1, 2}, 0);
            encoder.initialize(manager, DataType.FLOAT32);
            NDArray x = manager.randomNormal(new Shape(2, 1, 8, 8));
            List<NDArray> maps = encoder.blockMaps(parameters, x, false);
            assertEquals(4, maps.size(), "stem and three blocks");
            assertArrayEquals(new long[] {2, 4, 8, 8}, maps.get(0).getShape().getShape());
            assertArrayEquals(new long[] {2, 8, 4, 4}, maps.get(3).getShape().getShape());
            assertClose(maps.get(3).reshape(2, 8, -1).mean(new int[] {2}), encoder.features(parameters, x, false));
        }
    }

    private static void assertClose(NDArray expected, NDArray actual) {
        assertArrayEquals(expected.getShape().getShape(), actual.getShape().getShape());
        float error = expected.sub(actual).abs().max().getFloat();
        assertTrue(error < 1e-5, "largest difference " + error);
    }
}
