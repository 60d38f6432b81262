package org.medsynth.ml.diffusion;

import java.util.function.UnaryOperator;

import ai.djl.ndarray.NDArray;

/**
 * Runs after each sampling step and may replace its result: where inverse-problem samplers enforce the
 * measurement, by data consistency (replace the measured part of the estimate) or by a gradient step on the
 * measurement error (DPS, Chung et al. 2023; {@link Step#sampleOf} recomputes x_0 from x_t so that a hook can
 * differentiate through the network).
 */
@FunctionalInterface
public interface StepHook {
    /** No change. */
    StepHook NONE = step -> step.next();

    /**
     * One finished step from x_t at step {@code t} to {@code next} at step {@code previous} (−1 for the final
     * sample).
     *
     * @param index    0 for the first (noisiest) step
     * @param sample   the x_0 estimate the step used
     * @param sampleOf x_0 as a function of x_t, through the network
     */
    record Step(int index, int t, int previous, NDArray xt, NDArray sample, NDArray next,
            UnaryOperator<NDArray> sampleOf) {
    }

    /** The sample to continue from: {@code step.next()} or its correction. */
    NDArray apply(Step step);
}
