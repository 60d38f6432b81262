package org.medsynth.ml.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** Argument checks and reductions the losses share. */
final class LossArguments {
    private LossArguments() {
    }

    /** @throws IllegalArgumentException naming both shapes unless they are equal */
    static void requireSameShape(String first, NDArray a, String second, NDArray b) {
        if (!a.getShape().equals(b.getShape())) {
            throw new IllegalArgumentException(first + " has shape " + a.getShape() + " but " + second + " has shape "
                    + b.getShape() + "; they must be equal");
        }
    }

    /**
     * @throws IllegalArgumentException naming both shapes unless {@code weights} has the rank of {@code shape} and
     *                                  each of its sides is 1 or the side of {@code shape}
     */
    static void requireBroadcastable(String what, NDArray weights, Shape shape) {
        Shape w = weights.getShape();
        boolean fits = w.dimension() == shape.dimension();
        for (int axis = 0; fits && axis < w.dimension(); axis++) {
            fits = w.get(axis) == 1 || w.get(axis) == shape.get(axis);
        }
        if (!fits) {
            throw new IllegalArgumentException(what + " of shape " + w + " do not broadcast to the input shape " + shape
                    + " (same rank, each side 1 or equal)");
        }
    }

    /**
     * Σ w·v / Σ w over all elements, {@code weights} (non-negative, broadcast to {@code values}) or all ones when
     * null; 0 when the weights are all zero (an empty mask contributes nothing instead of 0/0).
     */
    static NDArray weightedMean(NDArray values, NDArray weights) {
        if (weights == null) {
            return values.mean();
        }
        NDArray full = weights.toType(values.getDataType(), false).broadcast(values.getShape());
        NDArray total = full.sum();
        NDArray empty = total.eq(0).toType(values.getDataType(), false);
        return values.mul(full).sum().div(total.add(empty));
    }

    /**
     * Class indices as int64 (what gather, take and one-hot index with).
     *
     * @param ignoreIndex a value allowed besides 0..classes−1 (positions to skip), or
     *                    {@link ClassificationLosses#NO_IGNORE}
     * @throws IllegalArgumentException for non-integer targets, or naming the first value outside 0..classes−1
     */
    static NDArray indices(NDArray targets, long classes, long ignoreIndex) {
        if (!targets.getDataType().isInteger()) {
            throw new IllegalArgumentException("class targets must be integer class indices, not "
                    + targets.getDataType());
        }
        NDArray indices = targets.toType(DataType.INT64, false);
        boolean ignores = ignoreIndex != ClassificationLosses.NO_IGNORE;
        NDArray outside = indices.lt(0).logicalOr(indices.gte(classes));
        if (ignores) {
            outside = outside.logicalAnd(indices.neq(ignoreIndex));
        }
        if (outside.any().getBoolean()) {
            throw new IllegalArgumentException("class target " + indices.booleanMask(outside).getLong(0)
                    + " is outside 0.." + (classes - 1) + (ignores ? " and is not the ignore index " + ignoreIndex
                    : ""));
        }
        return indices;
    }

    /**
     * @throws IllegalArgumentException naming both shapes unless {@code scores} is (N, C, *spatial) and
     *                                  {@code targets} is (N, *spatial)
     */
    static void requireClassLayout(String what, NDArray scores, NDArray targets) {
        Shape s = scores.getShape();
        Shape t = targets.getShape();
        if (s.dimension() < 2 || t.dimension() != s.dimension() - 1 || s.get(0) != t.get(0)
                || !s.slice(2).equals(t.slice(1))) {
            throw new IllegalArgumentException(what + " of shape " + s + " need targets of shape (N, *spatial) = "
                    + new Shape(s.get(0)).addAll(s.slice(2)) + ", got " + t);
        }
    }
}
