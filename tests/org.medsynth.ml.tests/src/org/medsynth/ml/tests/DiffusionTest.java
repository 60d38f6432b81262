package org.medsynth.ml.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import java.util.SplittableRandom;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.junit.jupiter.api.Test;
import org.medsynth.ml.MlEngine;
import org.medsynth.ml.diffusion.Denoiser;
import org.medsynth.ml.diffusion.DiffusionSampler;
import org.medsynth.ml.diffusion.NoiseSchedule;
import org.medsynth.ml.diffusion.Prediction;
import org.medsynth.ml.diffusion.ResidualShift;
import org.medsynth.ml.diffusion.StepHook;
import org.medsynth.ml.weights.NpzWeights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** Schedules, predictions and samplers against reference/diffusion_reference.py (numpy, float64). */
class DiffusionTest {
    private static final int T = 1000;

    /** The analytic network of the reference: 0.5 sin(x) (t + 1) / T. */
    private static final Denoiser ANALYTIC = (x, t) -> x.sin().mul(0.5f).mul(t.add(1).div(T).reshape(-1, 1, 1, 1));

    @Test
    void schedulesMatchTheirClosedForms() throws IOException {
        try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
            Map<String, NDArray> reference = reference(manager);
            for (String name : new String[] {"linear", "cosine", "scaled_linear"}) {
                NoiseSchedule schedule = NoiseSchedule.named(name.replace('_', '-'), T);
                assertClose(reference.get("schedule_" + name + "_betas").toDoubleArray(), schedule.betas(), 1e-12,
                        name + " betas");
                assertClose(reference.get("schedule_" + name + "_alpha_bars").toDoubleArray(),
                        schedule.alphaBars(), 1e-12, name + " alpha bars");
            }
        }
    }

    @Test
    void posteriorMeanAndVarianceOfTheForwardProcess() throws IOException {
        try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
            Map<String, NDArray> reference = reference(manager);
            DiffusionSampler sampler = new DiffusionSampler(NoiseSchedule.named("linear", T), Prediction.EPSILON,
                    false);
            NDArray mean = sampler.posteriorMean(reference.get("posterior_x0"), reference.get("posterior_xt"), 500);
            assertClose(reference.get("posterior_mean").toDoubleArray(), floats(mean), 1e-6, "posterior mean");
            assertEquals(reference.get("posterior_variance").getDouble(), sampler.posteriorVariance(500), 1e-15);
        }
    }

    @Test
    void deterministicDdimFollowsTheReferenceForEachPrediction() throws IOException {
        try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
            Map<String, NDArray> reference = reference(manager);
            for (Prediction prediction : Prediction.values()) {
                DiffusionSampler sampler = new DiffusionSampler(NoiseSchedule.named("linear", T), prediction, false);
                NDArray start = reference.get("ddim_start");
                NDArray sample = sampler.ddim(ANALYTIC, start, 10, 0, new SplittableRandom(1), StepHook.NONE,
                        new NullProgressMonitor());
                assertClose(reference.get("ddim_" + prediction.id()).toDoubleArray(), floats(sample), 1e-4,
                        "DDIM with " + prediction.id() + " prediction");
                NDArray again = sampler.ddim(ANALYTIC, start, 10, 0, new SplittableRandom(2), StepHook.NONE,
                        new NullProgressMonitor());
                assertArrayEquals(sample.toFloatArray(), again.toFloatArray(), "eta 0 draws no noise");
                assertFalse(start.isReleased(), "the start stays the caller's");
            }
        }
    }

    @Test
    void stochasticSamplersAreReproducibleBySeed() {
        try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
            DiffusionSampler sampler = new DiffusionSampler(NoiseSchedule.named("cosine", 50), Prediction.EPSILON,
                    true);
            float[] first = ddpm(sampler, manager, 7);
            assertArrayEquals(first, ddpm(sampler, manager, 7));
            assertFalse(java.util.Arrays.equals(first, ddpm(sampler, manager, 8)));
            NDArray start = DiffusionSampler.gaussian(manager, new Shape(1, 1, 4, 4), new SplittableRandom(3));
            float[] eta1 = sampler.ddim(ANALYTIC, start, 10, 1, new SplittableRandom(3), StepHook.NONE,
                    new NullProgressMonitor()).toFloatArray();
            float[] eta1Again = sampler.ddim(ANALYTIC, start, 10, 1, new SplittableRandom(3), StepHook.NONE,
                    new NullProgressMonitor()).toFloatArray();
            assertArrayEquals(eta1, eta1Again);
            for (float value : first) {
                assertTrue(Float.isFinite(value));
            }
        }
    }

    @Test
    void predictionsConvertBackToSampleAndNoise() {
        try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
            NDArray x0 = manager.randomNormal(new Shape(64));
            NDArray noise = manager.randomNormal(new Shape(64));
            double alphaBar = 0.37;
            NDArray xt = x0.mul((float) Math.sqrt(alphaBar)).add(noise.mul((float) Math.sqrt(1 - alphaBar)));
            for (Prediction prediction : Prediction.values()) {
                NDArray target = prediction.target(x0, noise, alphaBar);
                assertClose(floats(x0), floats(prediction.sample(xt, target, alphaBar)), 1e-5, prediction.id() + " x0");
                assertClose(floats(noise), floats(prediction.noise(xt, target, alphaBar)), 1e-5,
                        prediction.id() + " noise");
            }
        }
    }

    @Test
    void classifierFreeGuidanceExtrapolatesFromTheUnconditionalPrediction() {
        try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
            Denoiser conditional = (x, t) -> x.mul(3);
            Denoiser unconditional = (x, t) -> x.mul(2);
            NDArray x = manager.create(new float[] {1, -2});
            NDArray t = manager.create(new float[] {0});
            assertArrayEquals(new float[] {6.5f, -13f},
                    Denoiser.classifierFree(conditional, unconditional, 4.5).predict(x, t).toFloatArray());
        }
    }

    @Test
    void dataConsistencyHookKeepsTheMeasuredPixels() {
        try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
            DiffusionSampler sampler = new DiffusionSampler(NoiseSchedule.named("linear", 100), Prediction.EPSILON,
                    false);
            NDArray measured = manager.full(new Shape(1, 1, 4, 4), 0.75f);
            NDArray mask = manager.zeros(new Shape(1, 1, 4, 4));
            mask.set(new ai.djl.ndarray.index.NDIndex(":, :, 0:2"), 1f);
            int[] calls = {0};
            StepHook consistency = step -> {
                calls[0]++;
                NDArray target = step.previous() < 0 ? measured : sampler.noised(measured,
                        step.next().zerosLike(), step.previous());
                return step.next().mul(mask.sub(1).neg()).add(target.mul(mask));
            };
            NDArray start = DiffusionSampler.gaussian(manager, measured.getShape(), new SplittableRandom(4));
            float[] sample = sampler.ddim(ANALYTIC, start, 20, 0.5, new SplittableRandom(4), consistency,
                    new NullProgressMonitor()).toFloatArray();
            assertEquals(20, calls[0], "called once per step");
            for (int i = 0; i < 8; i++) {
                assertEquals(0.75f, sample[i], 1e-6f, "measured pixel " + i);
            }
        }
    }

    @Test
    void cancellationStopsTheSampler() {
        try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
            DiffusionSampler sampler = new DiffusionSampler(NoiseSchedule.named("linear", 100), Prediction.EPSILON,
                    false);
            NullProgressMonitor monitor = new NullProgressMonitor();
            monitor.setCanceled(true);
            NDArray start = manager.zeros(new Shape(1, 1, 4, 4));
            assertThrows(OperationCanceledException.class, () -> sampler.ddpm(ANALYTIC, start,
                    new SplittableRandom(0), StepHook.NONE, monitor));
            assertThrows(IllegalArgumentException.class, () -> NoiseSchedule.named("quadratic", 10));
        }
    }

    @Test
    void residualShiftingFollowsThePapersScheduleAndPosterior() throws IOException {
        try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
            Map<String, NDArray> reference = reference(manager);
            ResidualShift shift = ResidualShift.paper();
            double[] etas = new double[shift.steps()];
            double[] posterior = new double[3 * shift.steps()];
            for (int t = 0; t < etas.length; t++) {
                etas[t] = shift.eta(t);
                System.arraycopy(shift.posterior(t), 0, posterior, 3 * t, 3);
            }
            assertClose(reference.get("resshift_etas").toDoubleArray(), etas, 1e-12, "etas");
            assertClose(reference.get("resshift_posterior").toDoubleArray(), posterior, 1e-12, "posterior");
            NDArray xt = shift.diffuse(reference.get("resshift_x0"), reference.get("resshift_y0"), 6,
                    reference.get("resshift_noise"));
            assertClose(reference.get("resshift_xt").toDoubleArray(), floats(xt), 1e-6, "x_t");
        }
    }

    @Test
    void residualShiftSamplingEndsAtThePredictedImageAndStartsFromTheLowResolutionOne() {
        try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
            ResidualShift shift = ResidualShift.paper();
            NDArray y0 = manager.full(new Shape(2, 1, 4, 4), 0.5f);
            NDArray target = manager.full(new Shape(2, 1, 4, 4), -0.25f);
            float[] steps = new float[shift.steps()];
            // a restorer that knows x0: the last posterior step has no noise and returns x̂0 exactly
            NDArray restored = shift.sample((xt, t) -> {
                steps[(int) t.getFloat(0)]++;
                return target.duplicate();
            }, y0, true, new SplittableRandom(3), new NullProgressMonitor());
            assertArrayEquals(target.toFloatArray(), restored.toFloatArray());
            for (float calls : steps) {
                assertEquals(1, calls, "one network call per step");
            }
            assertThrows(IllegalArgumentException.class, () -> new ResidualShift(1, 2, 0.3));
        }
    }

    private static float[] ddpm(DiffusionSampler sampler, NDManager manager, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        NDArray start = DiffusionSampler.gaussian(manager, new Shape(1, 1, 4, 4), random);
        return sampler.ddpm(ANALYTIC, start, random, StepHook.NONE, new NullProgressMonitor()).toFloatArray();
    }

    private static Map<String, NDArray> reference(NDManager manager) throws IOException {
        return NpzWeights.read(ReferenceFiles.file("diffusion_reference.npz"), manager);
    }

    private static double[] floats(NDArray array) {
        return array.toType(DataType.FLOAT64, false).toDoubleArray();
    }

    private static void assertClose(double[] expected, double[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            double scale = Math.max(1, Math.abs(expected[i]));
            assertEquals(expected[i], actual[i], tolerance * scale, what + " [" + i + "]");
        }
    }
}
