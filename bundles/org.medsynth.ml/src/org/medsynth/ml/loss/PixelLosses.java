package org.medsynth.ml.loss;

import ai.djl.ndarray.NDArray;

/**
 * Mean absolute (L1) and mean squared (L2) error, optionally weighted per element. With weights w ≥ 0 (broadcast to the
 * inputs' shape: same rank, each side 1 or equal) the mean is Σ w·d / Σ w; a 0/1 mask thus averages over the masked
 * elements only, and an all-zero mask gives 0 (with zero gradient) instead of 0/0.
 */
public final class PixelLosses {
    private PixelLosses() {
    }

    /** mean |prediction − target|. */
    public static NDArray l1(NDArray prediction, NDArray target) {
        return l1(prediction, target, null);
    }

    /** Σ w·|prediction − target| / Σ w; {@code weights} null for the plain mean. */
    public static NDArray l1(NDArray prediction, NDArray target, NDArray weights) {
        return LossArguments.weightedMean(difference(prediction, target, weights).abs(), weights);
    }

    /** mean (prediction − target)². */
    public static NDArray l2(NDArray prediction, NDArray target) {
        return l2(prediction, target, null);
    }

    /** Σ w·(prediction − target)² / Σ w; {@code weights} null for the plain mean. */
    public static NDArray l2(NDArray prediction, NDArray target, NDArray weights) {
        return LossArguments.weightedMean(difference(prediction, target, weights).square(), weights);
    }

    private static NDArray difference(NDArray prediction, NDArray target, NDArray weights) {
        LossArguments.requireSameShape("prediction", prediction, "target", target);
        if (weights != null) {
            LossArguments.requireBroadcastable("weights", weights, prediction.getShape());
        }
        return prediction.sub(target);
    }
}
