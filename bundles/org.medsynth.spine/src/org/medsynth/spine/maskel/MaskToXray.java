package org.medsynth.spine.maskel;

import java.util.ArrayList;
import java.util.List;

import org.medsynth.ml.nn.Conv;
import org.medsynth.ml.nn.ExplicitBlock;
import org.medsynth.ml.nn.GroupNorm;
import org.medsynth.ml.nn.Ops;
import org.medsynth.ml.nn.SpatialAttention;
import org.medsynth.ml.nn.VectorQuantizer;
import org.medsynth.ml.nn.VitEncoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * MaSkel's second stage: a ViT {@code mask_encoder} maps a binary body mask to tokens in the latent space of the
 * first stage's X-ray encoder; the patch tokens, as a (dim, size/patch, size/patch) map, are projected
 * ({@code quant_conv}, 1×1) onto a VQ codebook ({@code quantizer}); the decoder ({@code conv_in}, self-attention
 * {@code attention} at the latent resolution, then per factor 2 nearest-neighbour interpolation, a 3×3
 * {@code up.i.conv}, {@code up.i.norm} and SiLU, until the image size; {@code conv_out}) draws the X-ray.
 */
final class MaskToXray extends ExplicitBlock {
    private final MaskelNetwork spec;
    private final VitEncoder maskEncoder;
    private final Conv quantConv;
    private final VectorQuantizer quantizer;
    private final Conv convIn;
    private final SpatialAttention attention;
    private final List<Conv> upConvs = new ArrayList<>();
    private final List<GroupNorm> upNorms = new ArrayList<>();
    private final Conv convOut;

    /** The mask encoder's tokens, the quantizer's result and the drawn X-ray (N, 1, size, size). */
    record Output(NDArray tokens, VectorQuantizer.Quantized quantized, NDArray xray) {
    }

    MaskToXray(MaskelNetwork spec) {
        this.spec = spec;
        maskEncoder = child("mask_encoder", spec.vitEncoder());
        quantConv = child("quant_conv", new Conv(2, spec.dim(), spec.codeDim(), 1, 1, 0));
        quantizer = child("quantizer", new VectorQuantizer(spec.codes(), spec.codeDim(), 0.25f));
        int channels = spec.decoderChannels();
        convIn = child("conv_in", Conv.same(2, spec.codeDim(), channels, 3));
        attention = child("attention", new SpatialAttention(channels, spec.heads()));
        for (int i = 0; i < spec.upsamplings(); i++) {
            upConvs.add(child("up." + i + ".conv", Conv.same(2, channels, channels, 3)));
            upNorms.add(child("up." + i + ".norm", GroupNorm.standard(channels)));
        }
        convOut = child("conv_out", Conv.same(2, channels, 1, 3));
    }

    Output apply(ParameterStore parameters, NDArray masks, boolean training) {
        NDArray tokens = maskEncoder.apply(parameters, masks, training);
        long n = masks.getShape().get(0);
        int grid = spec.size() / spec.patch();
        NDArray map = Ops.fromTokens(tokens.get(":, 1:, :"), new Shape(n, spec.dim(), grid, grid));
        VectorQuantizer.Quantized q = quantizer.apply(parameters, quantConv.apply(parameters, map, training),
                training);
        NDArray h = attention.apply(parameters, convIn.apply(parameters, q.quantized(), training), null, training);
        for (int i = 0; i < upConvs.size(); i++) {
            h = Ops.upsampleNearest2x(h);
            h = Ops.silu(upNorms.get(i).apply(parameters, upConvs.get(i).apply(parameters, h, training), training));
        }
        return new Output(tokens, q, convOut.apply(parameters, h, training));
    }

    @Override
    protected NDList compute(ParameterStore parameters, NDList inputs, boolean training) {
        return new NDList(apply(parameters, inputs.singletonOrThrow(), training).xray());
    }
}
