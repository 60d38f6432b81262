package org.medsynth.spine.maskel;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

import org.medsynth.ml.nn.ExplicitBlock;
import org.medsynth.ml.nn.VitEncoder;
import org.medsynth.ml.weights.ModelCard;
import org.medsynth.ml.weights.ModelCardYaml;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;

/**
 * The sizes of a MaSkel model, as the model card records them so that the generator rebuilds exactly what the
 * trainer trained: square images of {@code size} pixels cut into {@code patch}² patches; ViT encoders (stage 1's
 * X-ray encoder and stage 2's mask encoder alike) of {@code dim} features, {@code depth} blocks and {@code heads}
 * heads; the MAE's light decoder of {@code decoderDim} features and {@code decoderDepth} blocks; a codebook of
 * {@code codes} vectors of {@code codeDim}; the image decoder's {@code decoderChannels}.
 * <p>
 * Intensities: X-rays are −ln(I/I₀) (the {@link WholeBodyPhantom} radiograph), mapped from [0, {@value #XRAY_RANGE}]
 * to the model's [−1, 1]; masks from {0, 1} to {−1, 1}.
 */
record MaskelNetwork(int size, int patch, int dim, int depth, int heads, int decoderDim, int decoderDepth, int codes,
        int codeDim, int decoderChannels) {
    static final String ARCHITECTURE = "maskel";
    /** −ln(I/I₀) mapped to the model's +1: above the thickest body's soft tissue plus bone. */
    static final float XRAY_RANGE = 7f;

    MaskelNetwork {
        if (size % patch != 0 || Integer.bitCount(patch) != 1 || patch < 2) {
            throw new IllegalArgumentException("the patch size must be a power of 2 (at least 2) dividing the image "
                    + "size, got patch " + patch + " for size " + size);
        }
        if (dim % heads != 0 || decoderDim % heads != 0) {
            throw new IllegalArgumentException("the encoder and decoder widths (" + dim + ", " + decoderDim
                    + ") must be multiples of the heads (" + heads + ")");
        }
        if (decoderChannels % heads != 0) {
            throw new IllegalArgumentException("the decoder channels (" + decoderChannels + ") must be a multiple of "
                    + "the heads (" + heads + ")");
        }
    }

    /** Both stages in one block, saved as one weight file: {@code mae} and {@code generator}. */
    static final class Stages extends ExplicitBlock {
        final MaskedAutoencoder mae;
        final MaskToXray generator;

        Stages(MaskelNetwork spec) {
            mae = child("mae", new MaskedAutoencoder(spec));
            generator = child("generator", new MaskToXray(spec));
        }

        @Override
        protected NDList compute(ParameterStore parameters, NDList inputs, boolean training) {
            return new NDList(generator.apply(parameters, inputs.singletonOrThrow(), training).xray());
        }
    }

    int patches() {
        return (size / patch) * (size / patch);
    }

    /** Nearest-neighbour doublings from the latent grid to the image. */
    int upsamplings() {
        return Integer.numberOfTrailingZeros(patch);
    }

    VitEncoder vitEncoder() {
        return new VitEncoder(2, 1, size, patch, dim, depth, heads, 4);
    }

    static float xrayToModel(float v) {
        return 2 * v / XRAY_RANGE - 1;
    }

    static float xrayFromModel(float x) {
        return (x + 1) * XRAY_RANGE / 2;
    }

    static float maskToModel(float m) {
        return m > 0.5f ? 1 : -1;
    }

    /** Images (N, 1, size, size) as patches (N, patches, patch²), patches row by row as the patch embedding. */
    NDArray patchify(NDArray x) {
        long n = x.getShape().get(0);
        int grid = size / patch;
        return x.reshape(n, grid, patch, grid, patch).transpose(0, 1, 3, 2, 4).reshape(n, patches(),
                (long) patch * patch);
    }

    /** The inverse of {@link #patchify}. */
    NDArray unpatchify(NDArray patches) {
        long n = patches.getShape().get(0);
        int grid = size / patch;
        return patches.reshape(n, grid, grid, patch, patch).transpose(0, 1, 3, 2, 4).reshape(n, 1, size, size);
    }

    List<String> cardLines(long parameterCount) {
        return List.of(
                "architecture:",
                "  name: " + ARCHITECTURE,
                "  description: " + ModelCardYaml.scalar(String.format(Locale.ROOT, "stage 1: masked autoencoder, "
                        + "ViT encoder (%d² patches of %d² images, %d blocks, %d features, %d heads) with a light "
                        + "decoder (%d blocks, %d features) predicting the hidden patches; stage 2: a second ViT "
                        + "encoder of the same size on the body mask, 1×1 projection onto a VQ codebook (%d codes of "
                        + "%d), decoder: 3×3 conv, self-attention, %d × (nearest-neighbour interpolation ×2, 3×3 conv,"
                        + " group norm, SiLU) with %d channels, 3×3 conv to the X-ray", patch, size, depth, dim, heads,
                        decoderDepth, decoderDim, codes, codeDim, upsamplings(), decoderChannels)),
                "  image-size: " + size,
                "  patch: " + patch,
                "  dim: " + dim,
                "  depth: " + depth,
                "  heads: " + heads,
                "  decoder-dim: " + decoderDim,
                "  decoder-depth: " + decoderDepth,
                "  codes: " + codes,
                "  code-dim: " + codeDim,
                "  decoder-channels: " + decoderChannels,
                "  parameters: " + parameterCount,
                "input:",
                "  kind: " + ModelCardYaml.scalar("binary body mask, " + size + " × " + size + " pixels over a "
                        + (int) WholeBodyPhantom.FIELD_MM + " mm square field (spine.whole-body); >0.5 is body"),
                "output:",
                "  kind: " + ModelCardYaml.scalar("AP whole-body radiograph, -ln(I/I0) (bone bright), same grid"),
                "  intensity: " + ModelCardYaml.scalar("model value x in [-1, 1] is -ln(I/I0) = (x + 1) * "
                        + (int) XRAY_RANGE + " / 2"));
    }

    static MaskelNetwork fromCard(ModelCard card) throws IOException {
        try {
            return new MaskelNetwork(card.integer("architecture.image-size"), card.integer("architecture.patch"),
                    card.integer("architecture.dim"), card.integer("architecture.depth"),
                    card.integer("architecture.heads"), card.integer("architecture.decoder-dim"),
                    card.integer("architecture.decoder-depth"), card.integer("architecture.codes"),
                    card.integer("architecture.code-dim"), card.integer("architecture.decoder-channels"));
        } catch (IllegalArgumentException e) {
            throw new IOException(card.file() + ": " + e.getMessage(), e);
        }
    }
}
