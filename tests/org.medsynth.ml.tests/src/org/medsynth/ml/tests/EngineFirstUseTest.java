package org.medsynth.ml.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.medsynth.ml.MlEngine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

/**
 * Runs first (see junit-platform.properties): DJL's Engine discovers providers once, through the thread context
 * class loader of whichever thread touches it first. Here that is a thread that cannot see the PyTorch fragment, as a
 * worker thread in the workbench may be; the engine must start all the same.
 */
@Order(1)
class EngineFirstUseTest {

    @Test
    void engineStartsAfterDjlWasFirstTouchedByAThreadBlindToTheEngine() throws Exception {
        ExecutorService blindThread = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "thread without a context class loader");
            thread.setContextClassLoader(null);
            return thread;
        });
        try {
            boolean pytorchFoundByFirstTouch = onThread(blindThread, () -> Engine.hasEngine(MlEngine.ENGINE_NAME));
            assertFalse(pytorchFoundByFirstTouch, "precondition: this test touched DJL first, without the fragment");

            float[] sum = onThread(blindThread, () -> {
                try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
                    return manager.create(new float[] {1, 2, 3}).cumSum().toFloatArray();
                }
            });
            assertArrayEquals(new float[] {1, 3, 6}, sum);
            assertEquals("2.5.1", MlEngine.pytorch().getVersion());
        } finally {
            blindThread.shutdown();
        }
    }

    private static <T> T onThread(ExecutorService thread, Callable<T> work)
            throws InterruptedException, ExecutionException {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return work.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, thread).get();
    }
}
