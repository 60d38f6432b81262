package org.medsynth.ml.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.junit.jupiter.api.Test;
import org.medsynth.ml.MlEngine;
import org.medsynth.ml.NDScopes;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Utils;

class MlEngineTest {

    @Test
    void pyTorch251RunsInsideOsgiWithOfflineModeInForce() {
        Engine engine = MlEngine.pytorch();
        assertEquals("PyTorch", engine.getEngineName());
        assertEquals("2.5.1", engine.getVersion());
        assertEquals("true", System.getProperty(MlEngine.OFFLINE_PROPERTY));
        assertTrue(Utils.isOfflineMode(), "DJL must see offline mode");
        assertSame(engine, MlEngine.pytorch(), "the engine starts once");
    }

    @Test
    void engineVersionsNameDjlPytorchAndFlavor() {
        Map<String, String> versions = MlEngine.engineVersions();
        assertEquals(Map.of("engine", "PyTorch", "djl", "0.32.0", "pytorch", "2.5.1", "flavor", "cpu"), versions);
    }

    @Test
    void conv2dMatchesHandComputedValues() {
        try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
            // input: 3 rows x 4 columns holding 1..12 row by row; kernel [[1, 2], [3, 4]]; bias 0.5; no padding
            NDArray input = manager.arange(1f, 13f).reshape(1, 1, 3, 4);
            NDArray kernel = manager.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2));
            NDArray bias = manager.create(new float[] {0.5f});
            NDArray output = Conv2d.conv2d(input, kernel, bias).singletonOrThrow();
            // out[i][j] = in[i][j] + 2 in[i][j+1] + 3 in[i+1][j] + 4 in[i+1][j+1] + 0.5 (cross-correlation, as PyTorch)
            assertEquals(new Shape(1, 1, 2, 3), output.getShape());
            assertArrayEquals(new float[] {44.5f, 54.5f, 64.5f, 84.5f, 94.5f, 104.5f}, output.toFloatArray());
        }
    }

    @Test
    void inEngineContextSetsTheDjlLoaderAndRestoresTheCallersLoader() {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        ClassLoader callers = new URLClassLoader(new URL[0], null);
        thread.setContextClassLoader(callers);
        try {
            ClassLoader inside = MlEngine.inEngineContext(() -> Thread.currentThread().getContextClassLoader());
            assertSame(Engine.class.getClassLoader(), inside);
            assertSame(callers, thread.getContextClassLoader());
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    @Test
    void computesOnAJobThread() throws InterruptedException {
        AtomicReference<float[]> result = new AtomicReference<>();
        Job job = Job.create("ml engine test", (IProgressMonitor monitor) -> {
            float[] sums = MlEngine.inEngineContext(() -> {
                try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
                    return NDScopes.compute(manager,
                            scope -> scope.ones(new Shape(2, 3)).mul(2).sum(new int[] {1}).toFloatArray());
                }
            });
            result.set(sums);
            return Status.OK_STATUS;
        });
        job.schedule();
        assertTrue(job.join(120_000, null), "the job finished");
        assertEquals(IStatus.OK, job.getResult().getSeverity(), () -> job.getResult().toString());
        assertArrayEquals(new float[] {6f, 6f}, result.get());
    }

    @Test
    void everyThreadComputesWithTheConfiguredIntraOpThreadCount() throws Exception {
        MlEngine.pytorch();
        int configured = Integer.getInteger("ai.djl.pytorch.num_threads");
        AtomicReference<int[]> counts = new AtomicReference<>();
        // a thread that never ran engine work has libtorch's default (every core); inEngineContext must set it
        Thread fresh = new Thread(() -> counts.set(new int[] {JniUtils.getNumThreads(),
                MlEngine.inEngineContext(JniUtils::getNumThreads)}));
        fresh.start();
        fresh.join();
        assertEquals(configured, counts.get()[1], "threads outside inEngineContext: " + counts.get()[0]);
    }
}
