package org.medsynth.ml.loss;

import org.medsynth.ml.Scalars;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Soft Dice loss for multi-class segmentation (Milletari et al. 2016; MONAI's {@code DiceLoss} defaults): for each
 * sample n and class c, Dice = (2·Σ p·g + s) / (Σ p + Σ g + s) over the spatial positions, p the predicted
 * probabilities (N, C, *spatial), g the one-hot targets from class indices (N, *spatial), s the smooth term; the
 * loss is 1 − Dice averaged over samples and classes, or per class. A class absent from both the target and the
 * prediction has Dice 1 (loss 0) even with s = 0, where the formula would read 0/0; with s &gt; 0 an absent class
 * has Dice s / (Σ p + s), which rewards predicting it nowhere.
 */
public final class DiceLoss {
    /** MONAI's default smooth term, in numerator and denominator. */
    public static final double DEFAULT_SMOOTH = 1e-5;

    private DiceLoss() {
    }

    /** Mean soft Dice loss of softmax(logits) over dimension 1. */
    public static NDArray fromLogits(NDArray logits, NDArray targets, double smooth) {
        return perClassFromLogits(logits, targets, smooth).mean();
    }

    /** Soft Dice loss of softmax(logits) per class, (C), each averaged over the samples. */
    public static NDArray perClassFromLogits(NDArray logits, NDArray targets, double smooth) {
        return perClass(logits.softmax(1), targets, smooth);
    }

    /** Mean soft Dice loss of probabilities (N, C, *spatial) that sum to 1 over the classes. */
    public static NDArray fromProbabilities(NDArray probabilities, NDArray targets, double smooth) {
        return perClass(probabilities, targets, smooth).mean();
    }

    /**
     * Soft Dice loss per class, (C), each averaged over the samples.
     *
     * @throws IllegalArgumentException for mismatched shapes, targets that are not class indices 0..C−1, or a
     *                                  negative smooth term
     */
    public static NDArray perClass(NDArray probabilities, NDArray targets, double smooth) {
        LossArguments.requireClassLayout("probabilities", probabilities, targets);
        if (!(smooth >= 0) || Double.isInfinite(smooth)) {
            throw new IllegalArgumentException("the Dice smooth term must be finite and ≥ 0, got " + smooth);
        }
        long samples = probabilities.getShape().get(0);
        int classes = (int) probabilities.getShape().get(1);
        int rank = probabilities.getShape().dimension();
        DataType type = probabilities.getDataType();
        // one-hot (N, *spatial, C) moved to (N, C, *spatial)
        int[] classesSecond = new int[rank];
        classesSecond[1] = rank - 1;
        for (int axis = 2; axis < rank; axis++) {
            classesSecond[axis] = axis - 1;
        }
        NDArray oneHot = LossArguments.indices(targets, classes, ClassificationLosses.NO_IGNORE).oneHot(classes).toType(type, false).transpose(classesSecond);
        NDArray p = probabilities.reshape(samples, classes, -1);
        NDArray g = oneHot.reshape(samples, classes, -1);
        NDArray intersection = p.mul(g).sum(new int[] {2});
        NDArray denominator = p.add(g).sum(new int[] {2});
        // 1 for a class absent from target and prediction alike when s = 0, instead of 0/0
        NDArray empty = denominator.add(smooth).eq(0).toType(type, false);
        NDArray dice = Scalars.times(intersection, 2).add(smooth).add(empty).div(denominator.add(smooth).add(empty));
        return dice.neg().add(1).mean(new int[] {0});
    }
}
