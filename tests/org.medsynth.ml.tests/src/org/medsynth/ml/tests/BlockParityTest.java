package org.medsynth.ml.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.medsynth.ml.MlEngine;
import org.medsynth.ml.nn.CodebookUsage;
import org.medsynth.ml.nn.KlAutoencoder;
import org.medsynth.ml.nn.LstmCell;
import org.medsynth.ml.nn.Mlp;
import org.medsynth.ml.nn.PatchGan;
import org.medsynth.ml.nn.ResNetEncoder;
import org.medsynth.ml.nn.UNet;
import org.medsynth.ml.nn.UNetConfig;
import org.medsynth.ml.nn.VectorQuantizer;
import org.medsynth.ml.nn.VitEncoder;
import org.medsynth.ml.weights.NpzWeights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

/**
 * The blocks against the same architectures written in PyTorch (reference/blocks_reference.py, torch 1.13): the
 * PyTorch state_dict is imported by name, the same inputs give the same outputs within 1e-5.
 */
class BlockParityTest {
    private static final double TOLERANCE = 1e-5;

    private static UNetConfig smallUNet(int dimensions) {
        return UNetConfig.of(dimensions, 1, 1, 8, 1, 2).withResBlocks(1).withAttention(2, 1);
    }

    @Test
    void unetWithImageClassAndAngleConditioning() throws IOException {
        UNet unet = new UNet(smallUNet(2).withConditionChannels(1).withClasses(3).withAngle());
        assertParity("unet2d_class", unet, List.of("x", "t", "image", "classes", "angles"), List.of("y"));
    }

    @Test
    void unetWithCrossAttentionAdaInAndSpade() throws IOException {
        UNet unet = new UNet(smallUNet(2).withContext(6).withStyle(5).withLabelMap(3));
        assertParity("unet2d_cross", unet, List.of("x", "t", "context", "style", "labels"), List.of("y"));
    }

    @Test
    void unet3d() throws IOException {
        assertParity("unet3d", new UNet(smallUNet(3)), List.of("x", "t"), List.of("y"));
    }

    @Test
    void multiScalePatchGan() throws IOException {
        assertParity("patchgan", new PatchGan(2, 1, 4, 2, 2), List.of("x"), List.of("scale0", "scale1"));
    }

    @Test
    void vitEncoder() throws IOException {
        assertParity("vit", new VitEncoder(2, 1, 16, 4, 16, 2, 2, 2), List.of("x"), List.of("tokens"));
    }

