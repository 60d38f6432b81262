package org.medsynth.ml;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;

/**
 * The devices the PyTorch engine can compute on, and the mapping from a user's device choice (preference, CLI flag)
 * to a DJL {@link Device}.
 * <p>
 * Choices: {@code auto} (the first GPU if there is one, otherwise the CPU), {@code cpu}, {@code gpu} or
 * {@code cuda} (meaning {@code gpu:0}), and {@code gpu:N}. Case is ignored.
 * <p>
 * GPUs need CUDA support in the native library. The default build ships only the CPU native
 * ({@code ai.djl.pytorch:pytorch-native-cpu:2.5.1:linux-x86_64}); CUDA needs the optional
 * {@code ai.djl.pytorch:pytorch-native-cu124:2.5.1:linux-x86_64} native (about 2.4 GB, never part of the default
 * build) plus an NVIDIA driver. Without it the engine reports no GPU even on a machine that has one.
 */
public final class Devices {
    public static final String AUTO = "auto";
    private static final Pattern GPU_INDEX = Pattern.compile("(?:gpu|cuda):(\\d{1,4})");

    private Devices() {
    }

    /** The CPU, then every GPU the engine can use, in index order. */
    public static List<Device> available() {
        List<Device> devices = new ArrayList<>();
        devices.add(Device.cpu());
        int gpus = gpuCount();
        for (int i = 0; i < gpus; i++) {
            devices.add(Device.gpu(i));
        }
        return List.copyOf(devices);
    }

    /**
     * The device for a user's choice. {@code auto} falls back to the CPU when no GPU is usable; an explicit GPU that
     * is not usable is an error, never a silent fallback.
     *
     * @throws IllegalArgumentException for an unknown choice, or a GPU that this engine cannot use (the message
     *                                  says why)
     */
    public static Device resolve(String choice) {
        String normalized = Objects.requireNonNull(choice, "device choice").trim().toLowerCase(Locale.ROOT);
        return switch (normalized) {
            case AUTO -> gpuCount() > 0 ? Device.gpu(0) : Device.cpu();
            case "cpu" -> Device.cpu();
            case "gpu", "cuda" -> usableGpu(0, choice);
            default -> {
                Matcher gpu = GPU_INDEX.matcher(normalized);
                if (!gpu.matches()) {
                    throw new IllegalArgumentException(
                            "unknown device '" + choice + "' (use auto, cpu, gpu or gpu:N, e.g. gpu:0)");
                }
                yield usableGpu(Integer.parseInt(gpu.group(1)), choice);
            }
        };
    }

    /** The short name of a device as choices, scheduling rules and run records spell it: {@code cpu}, {@code gpu:N}. */
    public static String id(Device device) {
        return device.isGpu() ? "gpu:" + device.getDeviceId() : device.getDeviceType();
    }

    private static Device usableGpu(int index, String choice) {
        Engine engine = MlEngine.pytorch();
        if (!engine.hasCapability(StandardCapabilities.CUDA)) {
            throw new IllegalArgumentException("device '" + choice + "' (gpu:" + index + ") is not available: the "
                    + "PyTorch native library in this installation is the CPU build (flavor "
                    + MlEngine.engineVersions().get("flavor") + "). GPUs need the optional CUDA native "
                    + "ai.djl.pytorch:pytorch-native-cu124:2.5.1 and an NVIDIA driver; use 'cpu' or 'auto' here.");
        }
        int gpus = gpuCount();
        if (index >= gpus) {
            throw new IllegalArgumentException("device '" + choice + "' (gpu:" + index + ") is not available: CUDA "
                    + "reports " + gpus + " GPU(s)" + (gpus == 0 ? " (is the NVIDIA driver installed?)" : "")
                    + "; use " + (gpus == 0 ? "'cpu' or 'auto'" : "gpu:0 to gpu:" + (gpus - 1)) + ".");
        }
        return Device.gpu(index);
    }

    private static int gpuCount() {
        Engine engine = MlEngine.pytorch();
        // DJL asks CUDA only when the loaded native library was built with it
        return MlEngine.inEngineContext(engine::getGpuCount);
    }
}
