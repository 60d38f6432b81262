package org.medsynth.ml.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.medsynth.ml.MlEngine;
import org.medsynth.ml.Seeding;
import org.medsynth.ml.loss.AdversarialLoss;
import org.medsynth.ml.loss.GradientPenalty;
import org.medsynth.ml.nn.PatchGan;
import org.medsynth.ml.train.ParameterArrays;
import org.medsynth.ml.weights.NamedParameters;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

/**
 * Discriminator steps with the R1 penalty leave nothing behind in the discriminator's NDManager from step to step,
 * as steps without it: every gradient handle the penalty opens on the weights is closed again (each one kept that
 * step's gradient tensor, and the graph it references, alive for as long as the model). The process's resident
 * growth over the steps is printed for comparison; it is not asserted, because the create-graph backward still
 * chains the weights' gradients across steps inside libtorch (see {@link GradientPenalty}).
 */
class GradientPenaltyMemoryTest {
    private static final int WARM_UP = 3;
    private static final int STEPS = 20;
    private static final Path STATUS = Path.of("/proc/self/status");

    /** What a run of discriminator steps left behind, measured after the warm-up steps. */
    private record Growth(int managedArrays, long residentBytes, long gradientBytes) {
    }

    @Test
    void r1StepsKeepNothingAlive() throws IOException {
        Growth plain = train(false);
        Growth penalised = train(true);
        System.out.printf("R1 memory test: %d steps, growth without penalty %d arrays / %d kB, with R1 %d arrays /"
                + " %d kB; one gradient copy %d kB%n", STEPS, plain.managedArrays(), plain.residentBytes() / 1024,
                penalised.managedArrays(), penalised.residentBytes() / 1024, penalised.gradientBytes() / 1024);
        assertEquals(0, plain.managedArrays(), "arrays left in the discriminator's manager without the penalty");
        assertEquals(0, penalised.managedArrays(), "arrays left in the discriminator's manager by the R1 penalty");
    }

    private static Growth train(boolean penalised) throws IOException {
        Seeding.seedAll(31);
        PatchGan discriminator = new PatchGan(2, 1, 64, 2, 1);
        try (NDManager model = MlEngine.pytorch().newBaseManager()) {
            discriminator.initialize(model, DataType.FLOAT32);
            Map<String, Parameter> parameters = NamedParameters.of(discriminator);
            long gradientBytes = 0;
            for (Parameter parameter : parameters.values()) {
                gradientBytes += parameter.getArray().size() * Float.BYTES;
            }
            int arraysBefore = 0;
            long residentBefore = 0;
            for (int step = 0; step < WARM_UP + STEPS; step++) {
                if (step == WARM_UP) {
                    arraysBefore = model.getManagedArrays().size();
                    residentBefore = residentBytes();
                }
                try (NDManager scope = model.newSubManager()) {
                    ParameterStore store = new ParameterStore(scope, false);
                    GradientPenalty.Critic critic = x -> discriminator.apply(store, x, true).get(0);
                    NDArray real = scope.randomNormal(new Shape(2, 1, 32, 32));
                    NDArray fake = scope.randomNormal(new Shape(2, 1, 32, 32));
                    try (GradientCollector collector = MlEngine.pytorch().newGradientCollector()) {
                        NDArray loss = AdversarialLoss.NON_SATURATING.discriminator(critic.apply(real),
                                critic.apply(fake));
                        if (penalised) {
                            loss = loss.add(GradientPenalty.r1(critic, discriminator, real).mul(5f));
                        }
                        collector.backward(loss);
                    }
                    ParameterArrays.zeroGradients(parameters);
                }
            }
            return new Growth(model.getManagedArrays().size() - arraysBefore, residentBytes() - residentBefore,
                    gradientBytes);
        }
    }

    /** VmRSS of this process, in bytes. */
    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(STATUS)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring("VmRSS:".length()).trim().split("\\s+")[0]) * 1024;
            }
        }
        throw new IOException("no VmRSS in " + STATUS);
    }
}
