package org.medsynth.physics.ndarray;

import org.medsynth.ml.Scalars;
import org.medsynth.ml.diffusion.NoiseSchedule;
import org.medsynth.ml.diffusion.StepHook;

import ai.djl.ndarray.NDArray;

/**
 * Pulls every x_0 estimate of a diffusion sampler towards measurements y = A x: x_0 ← x_0 − η Aᴴ(A x_0 − y), and
 * moves the step's result by √ᾱ_prev times the same correction (the weight of x_0 in DDIM's update; at the final
 * step, where both DDIM and DDPM return x_0 itself, the sample is the corrected estimate). For a masked Fourier
 * operator (one coil of unit sensitivity, Aᴴ A the projection onto the sampled frequencies) η = 1 replaces the
 * sampled k-space of the estimate by the measurement; for other operators it is a gradient step on ½‖A x − y‖²,
 * stable for η ≤ 1/‖A‖² ({@link #stableStep}).
 */
public final class DataConsistencyHook implements StepHook {

    private final NDLinearOperator operator;
    private final NDArray measured;
    private final float step;
    private final NoiseSchedule schedule;

    /**
     * @param measured y, of the operator's measurement shape with the sampler's batch size
     * @param step     η: 1 for the k-space replacement, at most {@link #stableStep} for a gradient step
     * @param schedule the sampler's noise schedule
     */
    public DataConsistencyHook(NDLinearOperator operator, NDArray measured, double step, NoiseSchedule schedule) {
        if (!(step > 0)) {
            throw new IllegalArgumentException("data-consistency step must be positive, got " + step);
        }
        this.operator = operator;
        this.measured = measured;
        this.step = (float) step;
        this.schedule = schedule;
    }

    @Override
    public NDArray apply(Step s) {
        NDArray correction = Scalars.times(operator.adjoint(operator.apply(s.sample()).sub(measured)), -step);
        double alphaBarPrevious = s.previous() < 0 ? 1 : schedule.alphaBar(s.previous());
        return s.next().add(Scalars.times(correction, Math.sqrt(alphaBarPrevious)));
    }

    /**
     * 1/‖AᴴA‖ by {@code iterations} power iterations from {@code start} (an image batch of the operator's shape,
     * not orthogonal to the leading singular vector; all ones will do): the largest gradient step that never
     * diverges.
     */
    public static double stableStep(NDLinearOperator operator, NDArray start, int iterations) {
        NDArray v = start.div(start.norm());
        double largest = 0;
        for (int i = 0; i < iterations; i++) {
            NDArray w = operator.adjoint(operator.apply(v));
            largest = w.norm().getFloat();
            v = Scalars.dividedBy(w, largest);
        }
        return 1 / largest;
    }
}
