package org.medsynth.ml.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.medsynth.ml.MlEngine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;

/**
 * Float32 convolutions and their gradients equal the float64 ones (computed by libtorch's reference kernels, not by
 * oneDNN). On AVX-512 AMD EPYC, libtorch 2.5.1's oneDNN got these shapes wrong with its AVX2/AVX-512 kernels (input
 * gradients 30-100 % off, NaN; forward results off by 2 with 24 input channels); the {@code ONEDNN_MAX_CPU_ISA=SSE41}
 * cap that every MedSynth JVM starts with makes them exact.
 */
class ConvolutionGradientTest {

    private static final double TOLERANCE = 1e-4;

    @Test
    void theTestJvmCarriesTheInstructionSetCap() {
        assertEquals("SSE41", System.getenv(MlEngine.ONEDNN_ISA_VARIABLE));
    }

    @Test
    void singleOutputChannelGradients() {
        assertMatchesFloat64(4, 32, 1);
        assertMatchesFloat64(1, 8, 1);
    }

    @Test
    void twentyFourInputChannels() {
        assertMatchesFloat64(4, 24, 16);
    }

    @Test
    void widerLayers() {
        assertMatchesFloat64(8, 32, 32);
    }

    private static void assertMatchesFloat64(int batch, int inputChannels, int outputChannels) {
        Engine engine = MlEngine.pytorch();
        MlEngine.inEngineContext(() -> {
            try (NDManager manager = engine.newBaseManager()) {
                engine.setRandomSeed(11);
                NDArray x = manager.randomNormal(new Shape(batch, inputChannels, 24, 24));
                NDArray w = manager.randomNormal(new Shape(outputChannels, inputChannels, 3, 3)).mul(0.1);
                NDArray b = manager.zeros(new Shape(outputChannels));
                NDArray[] single = outputAndGradients(engine, x, w, b);
                NDArray[] doubles = outputAndGradients(engine, x.toType(DataType.FLOAT64, false),
                        w.toType(DataType.FLOAT64, false), b.toType(DataType.FLOAT64, false));
                String[] names = {"output", "input gradient", "weight gradient"};
                for (int i = 0; i < names.length; i++) {
                    double scale = doubles[i].abs().max().getDouble();
                    double error = single[i].toType(DataType.FLOAT64, false).sub(doubles[i]).abs().max().getDouble();
                    assertTrue(error <= TOLERANCE * scale, names[i] + " of a " + inputChannels + "->" + outputChannels
                            + " convolution, batch " + batch + ": max error " + error + " for values up to " + scale);
                }
            }
            return null;
        });
    }

    /** Convolution output, then the gradients of sum(y²) with respect to the input and the weights. */
    private static NDArray[] outputAndGradients(Engine engine, NDArray x, NDArray w, NDArray b) {
        NDArray input = x.duplicate();
        NDArray weight = w.duplicate();
        input.setRequiresGradient(true);
        weight.setRequiresGradient(true);
        NDArray y;
        try (GradientCollector collector = engine.newGradientCollector()) {
            y = Conv2d.conv2d(input, weight, b, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1)).singletonOrThrow();
            collector.backward(y.mul(y).sum());
        }
        return new NDArray[] {y.stopGradient(), input.getGradient(), weight.getGradient()};
    }
}
