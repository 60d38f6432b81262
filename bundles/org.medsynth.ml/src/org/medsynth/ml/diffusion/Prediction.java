package org.medsynth.ml.diffusion;

import org.medsynth.ml.Scalars;

import ai.djl.ndarray.NDArray;

/**
 * What the network predicts from x_t = √ᾱ x_0 + √(1−ᾱ) ε: the noise ε (Ho et al. 2020), the clean sample x_0, or
 * the velocity v = √ᾱ ε − √(1−ᾱ) x_0 (Salimans &amp; Ho 2022). Each converts a prediction back to x_0 and ε.
 */
public enum Prediction {
    EPSILON("epsilon"), SAMPLE("x0"), VELOCITY("v");

    private final String id;

    Prediction(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** By the name a parameter uses: {@code epsilon}, {@code x0} or {@code v}. */
    public static Prediction of(String id) {
        for (Prediction prediction : values()) {
            if (prediction.id.equals(id)) {
                return prediction;
            }
        }
        throw new IllegalArgumentException("unknown prediction '" + id + "' (epsilon, x0 or v)");
    }

    /** The training target for clean {@code x0} noised with {@code noise} to ᾱ = {@code alphaBar}. */
    public NDArray target(NDArray x0, NDArray noise, double alphaBar) {
        return switch (this) {
            case EPSILON -> noise;
            case SAMPLE -> x0;
            case VELOCITY -> Scalars.times(noise, Math.sqrt(alphaBar)).sub(Scalars.times(x0, Math.sqrt(1 - alphaBar)));
        };
    }

    /** x_0 from x_t and the network output at ᾱ. */
    public NDArray sample(NDArray xt, NDArray output, double alphaBar) {
        float a = (float) Math.sqrt(alphaBar);
        float s = (float) Math.sqrt(1 - alphaBar);
        return switch (this) {
            case EPSILON -> Scalars.dividedBy(xt.sub(Scalars.times(output, s)), a);
            case SAMPLE -> output;
            case VELOCITY -> Scalars.times(xt, a).sub(Scalars.times(output, s));
        };
    }

    /** ε from x_t and the network output at ᾱ. */
    public NDArray noise(NDArray xt, NDArray output, double alphaBar) {
        float a = (float) Math.sqrt(alphaBar);
        float s = (float) Math.sqrt(1 - alphaBar);
        return switch (this) {
            case EPSILON -> output;
            case SAMPLE -> Scalars.dividedBy(xt.sub(Scalars.times(output, a)), s);
            case VELOCITY -> Scalars.times(xt, s).add(Scalars.times(output, a));
        };
    }
}
