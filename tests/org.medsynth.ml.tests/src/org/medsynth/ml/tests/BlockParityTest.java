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
import org.medsynth.ml.nn.PatchGan;
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
