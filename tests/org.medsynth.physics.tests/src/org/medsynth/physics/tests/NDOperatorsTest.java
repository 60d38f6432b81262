package org.medsynth.physics.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.medsynth.data.phantom.Phantoms;
import org.medsynth.ml.MlEngine;
import org.medsynth.ml.diffusion.Denoiser;
import org.medsynth.ml.diffusion.DiffusionSampler;
import org.medsynth.ml.diffusion.NoiseSchedule;
import org.medsynth.ml.diffusion.Prediction;
import org.medsynth.ml.diffusion.StepHook;
import org.medsynth.physics.CoilSensitivities;
import org.medsynth.physics.ComplexArray;
import org.medsynth.physics.Radon;
import org.medsynth.physics.RadonGeometry;
import org.medsynth.physics.SamplingMasks;
import org.medsynth.physics.SenseOperator;
import org.medsynth.physics.ndarray.DataConsistencyHook;
import org.medsynth.physics.ndarray.NDRadon;
import org.medsynth.physics.ndarray.NDSense;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The NDArray adapters of the SENSE and Radon operators: batched results equal the array operators item by item,
 * the adjoints satisfy ⟨A x, y⟩ = ⟨x, Aᴴ y⟩, and the data-consistency hook makes DDIM samples agree with the
 * measurements.
 */
class NDOperatorsTest {
    private static final int N = 32;

    /** Fixed, untrained stand-in for a network: a smooth nonlinear function of x_t and t. */
    private static final Denoiser FIXED = (x, t) -> x.sin().mul(0.5f).add(x.mul(0.1f))
            .mul(t.add(1).div(1000).reshape(-1, 1, 1, 1));