    @Test
    void vectorQuantizerCodesLossAndStraightThroughGradient() throws IOException {
        VectorQuantizer quantizer = new VectorQuantizer(16, 4, 0.25f);
        try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
            NpzWeights.importInto(quantizer, ReferenceFiles.file("vq_weights.npz"), manager, NpzWeights.SAME_NAMES);
            Map<String, NDArray> io = NpzWeights.read(ReferenceFiles.file("vq_io.npz"), manager);
            NDArray z = io.get("in_z");
            z.setRequiresGradient(true);
            VectorQuantizer.Quantized q;
            try (GradientCollector gradients = MlEngine.pytorch().newGradientCollector()) {
                q = quantizer.apply(new ParameterStore(manager, false), z, true);
                NDArray weights = manager.arange(0, (float) q.quantized().size(), 1f, DataType.FLOAT32)
                        .reshape(q.quantized().getShape());
                gradients.backward(q.quantized().mul(weights).sum());
            }
            assertClose(io.get("out_quantized"), q.quantized(), "quantized");
            assertClose(io.get("out_loss"), q.loss(), "codebook + commitment loss");
            assertArrayEquals(io.get("out_indices").toLongArray(), q.indices().toLongArray(), "nearest codes");
            assertClose(io.get("out_grad_z"), z.getGradient(), "straight-through gradient");
            CodebookUsage usage = quantizer.usage(q.indices());
            assertEquals(32, Arrays.stream(usage.counts()).sum(), "every position counted once");
            assertTrue(usage.used() >= 1 && usage.perplexity() <= usage.used() + 1e-9);
        }
    }

    @Test
    void resNetEncoder2dWithHead() throws IOException {
        assertParity("resnet2d", new ResNetEncoder(2, 1, new int[] {8, 16, 32}, new int[] {2, 1, 1}, 3), List.of("x"),
                List.of("y"));
    }

    @Test
    void resNetEncoder3dFeatures() throws IOException {
        assertParity("resnet3d", new ResNetEncoder(3, 2, new int[] {4, 8}, new int[] {1, 2}, 0), List.of("x"),
                List.of("y"));
    }

    @Test
    void klAutoencoder2d() throws IOException {
        assertKlAutoencoderParity("klae2d", new KlAutoencoder(2, 1, 2, 8, new int[] {1, 2}, 1));
    }

    @Test
    void klAutoencoder3d() throws IOException {
        assertKlAutoencoderParity("klae3d", new KlAutoencoder(3, 1, 2, 4, new int[] {1, 2}, 1));
    }

    /** Dropout is off in evaluation, so the outputs are those of PyTorch's eval mode. */
    @Test
    void mlpWithEachActivation() throws IOException {
        int[] widths = {16, 12, 3};
        assertParity("mlp_gelu", new Mlp(6, widths, Mlp.Activation.GELU, 0.3f), List.of("x"), List.of("y"));
        assertParity("mlp_silu", new Mlp(6, widths, Mlp.Activation.SILU, 0.3f), List.of("x"), List.of("y"));
        assertParity("mlp_relu", new Mlp(6, widths, Mlp.Activation.RELU, 0.3f), List.of("x"), List.of("y"));
    }

    /** nn.LSTMCell weights by name; the script checks that its unrolled cell equals nn.LSTM. */
    @Test
    void lstmCellStepAndUnrolledSequence() throws IOException {
        LstmCell cell = new LstmCell(5, 7);
        try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
            NpzWeights.importInto(cell, ReferenceFiles.file("lstm_weights.npz"), manager, NpzWeights.SAME_NAMES);
            Map<String, NDArray> io = NpzWeights.read(ReferenceFiles.file("lstm_io.npz"), manager);
            ParameterStore parameters = new ParameterStore(manager, false);
            NDArray x = io.get("in_x");
            NDList firstStep = cell.forward(parameters, new NDList(x.get(":, 0, :"), io.get("in_h"), io.get("in_c")),
                    false);
            assertClose(io.get("out_outputs").get(":, 0, :"), firstStep.get(0), "h after one step");
            LstmCell.Sequence sequence = cell.unroll(parameters, x,
                    new LstmCell.State(io.get("in_h"), io.get("in_c")), false);
            assertClose(io.get("out_outputs"), sequence.outputs(), "h of every step");
            assertClose(io.get("out_h"), sequence.last().h(), "last h");
            assertClose(io.get("out_c"), sequence.last().c(), "last c");
        }
    }

    private static void assertKlAutoencoderParity(String name, KlAutoencoder autoencoder) throws IOException {
        assertParity(name, autoencoder, List.of("x", "noise"), List.of("y", "mean", "logvar"));
        try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
            Map<String, NDArray> io = NpzWeights.read(ReferenceFiles.file(name + "_io.npz"), manager);
            NDArray expected = io.get("out_kl");
            NDArray kl = new KlAutoencoder.Posterior(io.get("out_mean"), io.get("out_logvar")).kl();
            // a sum of hundreds of float32 terms: relative to its size
            double scale = Math.max(1, expected.abs().max().getFloat());
            assertClose(expected.div(scale), kl.div(scale), name + " KL divergence (relative)");
        }
    }

    private static void assertParity(String name, Block block, List<String> inputs, List<String> outputs)
            throws IOException {
        try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
            NpzWeights.importInto(block, ReferenceFiles.file(name + "_weights.npz"), manager, NpzWeights.SAME_NAMES);
            Map<String, NDArray> io = NpzWeights.read(ReferenceFiles.file(name + "_io.npz"), manager);
            NDList in = new NDList();
            for (String input : inputs) {
                in.add(io.get("in_" + input));
            }
            NDList out = block.forward(new ParameterStore(manager, false), in, false);
            for (int i = 0; i < outputs.size(); i++) {
                assertClose(io.get("out_" + outputs.get(i)), out.get(i), name + " output " + outputs.get(i));
            }
        }
    }

    private static void assertClose(NDArray expected, NDArray actual, String what) {
        assertEquals(expected.getShape(), actual.getShape(), what + " shape");
        float[] e = expected.toType(DataType.FLOAT32, false).toFloatArray();
        float[] a = actual.toType(DataType.FLOAT32, false).toFloatArray();
        double worst = 0;
        for (int i = 0; i < e.length; i++) {
            worst = Math.max(worst, Math.abs(e[i] - a[i]));
        }
        assertTrue(worst <= TOLERANCE, what + ": largest difference to PyTorch " + worst + " > " + TOLERANCE);
    }
}
