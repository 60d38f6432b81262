package org.medsynth.ml.loss;

import org.medsynth.ml.Scalars;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Cross-entropy and focal loss from logits (N, C, *spatial) and integer class-index targets (N, *spatial), for
 * classification (no spatial axes) and segmentation alike. Positions whose target is the ignore index count for
 * nothing; when every position is ignored the loss is 0 (PyTorch gives NaN).
 */
public final class ClassificationLosses {
    /** Ignore no position (PyTorch's default ignore index, −100, is an ordinary value to pass). */
    public static final long NO_IGNORE = Long.MIN_VALUE;

    private ClassificationLosses() {
    }

    /** Mean cross-entropy over all positions, as {@code F.cross_entropy(logits, targets)}. */
    public static NDArray crossEntropy(NDArray logits, NDArray targets) {
        return crossEntropy(logits, targets, null, NO_IGNORE);
    }

    /**
     * Class-weighted cross-entropy, as {@code F.cross_entropy(logits, targets, weight, ignore_index)}: Σ w[t]·(−log
     * softmax(logits)[t]) / Σ w[t] over the positions not ignored.
     *
     * @param classWeights (C) weights w, or null for all ones
     * @param ignoreIndex  the target value of positions to skip, or {@link #NO_IGNORE}
     */
    public static NDArray crossEntropy(NDArray logits, NDArray targets, NDArray classWeights, long ignoreIndex) {
        Picked picked = pick(logits, targets, classWeights, ignoreIndex);
        return LossArguments.weightedMean(picked.logProbabilities().neg(), picked.weights());
    }

    /**
     * Multi-class focal loss (Lin et al. 2017): the mean over the positions not ignored of
     * −α[t]·(1 − p_t)^γ·log p_t, p_t the softmax probability of the target class. γ = 0 with α = null is the
     * cross-entropy. For the binary form with a scalar α, use two classes and α = (1 − α, α).
     *
     * @param gamma       focusing exponent γ ≥ 0 (2 in the paper)
     * @param alpha       (C) class balance weights α, or null for all ones; they scale, not normalise
     * @param ignoreIndex the target value of positions to skip, or {@link #NO_IGNORE}
     */
    public static NDArray focal(NDArray logits, NDArray targets, double gamma, NDArray alpha, long ignoreIndex) {
        if (!(gamma >= 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("the focal exponent γ must be finite and ≥ 0, got " + gamma);
        }
        Picked picked = pick(logits, targets, alpha, ignoreIndex);
        NDArray logPt = picked.logProbabilities();
        NDArray modulation = Scalars.power(logPt.exp().neg().add(1), gamma);
        NDArray perPosition = modulation.mul(logPt).neg().mul(picked.weights());
        return LossArguments.weightedMean(perPosition, picked.kept());
    }

    /**
     * Per position: log softmax of the target class, its class weight (0 where ignored) and the 0/1 kept mask.
     */
    private record Picked(NDArray logProbabilities, NDArray weights, NDArray kept) {
    }

    private static Picked pick(NDArray logits, NDArray targets, NDArray classWeights, long ignoreIndex) {
        LossArguments.requireClassLayout("logits", logits, targets);
        long classes = logits.getShape().get(1);
        if (classWeights != null && !classWeights.getShape().equals(new Shape(classes))) {
            throw new IllegalArgumentException("class weights of shape " + classWeights.getShape() + " do not match "
                    + classes + " classes of logits " + logits.getShape());
        }
        NDArray indices = LossArguments.indices(targets, classes, ignoreIndex);
        DataType type = logits.getDataType();
        NDArray keptIndices = indices.neq(ignoreIndex);
        NDArray kept = keptIndices.toType(type, false);
        // ignored positions read class 0 and are then weighted 0
        NDArray safe = indices.mul(keptIndices.toType(DataType.INT64, false));
        NDArray logPt = logits.logSoftmax(1).gather(safe.expandDims(1), 1).squeeze(1);
        NDArray weights = classWeights == null ? kept : classWeights.toType(type, false).take(safe).mul(kept);
        return new Picked(logPt, weights, kept);
    }
}
