package org.medsynth.ml.diffusion;

import java.util.SplittableRandom;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.medsynth.ml.NDScopes;

import org.medsynth.ml.Scalars;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Reverse diffusion for a {@link NoiseSchedule} and a {@link Prediction}: DDPM ancestral sampling (Ho et al. 2020)
 * and DDIM (Song et al. 2021) with any step count and η, from a starting x_T (pure noise from {@link #gaussian}, or
 * a noised image). Every random number comes from the caller's {@link SplittableRandom}, drawn in Java, so a seed
 * gives the same samples on every run and thread count. Each step runs in its own native-memory scope and honours
 * cancellation through the progress monitor; the start array stays the caller's.
 */
public final class DiffusionSampler {
    private final NoiseSchedule schedule;
    private final Prediction prediction;
    private final boolean clipSample;

    /** @param clipSample clip each x_0 estimate to [−1, 1] (data scaled to that range) */
    public DiffusionSampler(NoiseSchedule schedule, Prediction prediction, boolean clipSample) {
        this.schedule = schedule;
        this.prediction = prediction;
        this.clipSample = clipSample;
    }

    public NoiseSchedule schedule() {
        return schedule;
    }

    /** The forward process: x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε. */
    public NDArray noised(NDArray x0, NDArray noise, int t) {
        double alphaBar = schedule.alphaBar(t);
        return Scalars.times(x0, Math.sqrt(alphaBar)).add(Scalars.times(noise, Math.sqrt(1 - alphaBar)));
    }

    /**
     * The mean of q(x_{t−1} | x_t, x_0): β_t √ᾱ_{t−1}/(1 − ᾱ_t) x_0 + √α_t (1 − ᾱ_{t−1})/(1 − ᾱ_t) x_t.
     */
    public NDArray posteriorMean(NDArray x0, NDArray xt, int t) {
        double alphaBar = schedule.alphaBar(t);
        double before = schedule.alphaBarBefore(t);
        double beta = schedule.beta(t);
        return Scalars.times(x0, beta * Math.sqrt(before) / (1 - alphaBar))
                .add(Scalars.times(xt, Math.sqrt(1 - beta) * (1 - before) / (1 - alphaBar)));
    }

    /** The variance of q(x_{t−1} | x_t, x_0): β_t (1 − ᾱ_{t−1})/(1 − ᾱ_t). */
    public double posteriorVariance(int t) {
        return schedule.beta(t) * (1 - schedule.alphaBarBefore(t)) / (1 - schedule.alphaBar(t));
    }

    /** DDPM: all T steps from {@code start}, x_{t−1} = posterior mean + √(posterior variance) z, no noise at t = 0. */
    public NDArray ddpm(Denoiser denoiser, NDArray start, SplittableRandom random, StepHook hook,
            IProgressMonitor monitor) {
        int steps = schedule.steps();
        int[] timesteps = new int[steps];
        for (int i = 0; i < steps; i++) {
            timesteps[i] = i;
        }
        return run(denoiser, start, timesteps, hook, monitor, (x, x0, noise, t, previous) -> {
            NDArray mean = posteriorMean(x0, x, t);
            return t == 0 ? mean : mean.add(Scalars.times(gaussian(x, random), Math.sqrt(posteriorVariance(t))));
        });
    }

    /**
     * DDIM with {@code steps} evenly spaced steps (τ_i = i·T/steps): x_prev = √ᾱ_prev x_0 + √(1 − ᾱ_prev − σ²) ε + σ
     * z with σ = η √((1 − ᾱ_prev)/(1 − ᾱ_t)) √(1 − ᾱ_t/ᾱ_prev). η = 0 is deterministic given the starting noise;
     * η = 1 with all T steps is DDPM.
     */
    public NDArray ddim(Denoiser denoiser, NDArray start, int steps, double eta, SplittableRandom random,
            StepHook hook, IProgressMonitor monitor) {
        if (eta < 0) {
            throw new IllegalArgumentException("DDIM's eta must be at least 0, got " + eta);
        }
        return run(denoiser, start, ddimTimesteps(schedule.steps(), steps), hook, monitor,
                (x, x0, noise, t, previous) -> {
                    double alphaBar = schedule.alphaBar(t);
                    double before = previous < 0 ? 1 : schedule.alphaBar(previous);
                    double sigma = eta * Math.sqrt((1 - before) / (1 - alphaBar) * (1 - alphaBar / before));
                    NDArray next = Scalars.times(x0, Math.sqrt(before))
                            .add(Scalars.times(noise, Math.sqrt(Math.max(0, 1 - before - sigma * sigma))));
                    return sigma > 0 ? next.add(Scalars.times(gaussian(x, random), sigma)) : next;
                });
    }

    /** The DDIM steps, ascending: i · T / steps for i = 0 .. steps − 1. */
    public static int[] ddimTimesteps(int trainingSteps, int steps) {
        if (steps < 1 || steps > trainingSteps) {
            throw new IllegalArgumentException("DDIM needs 1.." + trainingSteps + " steps, got " + steps);
        }
        int[] timesteps = new int[steps];
        for (int i = 0; i < steps; i++) {
            timesteps[i] = (int) ((long) i * trainingSteps / steps);
        }
        return timesteps;
    }

    @FunctionalInterface
    private interface Update {
        NDArray next(NDArray xt, NDArray x0, NDArray noise, int t, int previous);
    }

    private NDArray run(Denoiser denoiser, NDArray start, int[] timesteps, StepHook hook, IProgressMonitor monitor,
            Update update) {
        SubMonitor progress = SubMonitor.convert(monitor, timesteps.length);
        NDManager manager = start.getManager();
        NDArray x = start;
        for (int i = timesteps.length - 1; i >= 0; i--) {
            progress.split(1);
            int t = timesteps[i];
            int previous = i == 0 ? -1 : timesteps[i - 1];
            int index = timesteps.length - 1 - i;
            NDArray current = x;
            x = NDScopes.compute(manager, scope -> {
                NDArray output = denoiser.predict(current, steps(current, t));
                double alphaBar = schedule.alphaBar(t);
                NDArray x0 = prediction.sample(current, output, alphaBar);
                NDArray epsilon;
                if (clipSample) {
                    x0 = x0.clip(-1, 1);
                    epsilon = Scalars.dividedBy(current.sub(Scalars.times(x0, Math.sqrt(alphaBar))),
                            Math.sqrt(1 - alphaBar));
                } else {
                    epsilon = prediction.noise(current, output, alphaBar);
                }
                NDArray next = update.next(current, x0, epsilon, t, previous);
                return hook.apply(new StepHook.Step(index, t, previous, current, x0, next,
                        xt -> sample(denoiser, xt, t)));
            }, current);
            if (current != start && current != x) {
                current.close();
            }
        }
        return x;
    }

    /** The x_0 estimate at step t, clipped if asked. */
    private NDArray sample(Denoiser denoiser, NDArray xt, int t) {
        NDArray x0 = prediction.sample(xt, denoiser.predict(xt, steps(xt, t)), schedule.alphaBar(t));
        return clipSample ? x0.clip(-1, 1) : x0;
    }

    private static NDArray steps(NDArray like, int t) {
        return like.getManager().full(new Shape(like.getShape().get(0)), (float) t, DataType.FLOAT32);
    }

    private static NDArray gaussian(NDArray like, SplittableRandom random) {
        return gaussian(like.getManager(), like.getShape(), random);
    }

    /** Standard normal values of {@code shape} from {@code random}, in {@code manager}: x_T of a sampler. */
    public static NDArray gaussian(NDManager manager, Shape shape, SplittableRandom random) {
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return manager.create(values, shape);
    }
}
