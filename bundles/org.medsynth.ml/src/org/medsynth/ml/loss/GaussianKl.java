package org.medsynth.ml.loss;

import org.medsynth.ml.Scalars;

import ai.djl.ndarray.NDArray;

/** The KL divergence of a VAE's diagonal Gaussian posterior to the standard normal prior. */
public final class GaussianKl {
    private GaussianKl() {
    }

    /**
     * KL(N(μ, exp(logvar)) ‖ N(0, 1)) = −½ Σ (1 + logvar − μ² − exp(logvar)), summed over every element of a sample
     * (all axes but the first) and averaged over the batch: the per-sample KL of the ELBO, so its weight does not
     * change with the latent size the way a per-element mean would.
     *
     * @param mean   μ, (N, ...)
     * @param logVar log σ², the same shape
     */
    public static NDArray toStandardNormal(NDArray mean, NDArray logVar) {
        LossArguments.requireSameShape("mean", mean, "log-variance", logVar);
        if (mean.getShape().dimension() < 2) {
            throw new IllegalArgumentException("mean and log-variance need a batch axis and at least one more, got "
                    + mean.getShape());
        }
        NDArray perElement = Scalars.times(logVar.add(1).sub(mean.square()).sub(logVar.exp()), -0.5);
        return perElement.reshape(mean.getShape().get(0), -1).sum(new int[] {1}).mean();
    }
}
