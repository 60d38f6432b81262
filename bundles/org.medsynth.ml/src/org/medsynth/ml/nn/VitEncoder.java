package org.medsynth.ml.nn;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * A Vision Transformer encoder (Dosovitskiy et al. 2021), 2D or 3D: non-overlapping patches embedded by a
 * convolution ({@code patch_embed}), a learnable class token ({@code cls_token}, (1, 1, dim)) prepended, learnable
 * positions ({@code pos_embed}, (1, 1 + patches, dim)) added, then {@code depth} pre-norm transformer blocks
 * ({@code blocks.i}, {@link TransformerBlock}) and a
 * final {@code norm}. Output: the tokens (N, 1 + patches, dim), class token first.
 */
public final class VitEncoder extends ExplicitBlock {
    private final Conv patchEmbedding;
    private final Parameter classToken;
    private final Parameter positions;
    private final List<TransformerBlock> blocks = new ArrayList<>();
    private final LayerNorm norm;
    private final long patches;

    /**
     * @param imageSize pixels per side of the (square or cubic) input, a multiple of {@code patch}
     * @param mlpRatio  hidden features of each MLP per token feature (4 in ViT)
     */
    public VitEncoder(int dimensions, int inChannels, int imageSize, int patch, int dim, int depth, int heads,
            int mlpRatio) {
        if (imageSize % patch != 0) {
            throw new IllegalArgumentException("image size " + imageSize + " is not a multiple of the patch size "
                    + patch);
        }
        patches = (long) Math.pow(imageSize / patch, dimensions);
        patchEmbedding = child("patch_embed", new Conv(dimensions, inChannels, dim, patch, patch, 0));
        classToken = embeddingParameter("cls_token", new Shape(1, 1, dim));
        positions = embeddingParameter("pos_embed", new Shape(1, patches + 1, dim));
        for (int i = 0; i < depth; i++) {
            blocks.add(child("blocks." + i, new TransformerBlock(dim, heads, dim * mlpRatio)));
        }
        norm = child("norm", new LayerNorm(dim));
    }

    public NDArray apply(ParameterStore parameters, NDArray x, boolean training) {
        return encode(parameters, embed(parameters, x, training), training);
    }

    /**
     * Encodes only the patches that {@code selection} picks, as the encoder of a masked autoencoder (He et al. 2022)
     * sees the visible patches alone: {@code selection} (N, K, patches) has one 1 per row, at the index of the k-th
     * kept patch of each image. The patches keep their own positions. Output: (N, 1 + K, dim), class token first.
     */
    public NDArray applyVisible(ParameterStore parameters, NDArray x, NDArray selection, boolean training) {
        NDArray h = embed(parameters, x, training);
        Shape selectionShape = selection.getShape();
        if (selectionShape.dimension() != 3 || selectionShape.get(0) != x.getShape().get(0)
                || selectionShape.get(2) != patches) {
            throw new IllegalArgumentException("the patch selection " + selectionShape + " is not (N, K, " + patches
                    + ") for input " + x.getShape());
        }
        NDArray cls = h.get(":, :1, :");
        NDArray kept = selection.matMul(h.get(":, 1:, :"));
        return encode(parameters, cls.concat(kept, 1), training);
    }

    /** Class token and patch tokens with their positions added: (N, 1 + patches, dim). */
    private NDArray embed(ParameterStore parameters, NDArray x, boolean training) {
        NDArray tokens = Ops.toTokens(patchEmbedding.apply(parameters, x, training));
        Shape shape = tokens.getShape();
        if (shape.get(1) != patches) {
            throw new IllegalArgumentException("input " + x.getShape() + " gives " + shape.get(1) + " patches; this "
                    + "encoder was built for " + patches);
        }
        NDArray cls = value(parameters, classToken, x, training).broadcast(shape.get(0), 1, shape.get(2));
        // owned by the input's manager, as every later result is: made from the parameter, it would otherwise live
        // (with its graph) in the model's manager until the model is closed, one per training step
        cls.attach(x.getManager());
        return cls.concat(tokens, 1).add(value(parameters, positions, x, training));
    }

    private NDArray encode(ParameterStore parameters, NDArray h, boolean training) {
        for (TransformerBlock block : blocks) {
            h = block.apply(parameters, h, training);
        }
        return norm.apply(parameters, h, training);
    }

    @Override
    protected NDList compute(ParameterStore parameters, NDList inputs, boolean training) {
        return new NDList(apply(parameters, inputs.singletonOrThrow(), training));
    }
}
