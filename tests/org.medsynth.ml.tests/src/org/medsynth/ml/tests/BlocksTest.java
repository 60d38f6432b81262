package org.medsynth.ml.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.ml.MlEngine;
import org.medsynth.ml.Seeding;
import org.medsynth.ml.nn.Conv;
import org.medsynth.ml.nn.GroupNorm;
import org.medsynth.ml.nn.KlAutoencoder;
import org.medsynth.ml.nn.LstmCell;
import org.medsynth.ml.nn.Mlp;
import org.medsynth.ml.nn.ResNetEncoder;
import org.medsynth.ml.nn.UNet;
import org.medsynth.ml.nn.UNetConfig;
import org.medsynth.ml.weights.NamedParameters;
import org.medsynth.ml.weights.NpzWeights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.training.ParameterStore;

/** Properties of the blocks and of weight import that do not need a reference network. */
class BlocksTest {

    @Test
    void convolutionIsRightForChannelCountsWhereLibtorchFloat32IsNot() {
        Seeding.seedAll(5);
        for (int dims : new int[] {2, 3}) {
            for (int in : new int[] {24, 40}) {
                try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
                    Conv conv = new Conv(dims, in, 16, 3, 1, 1);
                    conv.initialize(manager, DataType.FLOAT32);
                    long[] shape = dims == 2 ? new long[] {2, in, 8, 8} : new long[] {2, in, 4, 4, 4};
                    NDArray x = manager.randomNormal(new Shape(shape));
                    NDArray actual = conv.forward(new ParameterStore(manager, false), new NDList(x), false)
                            .singletonOrThrow();
                    NDArray w = NamedParameters.of(conv).get("weight").getArray().toType(DataType.FLOAT64, true);
                    NDArray b = NamedParameters.of(conv).get("bias").getArray().toType(DataType.FLOAT64, true);
                    Shape one = dims == 2 ? new Shape(1, 1) : new Shape(1, 1, 1);
                    NDArray x64 = x.toType(DataType.FLOAT64, true);
                    NDArray expected = (dims == 2 ? Conv2d.conv2d(x64, w, b, one, one, one, 1)
                            : Conv3d.conv3d(x64, w, b, one, one, one, 1)).singletonOrThrow();
                    double error = actual.toType(DataType.FLOAT64, false).sub(expected).abs().max().getDouble();
                    assertTrue(error < 1e-4, dims + "D conv of " + in + " channels: error " + error);
                }
            }
        }
    }

    @Test
    void groupNormGivesEachGroupZeroMeanAndUnitVariance() {
        try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
            GroupNorm norm = new GroupNorm(3, 12, false);
            norm.initialize(manager, DataType.FLOAT32);
            NDArray x = manager.randomNormal(2, 5, new Shape(2, 12, 5, 7), DataType.FLOAT32);
            NDArray y = norm.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow()
                    .reshape(2, 3, -1);
            assertTrue(y.mean(new int[] {2}).abs().max().getFloat() < 1e-5);
            NDArray variance = y.square().mean(new int[] {2});
            assertTrue(variance.sub(1).abs().max().getFloat() < 1e-3, "variance 1 up to epsilon");
        }
    }

    /**
     * A narrow U-Net, whose group norms have one channel per group, still depends on the diffusion time: an
     * embedding added before such a norm would be removed by it (the prediction the same for every t).
     */
    @Test
    void narrowUNetDependsOnTheDiffusionTime() {
        UNetConfig config = UNetConfig.of(2, 1, 1, 16, 1, 2).withResBlocks(1);
        assertEquals(16, GroupNorm.standard(16).groups(), "one channel per group");
        try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
            Seeding.seedAll(3);
            UNet net = new UNet(config);
            net.initialize(manager, DataType.FLOAT32);
            NDArray x = manager.randomNormal(new Shape(1, 1, 16, 16));
            ParameterStore parameters = new ParameterStore(manager, false);
            NDArray early = net.forward(parameters, new NDList(x, manager.create(new float[] {10})), false).singletonOrThrow();
            NDArray late = net.forward(parameters, new NDList(x, manager.create(new float[] {900})), false).singletonOrThrow();
            double difference = early.sub(late).abs().max().getFloat();
            assertTrue(difference > 1e-2, "the output changes with t by only " + difference);
        }
    }

    @Test
    void exportedWeightsImportIntoAFreshBlockAndGiveTheSameOutput(@TempDir Path folder) throws IOException {
        UNetConfig config = UNetConfig.of(2, 1, 1, 8, 1, 2).withResBlocks(1).withAttention(2, 1).withClasses(2);
        try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
            Seeding.seedAll(1);
            UNet original = new UNet(config);
            original.initialize(manager, DataType.FLOAT32);
            Path npz = folder.resolve("unet.npz");
            NpzWeights.export(original, npz);
            UNet copy = new UNet(config);
            NpzWeights.importInto(copy, npz, manager, NpzWeights.SAME_NAMES);
            NDList inputs = new NDList(manager.randomNormal(new Shape(2, 1, 8, 8)), manager.create(new float[] {5, 90}),
                    manager.create(new long[] {1, 0}));
            ParameterStore parameters = new ParameterStore(manager, false);
            NDArray a = original.forward(parameters, inputs, false).singletonOrThrow();
            NDArray b = copy.forward(parameters, inputs, false).singletonOrThrow();
            assertEquals(0f, a.sub(b).abs().max().getFloat());
            assertEquals(NamedParameters.of(original).keySet(), Map.copyOf(NamedParameters.of(copy)).keySet());
        }
    }

    @Test
    void importNamesTheFileAndTheMismatch(@TempDir Path folder) throws IOException {
        UNetConfig small = UNetConfig.of(2, 1, 1, 8, 1, 2).withResBlocks(1);
        try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
            UNet original = new UNet(small);
            original.initialize(manager, DataType.FLOAT32);
            Path npz = folder.resolve("weights.npz");
            NpzWeights.export(original, npz);

            IOException wrongShape = assertThrows(IOException.class, () -> NpzWeights.importInto(
                    new UNet(UNetConfig.of(2, 1, 1, 16, 1, 2).withResBlocks(1)), npz, manager,
                    NpzWeights.SAME_NAMES));
            assertTrue(wrongShape.getMessage().contains(npz.toString()) && wrongShape.getMessage().contains("shape"),
                    wrongShape.getMessage());

            IOException renamed = assertThrows(IOException.class, () -> NpzWeights.importInto(new UNet(small), npz,
                    manager, name -> "model." + name));
            assertTrue(renamed.getMessage().contains("has no array for") && renamed.getMessage().contains("model."),
                    renamed.getMessage());

            Path notNpz = Files.writeString(folder.resolve("notes.npz"), "not an archive");
            IOException garbage = assertThrows(IOException.class, () -> NpzWeights.importInto(new UNet(small), notNpz,
                    manager, NpzWeights.SAME_NAMES));
            assertTrue(garbage.getMessage().contains(notNpz.toString()), garbage.getMessage());
        }
    }

    @Test
    void unetRejectsInputsItCannotTake() {
        UNet unet = new UNet(UNetConfig.of(2, 1, 1, 8, 1, 2).withClasses(3));
        try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
            unet.initialize(manager, DataType.FLOAT32);
            ParameterStore parameters = new ParameterStore(manager, false);
            NDArray t = manager.create(new float[] {1});
            IllegalArgumentException oddSize = assertThrows(IllegalArgumentException.class, () -> unet.forward(
                    parameters, new NDList(manager.zeros(new Shape(1, 1, 7, 8)), t, manager.create(new long[] {0})),
                    false));
            assertTrue(oddSize.getMessage().contains("multiple of 2"), oddSize.getMessage());
            IllegalArgumentException noClasses = assertThrows(IllegalArgumentException.class,
                    () -> unet.forward(parameters, new NDList(manager.zeros(new Shape(1, 1, 8, 8)), t), false));
            assertTrue(noClasses.getMessage().contains("3 inputs"), noClasses.getMessage());
        }
    }

    @Test
    void mlpDropoutActsOnlyWhileTraining() {
        Seeding.seedAll(6);
        Mlp mlp = new Mlp(4, new int[] {64, 2}, Mlp.Activation.RELU, 0.5f);
        try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
            mlp.initialize(manager, DataType.FLOAT32);
            ParameterStore parameters = new ParameterStore(manager, false);
            NDArray x = manager.randomNormal(new Shape(3, 4));
            NDArray evaluation = mlp.apply(parameters, x, false);
            assertEquals(0f, evaluation.sub(mlp.apply(parameters, x, false)).abs().max().getFloat(),
                    "no dropout in evaluation");
            assertTrue(evaluation.sub(mlp.apply(parameters, x, true)).abs().max().getFloat() > 1e-3,
                    "dropout changes the output while training");
            assertThrows(IllegalArgumentException.class, () -> new Mlp(4, new int[] {2}, Mlp.Activation.GELU, 1f));
        }
    }

    @Test
    void newBlocksNameWhatIsWrongWithTheirInput() {
        try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
            ParameterStore parameters = new ParameterStore(manager, false);
            ResNetEncoder encoder = new ResNetEncoder(2, 1, new int[] {4}, new int[] {1}, 0);
            encoder.initialize(manager, DataType.FLOAT32);
            IllegalArgumentException channels = assertThrows(IllegalArgumentException.class,
                    () -> encoder.apply(parameters, manager.zeros(new Shape(1, 3, 8, 8)), false));
            assertTrue(channels.getMessage().contains("(N, 1, H, W)"), channels.getMessage());

            KlAutoencoder autoencoder = new KlAutoencoder(2, 1, 2, 4, new int[] {1, 2}, 1);
            autoencoder.initialize(manager, DataType.FLOAT32);
            IllegalArgumentException oddSize = assertThrows(IllegalArgumentException.class,
                    () -> autoencoder.encode(parameters, manager.zeros(new Shape(1, 1, 7, 8)), false));
            assertTrue(oddSize.getMessage().contains("multiple of 2"), oddSize.getMessage());
            IllegalArgumentException noise = assertThrows(IllegalArgumentException.class, () -> autoencoder.apply(
                    parameters, manager.zeros(new Shape(1, 1, 8, 8)), manager.zeros(new Shape(1, 2, 8, 8)), false));
            assertTrue(noise.getMessage().contains("noise (1, 2, 8, 8)"), noise.getMessage());

            LstmCell cell = new LstmCell(3, 5);
            cell.initialize(manager, DataType.FLOAT32);
            IllegalArgumentException state = assertThrows(IllegalArgumentException.class, () -> cell.step(parameters,
                    manager.zeros(new Shape(2, 3)), new LstmCell.State(manager.zeros(new Shape(2, 4)),
                            manager.zeros(new Shape(2, 5))), false));
            assertTrue(state.getMessage().contains("(2, 5)"), state.getMessage());
        }
    }
}
