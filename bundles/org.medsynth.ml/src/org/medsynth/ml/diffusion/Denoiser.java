package org.medsynth.ml.diffusion;

import org.medsynth.ml.Scalars;

import ai.djl.ndarray.NDArray;

/**
 * The network of a diffusion model as a sampler calls it: its output for x_t at step t (a (N) array of step
 * indices), with whatever conditioning it closes over.
 */
@FunctionalInterface
public interface Denoiser {
    NDArray predict(NDArray xt, NDArray t);

    /**
     * Classifier-free guidance (Ho &amp; Salimans 2021): unconditional + scale × (conditional − unconditional). Scale 1
     * is the conditional model, 0 the unconditional one.
     */
    static Denoiser classifierFree(Denoiser conditional, Denoiser unconditional, double scale) {
        float s = (float) scale;
        return (xt, t) -> {
            NDArray free = unconditional.predict(xt, t);
            return free.add(Scalars.times(conditional.predict(xt, t).sub(free), s));
        };
    }
}
