package org.medsynth.ml.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.medsynth.ml.MlEngine;
import org.medsynth.ml.NDScopes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

class NDScopesTest {

    @Test
    void intermediatesAreFreedAndTheResultMovesToTheParent() {
        try (NDManager inputs = MlEngine.pytorch().newBaseManager();
                NDManager results = MlEngine.pytorch().newBaseManager()) {
            NDArray input = inputs.create(new float[] {1, 2, 3});
            AtomicReference<NDArray> intermediate = new AtomicReference<>();
            NDArray result = NDScopes.compute(results, scope -> {
                NDArray doubled = input.mul(2); // an op's result lands in its operand's manager: here, the scope
                intermediate.set(doubled);
                return doubled.add(1);
            }, input);

            assertTrue(intermediate.get().isReleased(), "the intermediate array was freed with the scope");
            assertFalse(result.isReleased());
            assertSame(results, result.getManager());
            assertArrayEquals(new float[] {3, 5, 7}, result.toFloatArray());
            assertFalse(input.isReleased());
            assertSame(inputs, input.getManager(), "the input went back to its own manager");
        }
    }

    @Test
    void anInputReturnedAsResultStaysWithItsManager() {
        try (NDManager inputs = MlEngine.pytorch().newBaseManager();
                NDManager results = MlEngine.pytorch().newBaseManager()) {
            NDArray input = inputs.create(new float[] {4, 5});
            NDArray result = NDScopes.compute(results, scope -> input, input);
            assertSame(input, result);
            assertFalse(input.isReleased());
            assertSame(inputs, input.getManager());
        }
    }

    @Test
    void aFailingStepStillFreesItsArrays() {
        try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
            AtomicReference<NDArray> made = new AtomicReference<>();
            assertThrows(IllegalStateException.class, () -> NDScopes.compute(manager, scope -> {
                made.set(scope.zeros(new Shape(8)));
                throw new IllegalStateException("step failed");
            }));
            assertTrue(made.get().isReleased());
        }
    }
}
