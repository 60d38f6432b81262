package org.medsynth.spine.uxdiff;

import java.util.ArrayList;
import java.util.List;

import org.medsynth.ml.nn.Conv;
import org.medsynth.ml.nn.ExplicitBlock;
import org.medsynth.ml.nn.LayerNorm;
import org.medsynth.ml.nn.Ops;
import org.medsynth.ml.nn.ScalarEmbedding;
import org.medsynth.ml.nn.TransformerBlock;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * The angle-embedding transformer of UXDiff: the source ultrasound cut into non-overlapping patches, each embedded
 * by a convolution ({@code patch_embed}) plus a learnt position ({@code pos_embed}), and two angle tokens, the Cobb
 * angle's and the UCA's: each angle (degrees; {@value SpinePairs#MISSING_ANGLE} when not given) through the
 * sinusoidal embedding and MLP of {@link ScalarEmbedding} ({@code angle_embed}) plus a learnt embedding of its slot
 * ({@code slot_embed}, (1, 2, dim)). The tokens pass through {@code depth} pre-norm transformer blocks and a final
 * layer norm; the result, (N, patches + 2, dim), is the context the U-Net's cross-attention reads.
 */
final class AngleTransformer extends ExplicitBlock {
    /** Angle slots: the Cobb angle (the teacher's condition) and the UCA (the student's). */
    static final int ANGLES = 2;
    private final Conv patchEmbedding;
    private final Parameter positions;
    private final ScalarEmbedding angleEmbedding;
    private final Parameter slots;
    private final List<TransformerBlock> blocks = new ArrayList<>();
    private final LayerNorm norm;
    private final long patches;

    AngleTransformer(int columns, int rows, int patch, int dim, int depth, int heads) {
        if (columns % patch != 0 || rows % patch != 0) {
            throw new IllegalArgumentException("a " + columns + " × " + rows + " image cannot be cut into " + patch
                    + "-pixel patches");
        }
        patches = (long) (columns / patch) * (rows / patch);
        patchEmbedding = child("patch_embed", new Conv(2, 1, dim, patch, patch, 0));
        positions = embeddingParameter("pos_embed", new Shape(1, patches, dim));
        angleEmbedding = child("angle_embed", new ScalarEmbedding(dim, dim));
        slots = embeddingParameter("slot_embed", new Shape(1, ANGLES, dim));
        for (int i = 0; i < depth; i++) {
            blocks.add(child("blocks." + i, new TransformerBlock(dim, heads, 4 * dim)));
        }
        norm = child("norm", new LayerNorm(dim));
    }

    /** The context tokens of ultrasounds (N, 1, H, W) and their angles (N, 2): Cobb, UCA. */
    NDArray apply(ParameterStore parameters, NDArray ultrasound, NDArray angles, boolean training) {
        NDArray tokens = Ops.toTokens(patchEmbedding.apply(parameters, ultrasound, training));
        if (tokens.getShape().get(1) != patches) {
            throw new IllegalArgumentException("ultrasound " + ultrasound.getShape() + " gives "
                    + tokens.getShape().get(1) + " patches; this transformer was built for " + patches);
        }
        long n = tokens.getShape().get(0);
        if (!angles.getShape().equals(new Shape(n, ANGLES))) {
            throw new IllegalArgumentException("angles " + angles.getShape() + " are not (" + n + ", " + ANGLES
                    + "): one Cobb angle and one UCA per image");
        }
        tokens = tokens.add(value(parameters, positions, ultrasound, training));
        long dim = tokens.getShape().get(2);
        NDArray angleTokens = angleEmbedding.apply(parameters, angles.reshape(-1), training).reshape(n, ANGLES, dim)
                .add(value(parameters, slots, ultrasound, training));
        NDArray h = tokens.concat(angleTokens, 1);
        for (TransformerBlock block : blocks) {
            h = block.apply(parameters, h, training);
        }
        return norm.apply(parameters, h, training);
    }

    @Override
    protected NDList compute(ParameterStore parameters, NDList inputs, boolean training) {
        return new NDList(apply(parameters, inputs.get(0), inputs.get(1), training));
    }
}
