package org.medsynth.ml.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.medsynth.ml.Scalars;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;

/** Gradient clipping by the global L2 norm, as {@code torch.nn.utils.clip_grad_norm_} does it. */
public final class GradientClipping {
    /** PyTorch's guard against division by a zero norm. */
    private static final double NORM_EPSILON = 1e-6;

    private GradientClipping() {
    }

    /** The names of the parameters whose gradient holds a NaN or an infinity, in order. */
    public static List<String> nonFinite(Map<String, Parameter> parameters) {
        List<String> names = new ArrayList<>();
        parameters.forEach((name, parameter) -> {
            if (parameter.getArray().hasGradient()) {
                try (NDArray gradient = parameter.getArray().getGradient(); NDArray sum = gradient.sum()) {
                    if (!Float.isFinite(sum.getFloat())) {
                        names.add(name);
                    }
                }
            }
        });
        return names;
    }

    /** The L2 norm of all gradients of {@code parameters} taken together. */
    public static double globalNorm(Map<String, Parameter> parameters) {
        double sumOfSquares = 0;
        for (Parameter parameter : parameters.values()) {
            if (parameter.getArray().hasGradient()) {
                try (NDArray gradient = parameter.getArray().getGradient(); NDArray square = gradient.square();
                        NDArray sum = square.sum()) {
                    sumOfSquares += sum.getFloat();
                }
            }
        }
        return Math.sqrt(sumOfSquares);
    }

    /**
     * The L2 norm of all gradients of {@code parameters} taken together, before clipping; when it exceeds
     * {@code maxNorm}, every gradient is scaled in place by {@code maxNorm / (norm + 1e-6)}.
     */
    public static double clipGlobalNorm(Map<String, Parameter> parameters, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("the maximum gradient norm must be positive, got " + maxNorm);
        }
        double norm = globalNorm(parameters);
        double scale = maxNorm / (norm + NORM_EPSILON);
        if (scale < 1) {
            for (Parameter parameter : parameters.values()) {
                if (parameter.getArray().hasGradient()) {
                    try (NDArray gradient = parameter.getArray().getGradient()) {
                        Scalars.timesInPlace(gradient, scale);
                    }
                }
            }
        }
        return norm;
    }
}
