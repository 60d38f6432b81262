import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import org.medsynth.ml.nn.UNet;
import org.medsynth.ml.nn.UNetConfig;
import org.medsynth.ml.weights.NamedParameters;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

/**
 * The Java side of the U-Net benchmark. "speed": median time of a training step (forward, MSE, backward, SGD
 * update) and of a sampling step (eval forward) of the 2D U-Net of unet_benchmark.py. "memory3d": one training step
 * of the 3D U-Net at 64³, then the peak resident set size (VmHWM). Writes JSON to the given file.
 */
public final class UNetBenchmark {
    public static void main(String[] args) throws IOException {
        String mode = args[0];
        int repeats = Integer.parseInt(args[1]);
        Path out = Path.of(args[2]);
        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed(0);
        String json;
        try (NDManager manager = engine.newBaseManager()) {
            if (mode.equals("speed")) {
                UNet unet = new UNet(UNetConfig.of(2, 1, 1, 32, 1, 2, 2).withAttention(4, 2));
                unet.initialize(manager, DataType.FLOAT32);
                Shape shape = new Shape(8, 1, 64, 64);
                double[] train = time(repeats, () -> trainStep(engine, manager, unet, shape));
                double[] sample = time(repeats, () -> sampleStep(manager, unet, shape));
                json = String.format(Locale.ROOT, "{\"train_step_s\": %s, \"sample_step_s\": %s}", median(train),
                        median(sample));
            } else {
                UNet unet = new UNet(UNetConfig.of(3, 1, 1, 16, 1, 2, 2).withResBlocks(1));
                unet.initialize(manager, DataType.FLOAT32);
                trainStep(engine, manager, unet, new Shape(1, 1, 64, 64, 64));
                json = String.format(Locale.ROOT, "{\"peak_rss_mb\": %s}", peakRssMb());
            }
        }
        Files.writeString(out, json + "\n");
        System.out.println(json);
    }

    private static void trainStep(Engine engine, NDManager manager, UNet unet, Shape shape) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.randomNormal(shape);
            NDArray t = scope.full(new Shape(shape.get(0)), 500f);
            NDArray noise = scope.randomNormal(shape);
            try (GradientCollector gradients = engine.newGradientCollector()) {
                NDArray predicted = unet.forward(new ParameterStore(scope, false), new NDList(x, t), true)
                        .singletonOrThrow();
                gradients.backward(predicted.sub(noise).square().mean());
            }
            NamedParameters.of(unet).values().forEach(p -> {
                NDArray weight = p.getArray();
                NDArray gradient = weight.getGradient();
                weight.subi(gradient.mul(1e-3f));
                gradient.subi(gradient);
            });
        }
    }

    private static void sampleStep(NDManager manager, UNet unet, Shape shape) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.randomNormal(shape);
            NDArray t = scope.full(new Shape(shape.get(0)), 500f);
            unet.forward(new ParameterStore(scope, false), new NDList(x, t), false).singletonOrThrow().toFloatArray();
        }
    }

    private static double[] time(int repeats, Runnable step) {
        for (int i = 0; i < 2; i++) {
            step.run();
        }
        double[] seconds = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            step.run();
            seconds[i] = (System.nanoTime() - start) / 1e9;
        }
        return seconds;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static long peakRssMb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }
}
