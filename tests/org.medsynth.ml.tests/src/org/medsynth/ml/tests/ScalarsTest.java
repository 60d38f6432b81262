package org.medsynth.ml.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.medsynth.ml.MlEngine;
import org.medsynth.ml.Scalars;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

/**
 * {@link Scalars}: the scalar that autograd keeps for the backward pass survives a garbage collection between
 * forward and backward (with DJL's {@code mul(Number)} the gradient read freed memory: 9.5e8 for a factor of 3 in
 * this very setting), and the values are those of DJL's {@code Number} overloads, bit for bit.
 */
class ScalarsTest {

    @Test
    void gradientsSurviveAGarbageCollectionBetweenForwardAndBackward() throws InterruptedException {
        assertArrayEquals(new float[] {3, 3, 3, 3}, gradientAfterCollection(x -> Scalars.times(x, 3)));
        assertArrayEquals(new float[] {2, 2, 2, 2}, gradientAfterCollection(x -> Scalars.dividedBy(x, 0.5)));
        // d(x^3)/dx = 3x^2 at x = 1
        assertArrayEquals(new float[] {3, 3, 3, 3}, gradientAfterCollection(x -> Scalars.power(x, 3)));
    }

    private static float[] gradientAfterCollection(UnaryOperator<NDArray> operation) throws InterruptedException {
        try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
            NDArray x = manager.ones(new Shape(4));
            x.setRequiresGradient(true);
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray y = operation.apply(x);
                List<ByteBuffer> reuse = collectAndReuseFreedDirectMemory();
                collector.backward(y.sum());
                assertEquals(2000, reuse.size());
            }
            return x.getGradient().toFloatArray();
        }
    }

    /** Frees what the collector can free, then takes small direct buffers holding 7 (malloc hands freed blocks back). */
    private static List<ByteBuffer> collectAndReuseFreedDirectMemory() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(20); // the cleaner thread frees direct buffers after the collection
        }
        List<ByteBuffer> buffers = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            buffers.add(ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder()).putFloat(0, 7f).putFloat(4, 7f));
        }
        return buffers;
    }

    @Test
    void valuesEqualDjlsNumberOverloadsBitForBit() {
        try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
            NDArray x = manager.create(new float[] {0.1f, -2.5f, 3.75f, 1e-3f});
            double factor = Math.sqrt(0.37);
            assertArrayEquals(x.mul(factor).toFloatArray(), Scalars.times(x, factor).toFloatArray());
            assertArrayEquals(x.div(factor).toFloatArray(), Scalars.dividedBy(x, factor).toFloatArray());
            assertArrayEquals(x.abs().pow(1.5).toFloatArray(), Scalars.power(x.abs(), 1.5).toFloatArray());
            assertArrayEquals(x.duplicate().muli(factor).toFloatArray(),
                    Scalars.timesInPlace(x.duplicate(), factor).toFloatArray());
            assertArrayEquals(x.duplicate().divi(factor).toFloatArray(),
                    Scalars.dividedByInPlace(x.duplicate(), factor).toFloatArray());
            NDArray loss = manager.create(0.25f);
            assertEquals(DataType.FLOAT32, Scalars.times(loss, factor).getDataType(), "a 0-d loss stays float32");
        }
    }
}
