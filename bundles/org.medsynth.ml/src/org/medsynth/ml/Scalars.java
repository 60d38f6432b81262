package org.medsynth.ml;

import java.util.function.BinaryOperator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Products, quotients and powers of an array with a plain number, safe under autograd. Use these instead of DJL's
 * {@code Number} overloads ({@code mul(Number)}, {@code div(Number)}, {@code pow(Number)}, {@code muli(Number)},
 * ...).
 * <p>
 * Why: DJL's PyTorch engine wraps the number in a 0-d array whose memory is a Java direct buffer
 * ({@code torch::from_blob}, no copy) and closes that array right after the operation, which drops its last Java
 * reference to the buffer. Autograd keeps the scalar for the backward pass (d(x·c)/dx = c), so once the garbage
 * collector frees the buffer the backward pass reads freed memory: sporadic wrong, huge or infinite gradients that
 * depend on when the collector ran. The scalar here is allocated by libtorch ({@code torch.full}); autograd's own
 * reference keeps it alive after it is closed. The results are the same bits as the {@code Number} overloads.
 */
public final class Scalars {
    private Scalars() {
    }

    /** x · factor. */
    public static NDArray times(NDArray x, double factor) {
        return withScalar(x, factor, NDArray::mul);
    }

    /** x / divisor. */
    public static NDArray dividedBy(NDArray x, double divisor) {
        return withScalar(x, divisor, NDArray::div);
    }

    /** x ^ exponent, element-wise. */
    public static NDArray power(NDArray x, double exponent) {
        return withScalar(x, exponent, NDArray::pow);
    }

    /** Multiplies x by factor in place; returns x. */
    public static NDArray timesInPlace(NDArray x, double factor) {
        return withScalar(x, factor, NDArray::muli);
    }

    /** Divides x by divisor in place; returns x. */
    public static NDArray dividedByInPlace(NDArray x, double divisor) {
        return withScalar(x, divisor, NDArray::divi);
    }

    private static NDArray withScalar(NDArray x, double value, BinaryOperator<NDArray> operation) {
        try (NDArray scalar = scalar(x, value)) {
            return operation.apply(x, scalar);
        }
    }

    /** The number as a 0-d libtorch array of x's floating type (float32 for integer arrays), on x's device. */
    private static NDArray scalar(NDArray x, double value) {
        DataType type = x.getDataType().isFloating() ? x.getDataType() : DataType.FLOAT32;
        return x.getManager().full(new Shape(), (float) value, type);
    }
}
