package org.medsynth.ml;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;

import org.eclipse.core.runtime.ILog;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineProvider;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Platform;
import ai.djl.util.Utils;

/**
 * The PyTorch engine of DJL, started inside Equinox, offline, with the native library of the
 * {@code pytorch-native-cpu} jar (the {@code ai.djl.pytorch.native.*} fragment of the {@code ai.djl.api} bundle).
 * <p>
 * DJL finds its engine, its JNI library and the libtorch binaries through the thread context class loader. In OSGi
 * that loader is whatever the calling thread happens to carry, so every engine call that may discover or load
 * something must run inside {@link #inEngineContext}. {@link #pytorch()} does this for the start itself.
 * <p>
 * Take managers and models from the engine this class returns ({@code MlEngine.pytorch().newBaseManager()}), not
 * from DJL's default-engine shortcuts ({@code NDManager.newBaseManager()}, {@code Engine.getInstance()}): the default
 * engine is fixed by whichever thread first touches DJL, and is missing if that thread could not see the engine.
 * <p>
 * The {@code ai.djl.api} bundle must never be updated or refreshed while the application runs: libtorch stays bound
 * to the class loader that loaded it first, and a new loader cannot load it again (restart instead).
 */
public final class MlEngine {
    public static final String ENGINE_NAME = "PyTorch";
    /** DJL's switch that keeps engine start from contacting the network (telemetry, downloads). */
    public static final String OFFLINE_PROPERTY = "ai.djl.offline";
    /**
     * The environment variable that caps the instruction set of libtorch's oneDNN. Its AVX2/AVX-512 convolution
     * kernels return wrong gradients on some CPUs; the launcher and the test runs set it to {@code SSE41}. It must be
     * in the environment before the process starts, so the engine can only warn when it is missing.
     */
    public static final String ONEDNN_ISA_VARIABLE = "ONEDNN_MAX_CPU_ISA";

    /** DJL's setting of libtorch's intra-op threads, applied by the engine start to the starting thread only. */
    static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";

    private static volatile Engine engine;
    /** Whether this thread has the configured intra-op thread count. */
    private static final ThreadLocal<Boolean> THREADS_APPLIED = ThreadLocal.withInitial(() -> false);

    private MlEngine() {
    }

    /** Work that runs with the DJL class loader as thread context class loader. */
    @FunctionalInterface
    public interface EngineWork<T, X extends Exception> {
        T run() throws X;
    }

    /**
     * The PyTorch engine, started on first use (thread-safe). Sets {@value #OFFLINE_PROPERTY}{@code =true} first
     * unless the launcher already set it.
     *
     * @throws IllegalStateException when the engine or its native library cannot be loaded, with what to check
     */
    public static Engine pytorch() {
        Engine started = engine;
        if (started == null) {
            synchronized (MlEngine.class) {
                if (engine == null) {
                    engine = inEngineContext(MlEngine::start);
                }
                started = engine;
            }
        }
        return started;
    }

    /**
     * Runs {@code work} with the thread context class loader set to the DJL bundle's loader, and restores the
     * previous loader afterwards. Use it around engine calls from Job threads and any other thread MedSynth does not
     * control.
     */
    public static <T, X extends Exception> T inEngineContext(EngineWork<T, X> work) throws X {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(Engine.class.getClassLoader());
        try {
            applyThreadCount();
            return work.run();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * What a run record needs to say which engine computed: {@code engine}, {@code djl} (DJL version),
     * {@code pytorch} (libtorch version) and {@code flavor} ({@code cpu}, or {@code cu124} with the CUDA native).
     * Starts the engine if needed.
     */
    public static Map<String, String> engineVersions() {
        Engine pytorch = pytorch();
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("engine", pytorch.getEngineName());
        versions.put("djl", Engine.getDjlVersion());
        versions.put("pytorch", pytorch.getVersion());
        // the same lookup DJL's LibUtils makes to choose the native library it loads
        versions.put("flavor", inEngineContext(() -> Platform.detectPlatform("pytorch").getFlavor()));
        return Collections.unmodifiableMap(versions);
    }

    /**
     * Gives this thread the configured intra-op thread count. The engine sets it on the thread that starts it, but
     * OpenMP keeps the count per thread: a job on another thread would otherwise compute with every core, and
     * reductions split across threads round differently, so equal seeds could give different weights.
     */
    private static void applyThreadCount() {
        Integer threads = Integer.getInteger(THREADS_PROPERTY);
        if (threads == null || engine == null || THREADS_APPLIED.get()) {
            return;
        }
        JniUtils.setNumThreads(threads);
        THREADS_APPLIED.set(true);
    }

    private static Engine start() {
        if (System.getProperty(OFFLINE_PROPERTY) == null) {
            System.setProperty(OFFLINE_PROPERTY, "true");
        }
        if (System.getenv(ONEDNN_ISA_VARIABLE) == null) {
            ILog.of(MlEngine.class).warn(ONEDNN_ISA_VARIABLE + " is not set: on some CPUs libtorch's oneDNN computes "
                    + "wrong convolution gradients with its AVX2/AVX-512 kernels. Start MedSynth with its launcher, or "
                    + "set " + ONEDNN_ISA_VARIABLE + "=SSE41 in the environment.");
        }
        try {
            // Engine's static initializer discovers providers through the TCCL; if another thread touched Engine
            // first with a loader that cannot see the PyTorch fragment, the provider is missing: register it here.
            if (!Engine.hasEngine(ENGINE_NAME)) {
                ServiceLoader.load(EngineProvider.class, Engine.class.getClassLoader()).forEach(Engine::registerEngine);
            }
            return Engine.getEngine(ENGINE_NAME);
        } catch (RuntimeException | LinkageError e) {
            throw new IllegalStateException("The PyTorch engine (DJL " + Engine.getDjlVersion()
                    + ") could not start: " + e.getMessage() + ". It comes from the fragments ai.djl.pytorch.engine, "
                    + "ai.djl.pytorch.jni and ai.djl.pytorch.native.cpu.linux.x86_64 of bundle ai.djl.api; the native "
                    + "library is extracted to " + Utils.getEngineCacheDir("pytorch") + ". Check that the three "
                    + "fragments are installed for this platform, that the cache directory is writable and has about "
                    + "500 MB free, and that the ai.djl.api bundle was not refreshed since the engine first loaded "
                    + "(restart the application if it was).", e);
        }
    }
}