    @Test
    void senseAdapterEqualsTheOperatorPerItemAndIsAdjoint() {
        boolean[] mask = SamplingMasks.poissonDisc(N, N, 3, 4, 11);
        SenseOperator sense = new SenseOperator(CoilSensitivities.simulate(3, N, N), new int[] {N, N}, mask);
        NDSense operator = new NDSense(sense, N, N);
        try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
            NDArray x = random(manager, new Shape(2, 2, N, N), 1);
            NDArray y = random(manager, new Shape(2, 3, 2, N, N), 2);
            NDArray ax = operator.apply(x);
            assertEquals(new Shape(2, 3, 2, N, N), ax.getShape());
            // item 1 through the array operator: channel 0 real, 1 imaginary; k-space coil by coil
            float[] item = x.get(1).toFloatArray();
            ComplexArray expected = sense.forward(new ComplexArray(doubles(item, 0, N * N),
                    doubles(item, N * N, N * N)));
            float[] actual = ax.get(1).toFloatArray();
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < N * N; p++) {
                    assertEquals(expected.re()[c * N * N + p], actual[2 * c * N * N + p], 1e-5);
                    assertEquals(expected.im()[c * N * N + p], actual[(2 * c + 1) * N * N + p], 1e-5);
                }
            }
            assertAdjoint(x, ax, y, operator.adjoint(y));
        }
    }

    @Test
    void radonAdapterEqualsTheOperatorPerItemAndIsAdjoint() {
        RadonGeometry scan = RadonGeometry.fan(40, 50, 1.2, 60, 90);
        NDRadon operator = new NDRadon(scan, N, N);
        try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
            NDArray x = random(manager, new Shape(3, 1, N, N), 3);
            NDArray y = random(manager, new Shape(3, 1, 40, 50), 4);
            NDArray ax = operator.apply(x);
            assertArrayEquals(Radon.forward(x.get(2).toFloatArray(), N, N, scan), ax.get(2).toFloatArray());
            assertAdjoint(x, ax, y, operator.adjoint(y));
            IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                    () -> operator.apply(manager.zeros(new Shape(3, N, N))));
            assertTrue(wrong.getMessage().contains("(N, 1, 32, 32)"), wrong.getMessage());
        }
    }

    @Test
    void ddimWithKSpaceDataConsistencyReproducesTheMeasuredSamples() {
        boolean[] mask = SamplingMasks.uniform1d(N, N, 4, 6);
        SenseOperator fourier = SenseOperator.singleCoil(new int[] {N, N}, mask);
        NDSense operator = new NDSense(fourier, N, N);
        NoiseSchedule schedule = NoiseSchedule.linear(1000, 1e-4, 0.02);
        DiffusionSampler sampler = new DiffusionSampler(schedule, Prediction.EPSILON, true);
        try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
            // two phantoms of different contrast as real images with zero imaginary part
            float[] phantom = Phantoms.data(Phantoms.sheppLogan2d(N, 1, 2));
            float[] pair = new float[4 * N * N];
            for (int p = 0; p < N * N; p++) {
                pair[p] = phantom[p];
                pair[2 * N * N + p] = 0.5f * phantom[p];
            }
            NDArray truth = manager.create(pair, new Shape(2, 2, N, N));
            NDArray measured = operator.apply(truth);
            NDArray start = DiffusionSampler.gaussian(manager, truth.getShape(), new SplittableRandom(5));
            NDArray free = sampler.ddim(FIXED, start, 10, 0, new SplittableRandom(6), StepHook.NONE,
                    new NullProgressMonitor());
            NDArray consistent = sampler.ddim(FIXED, start, 10, 0, new SplittableRandom(6),
                    new DataConsistencyHook(operator, measured, 1, schedule), new NullProgressMonitor());
            float[] y = measured.toFloatArray();
            float[] withHook = operator.apply(consistent).toFloatArray();
            float[] withoutHook = operator.apply(free).toFloatArray();
            double scale = maxAbs(y);
            double hookError = maxDifference(withHook, y);
            assertTrue(hookError < 1e-5 * scale, "k-space on the mask differs by " + hookError + " of " + scale);
            assertTrue(maxDifference(withoutHook, y) > 0.1 * scale, "without the hook the samples disagree");
        }
    }

    @Test
    void radonGradientStepHookFitsTheSinogramBetterThanFreeSampling() {
        RadonGeometry scan = RadonGeometry.parallel(30, 46);
        NDRadon operator = new NDRadon(scan, N, N);
        NoiseSchedule schedule = NoiseSchedule.linear(1000, 1e-4, 0.02);
        DiffusionSampler sampler = new DiffusionSampler(schedule, Prediction.EPSILON, false);
        try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
            NDArray truth = manager.create(Phantoms.data(Phantoms.sheppLogan2d(N, 1, 2)), new Shape(1, 1, N, N));
            NDArray measured = operator.apply(truth);
            double step = DataConsistencyHook.stableStep(operator, manager.ones(truth.getShape()), 30);
            // AᵀA sums 30 views of rays some 32 pixels long: its norm is in the hundreds
            assertTrue(step > 0 && step < 0.1, "step " + step);
            NDArray start = DiffusionSampler.gaussian(manager, truth.getShape(), new SplittableRandom(8));
            NDArray free = sampler.ddim(FIXED, start, 50, 0, new SplittableRandom(9), StepHook.NONE,
                    new NullProgressMonitor());
            NDArray fitted = sampler.ddim(FIXED, start, 50, 0, new SplittableRandom(9),
                    new DataConsistencyHook(operator, measured, step, schedule), new NullProgressMonitor());
            double freeResidual = operator.apply(free).sub(measured).norm().getFloat();
            double fittedResidual = operator.apply(fitted).sub(measured).norm().getFloat();
            assertTrue(fittedResidual < 0.5 * freeResidual, "residual " + fittedResidual + " vs " + freeResidual);
        }
    }

    private static void assertAdjoint(NDArray x, NDArray ax, NDArray y, NDArray ahy) {
        double left = ax.mul(y).sum().getFloat();
        double right = x.mul(ahy).sum().getFloat();
        assertEquals(left, right, 1e-4 * Math.abs(left), "⟨Ax, y⟩ = ⟨x, Aᴴy⟩");
    }

    private static NDArray random(NDManager manager, Shape shape, long seed) {
        return DiffusionSampler.gaussian(manager, shape, new SplittableRandom(seed));
    }

    private static double[] doubles(float[] values, int from, int length) {
        double[] out = new double[length];
        for (int i = 0; i < length; i++) {
            out[i] = values[from + i];
        }
        return out;
    }

    private static double maxAbs(float[] values) {
        double max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    private static double maxDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
