package org.medsynth.spine.maskel;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.medsynth.ml.nn.Dense;
import org.medsynth.ml.nn.ExplicitBlock;
import org.medsynth.ml.nn.LayerNorm;
import org.medsynth.ml.nn.TransformerBlock;
import org.medsynth.ml.nn.VitEncoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;

/**
 * MaSkel's first stage: a masked autoencoder (He et al. 2022) on X-rays. The ViT {@code encoder} sees only the
 * visible patches; a light decoder embeds its tokens ({@code decoder_embed}), puts the learnt {@code mask_token} at
 * every hidden patch, adds its own positions ({@code decoder_pos_embed}), runs {@code decoder_blocks} and a
 * {@code decoder_norm}, and predicts each patch's pixels ({@code decoder_pred}). The loss is the mean squared error
 * over the hidden patches only. After pretraining the encoder, seeing all patches, gives the latents that the second
 * stage's mask encoder learns to reproduce.
 */
final class MaskedAutoencoder extends ExplicitBlock {
    private final MaskelNetwork spec;
    private final VitEncoder encoder;
    private final Dense decoderEmbedding;
    private final Parameter maskToken;
    private final Parameter decoderPositions;
    private final List<TransformerBlock> decoderBlocks = new ArrayList<>();
    private final LayerNorm decoderNorm;
    private final Dense decoderPrediction;

    MaskedAutoencoder(MaskelNetwork spec) {
        this.spec = spec;
        encoder = child("encoder", spec.vitEncoder());
        decoderEmbedding = child("decoder_embed", new Dense(spec.dim(), spec.decoderDim()));
        maskToken = parameter("mask_token", new Shape(1, 1, spec.decoderDim()), Parameter.Type.WEIGHT,
                new NormalInitializer(0.02f));
        decoderPositions = parameter("decoder_pos_embed", new Shape(1, 1 + spec.patches(), spec.decoderDim()),
                Parameter.Type.WEIGHT, new NormalInitializer(0.02f));
        for (int i = 0; i < spec.decoderDepth(); i++) {
            decoderBlocks.add(child("decoder_blocks." + i, new TransformerBlock(spec.decoderDim(),
                    spec.heads(), 4 * spec.decoderDim())));
        }
        decoderNorm = child("decoder_norm", new LayerNorm(spec.decoderDim()));
        decoderPrediction = child("decoder_pred", new Dense(spec.decoderDim(), spec.patch() * spec.patch()));
    }

    VitEncoder encoder() {
        return encoder;
    }

    /**
     * A random choice of visible patches per image, drawn from {@code random}: the selection matrix (N, K, patches)
     * of {@link VitEncoder#applyVisible} with K = round(patches × (1 − ratio)), at least 1.
     */
    static NDArray randomSelection(NDManager manager, int count, int patches, double maskRatio,
            SplittableRandom random) {
        int kept = Math.max(1, (int) Math.round(patches * (1 - maskRatio)));
        float[] selection = new float[count * kept * patches];
        for (int n = 0; n < count; n++) {
            int[] order = new int[patches];
            for (int p = 0; p < patches; p++) {
                order[p] = p;
            }
            for (int p = patches - 1; p > 0; p--) { // Fisher–Yates
                int q = random.nextInt(p + 1);
                int swap = order[p];
                order[p] = order[q];
                order[q] = swap;
            }
            for (int k = 0; k < kept; k++) {
                selection[(n * kept + k) * patches + order[k]] = 1;
            }
        }
        return manager.create(selection, new Shape(count, kept, patches));
    }

    /** The selection of every patch, in order: the encoder then sees the whole image. */
    static NDArray allPatches(NDManager manager, int count, int patches) {
        return manager.eye(patches).expandDims(0).repeat(0, count);
    }

    /** Predicted pixels of every patch (N, patches, patch²) for images x (N, 1, size, size). */
    NDArray predictPatches(ParameterStore parameters, NDArray x, NDArray selection, boolean training) {
        NDArray latent = encoder.applyVisible(parameters, x, selection, training);
        NDArray embedded = decoderEmbedding.apply(parameters, latent, training);
        NDArray visibleMask = selection.sum(new int[] {1}).expandDims(2); // (N, patches, 1)
        NDArray placed = selection.transpose(0, 2, 1).matMul(embedded.get(":, 1:, :"));
        NDArray tokens = placed.add(visibleMask.neg().add(1).mul(value(parameters, maskToken, x, training)));
        NDArray h = embedded.get(":, :1, :").concat(tokens, 1).add(value(parameters, decoderPositions, x, training));
        for (TransformerBlock block : decoderBlocks) {
            h = block.apply(parameters, h, training);
        }
        return decoderPrediction.apply(parameters, decoderNorm.apply(parameters, h, training), training)
                .get(":, 1:, :");
    }

    /** The mean squared error over the hidden patches (those {@code selection} does not pick). */
    NDArray loss(ParameterStore parameters, NDArray x, NDArray selection, boolean training) {
        NDArray error = predictPatches(parameters, x, selection, training).sub(spec.patchify(x)).square()
                .mean(new int[] {2});
        NDArray hidden = selection.sum(new int[] {1}).neg().add(1);
        return error.mul(hidden).sum().div(hidden.sum());
    }

    /**
     * The reconstruction (N, 1, size, size) of x from the patches {@code selection} picks, as MAE shows it: those
     * patches as they are, the hidden ones predicted (the loss never asks the decoder to copy visible patches).
     */
    NDArray reconstruct(ParameterStore parameters, NDArray x, NDArray selection) {
        NDArray visible = selection.sum(new int[] {1}).expandDims(2);
        NDArray predicted = predictPatches(parameters, x, selection, false);
        return spec.unpatchify(predicted.mul(visible.neg().add(1)).add(spec.patchify(x).mul(visible)));
    }

    @Override
    protected NDList compute(ParameterStore parameters, NDList inputs, boolean training) {
        return new NDList(predictPatches(parameters, inputs.get(0), inputs.get(1), training));
    }
}
