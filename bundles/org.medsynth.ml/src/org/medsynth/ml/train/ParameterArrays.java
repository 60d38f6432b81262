package org.medsynth.ml.train;

import java.util.LinkedHashMap;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

/** Copies of parameter values, in-place writes into parameters and their gradients, outside autograd. */
public final class ParameterArrays {
    private static final NDIndex ALL = new NDIndex("...");

    private ParameterArrays() {
    }

    /** Detached copies of the parameters' current values, in {@code manager}, under the parameters' names. */
    public static Map<String, NDArray> copy(Map<String, Parameter> parameters, NDManager manager) {
        Map<String, NDArray> copies = new LinkedHashMap<>();
        parameters.forEach((name, parameter) -> {
            try (NDArray detached = parameter.getArray().stopGradient()) {
                NDArray copy = detached.duplicate();
                copy.attach(manager);
                copies.put(name, copy);
            }
        });
        return copies;
    }

    /**
     * Writes {@code values} into the parameters of the same names (bit for bit; the parameters keep their identity,
     * gradients and optimizer state). Every parameter must have a value of its shape.
     */
    public static void write(Map<String, NDArray> values, Map<String, Parameter> parameters) {
        parameters.forEach((name, parameter) -> {
            NDArray value = values.get(name);
            NDArray target = parameter.getArray();
            if (value == null || !value.getShape().equals(target.getShape())) {
                throw new IllegalArgumentException("no value of shape " + target.getShape() + " for parameter "
                        + name + (value == null ? "" : " (got " + value.getShape() + ")"));
            }
            // index assignment copies into the detached view's storage, which the parameter shares
            try (NDArray detached = target.stopGradient()) {
                detached.set(ALL, value);
            }
        });
    }

    /** Sets the gradients of {@code parameters} to zero, so the next backward pass does not add to them. */
    public static void zeroGradients(Map<String, Parameter> parameters) {
        for (Parameter parameter : parameters.values()) {
            if (parameter.getArray().hasGradient()) {
                // not g - g, which keeps a NaN; a zero array closed here, not a number, which the engine would
                // turn into a scalar array left in the parameters' manager at every call
                try (NDArray gradient = parameter.getArray().getGradient();
                        NDArray zero = gradient.getManager().zeros(new Shape(), gradient.getDataType())) {
                    gradient.set(ALL, zero);
                }
            }
        }
    }
}
