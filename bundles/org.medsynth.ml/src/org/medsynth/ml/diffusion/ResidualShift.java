package org.medsynth.ml.diffusion;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.medsynth.ml.NDScopes;
import org.medsynth.ml.Scalars;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Residual shifting (ResShift, Yue et al. 2023): a short diffusion between the high-resolution image x_0 and its
 * upsampled low-resolution version y_0 that shifts the residual e_0 = y_0 − x_0 instead of drowning the image in
 * noise: x_t = x_0 + η_t e_0 + κ √η_t ε, with √η_t growing exponentially from √η_1 = min(0.04/κ, 0.04) to
 * √η_T = 0.99 along ((t−1)/(T−1))^p. The network predicts x_0 from x_t (scaled by 1/√(κ²η_t + 1)), y_0 and t;
 * sampling starts at y_0 + κ√η_T ε and walks back with q(x_{t−1} | x_t, x_0), mean (η_{t−1}/η_t) x_t + (α_t/η_t)
 * x̂_0 and variance κ² (η_{t−1}/η_t) α_t, α_t = η_t − η_{t−1}. The paper's settings are the defaults: T = 15,
 * κ = 2, p = 0.3. Index t runs from 0 (η_1) to T − 1 (η_T).
 */
public final class ResidualShift {
    public static final int PAPER_STEPS = 15;
    public static final double PAPER_KAPPA = 2.0;
    public static final double PAPER_POWER = 0.3;
    static final double MIN_NOISE_LEVEL = 0.04;
    static final double LAST_SQRT_ETA = 0.99;

    private final double kappa;
    private final double power;
    private final double[] etas;

    /** The exponential schedule of {@code steps} steps with noise scale {@code kappa} and exponent {@code power}. */
    public ResidualShift(int steps, double kappa, double power) {
        if (steps < 2) {
            throw new IllegalArgumentException("residual shifting needs at least 2 steps, got " + steps);
        }
        if (!(kappa > 0) || !(power > 0)) {
            throw new IllegalArgumentException("kappa and power must be positive, got " + kappa + " and " + power);
        }
        this.kappa = kappa;
        this.power = power;
        double first = Math.min(MIN_NOISE_LEVEL / kappa, MIN_NOISE_LEVEL);
        double growth = Math.exp(Math.log(LAST_SQRT_ETA / first) / (steps - 1));
        etas = new double[steps];
        for (int t = 0; t < steps; t++) {
            double exponent = Math.pow((double) t / (steps - 1), power) * (steps - 1);
            double sqrtEta = first * Math.pow(growth, exponent);
            etas[t] = sqrtEta * sqrtEta;
        }
    }

    /** The paper's schedule: T = 15, κ = 2, p = 0.3. */
    public static ResidualShift paper() {
        return new ResidualShift(PAPER_STEPS, PAPER_KAPPA, PAPER_POWER);
    }

    public int steps() {
        return etas.length;
    }

    public double kappa() {
        return kappa;
    }

    public double power() {
        return power;
    }

    /** η_t (t = 0 is η_1). */
    public double eta(int t) {
        return etas[t];
    }

    /** The factor the network's x_t input is scaled by: 1/√(κ²η_t + 1), so that its variance stays near 1. */
    public double inputScale(int t) {
        return 1 / Math.sqrt(kappa * kappa * etas[t] + 1);
    }

    /** x_t = x_0 + η_t (y_0 − x_0) + κ √η_t ε for one image (all arrays of one shape). */
    public NDArray diffuse(NDArray x0, NDArray y0, int t, NDArray noise) {
        return x0.add(Scalars.times(y0.sub(x0), etas[t])).add(Scalars.times(noise, kappa * Math.sqrt(etas[t])));
    }

    /** Mean coefficients (of x_t, of x̂_0) and variance of q(x_{t−1} | x_t, x_0). */
    public double[] posterior(int t) {
        double previous = t == 0 ? 0 : etas[t - 1];
        double alpha = etas[t] - previous;
        return new double[] {previous / etas[t], alpha / etas[t], kappa * kappa * previous / etas[t] * alpha};
    }

    /**
     * The network of a residual-shift model as the sampler calls it: x̂_0 from the scaled x_t, at step t (a (N)
     * array of step indices), with the low-resolution image it closes over.
     */
    @FunctionalInterface
    public interface Restorer {
        NDArray predictClean(NDArray scaledXt, NDArray t);
    }

    /**
     * x_0 from y_0 (N, C, H, W) in T network calls: starts at y_0 + κ√η_T ε and steps back through the posterior,
     * noise drawn from {@code random}; x̂_0 clipped to [−1, 1] at every step when {@code clip}.
     */
    public NDArray sample(Restorer restorer, NDArray y0, boolean clip, SplittableRandom random,
            IProgressMonitor monitor) {
        SubMonitor progress = SubMonitor.convert(monitor, "Residual shifting", etas.length);
        NDManager manager = y0.getManager();
        Shape shape = y0.getShape();
        NDArray x = NDScopes.compute(manager, scope -> y0.add(Scalars.times(
                DiffusionSampler.gaussian(scope, shape, random), kappa * Math.sqrt(etas[etas.length - 1]))), y0);
        for (int t = etas.length - 1; t >= 0; t--) {
            if (progress.isCanceled()) {
                throw new OperationCanceledException();
            }
            int step = t;
            NDArray current = x;
            x = NDScopes.compute(manager, scope -> {
                float[] steps = new float[(int) shape.get(0)];
                Arrays.fill(steps, step);
                NDArray x0 = restorer.predictClean(Scalars.times(current, inputScale(step)),
                        scope.create(steps, new Shape(steps.length)));
                if (clip) {
                    x0 = x0.clip(-1, 1);
                }
                double[] q = posterior(step);
                NDArray mean = Scalars.times(current, q[0]).add(Scalars.times(x0, q[1]));
                return step == 0 ? mean
                        : mean.add(Scalars.times(DiffusionSampler.gaussian(scope, shape, random), Math.sqrt(q[2])));
            }, current);
            current.close();
            progress.worked(1);
        }
        return x;
    }
}
