package org.medsynth.ml;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDResource;

/**
 * Per-step native memory scopes. NDArrays live in native memory until their manager closes, and an operation puts
 * its result in the manager of its first operand, so arrays derived from long-lived inputs pile up in the long-lived
 * manager (hundreds of MB per forward pass). Run each step through {@link #compute} instead.
 */
public final class NDScopes {
    private NDScopes() {
    }

    /** One step of NDArray work in a scope manager. */
    @FunctionalInterface
    public interface ScopedWork<R, X extends Exception> {
        R apply(NDManager scope) throws X;
    }

    /**
     * Runs {@code work} in a new sub-manager of {@code parent} and closes it afterwards, also when {@code work}
     * throws. The {@code inputs} are attached to the scope for its duration, so everything computed from them is
     * freed with it; they return to their own managers afterwards. A result that is an {@code NDResource}
     * ({@code NDArray}, {@code NDList}) is attached to {@code parent} and survives, unless it is one of the inputs;
     * every other array made in the scope is closed.
     */
    public static <R, X extends Exception> R compute(NDManager parent, ScopedWork<R, X> work,
            NDResource... inputs) throws X {
        try (NDManager scope = parent.newSubManager()) {
            scope.tempAttachAll(inputs);
            R result = work.apply(scope);
            if (result instanceof NDResource resource && !isOneOf(resource, inputs)) {
                resource.attach(parent);
            }
            return result;
        }
    }

    private static boolean isOneOf(NDResource resource, NDResource[] inputs) {
        for (NDResource input : inputs) {
            if (input == resource) {
                return true;
            }
        }
        return false;
    }
}
