package org.medsynth.ml.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * GAN objectives on discriminator outputs (logits, any shape, e.g. PatchGAN maps; means run over all elements).
 * The discriminator loss is minimised by the discriminator, the generator loss by the generator; for the generator
 * step pass the logits of D(G(z)) without detaching, for the discriminator step the logits of D(real) and of
 * D(G(z)) computed from a detached G(z). Gradient penalties are in {@link GradientPenalty}.
 */
public enum AdversarialLoss {
    /**
     * Goodfellow et al. 2014 with the non-saturating generator loss, in softplus form (numerically stable):
     * D: mean softplus(−D(real)) + mean softplus(D(fake)); G: mean softplus(−D(fake)).
     */
    NON_SATURATING {
        @Override
        public NDArray discriminator(NDArray realLogits, NDArray fakeLogits) {
            return Activation.softPlus(realLogits.neg()).mean().add(Activation.softPlus(fakeLogits).mean());
        }

        @Override
        public NDArray generator(NDArray fakeLogits) {
            return Activation.softPlus(fakeLogits.neg()).mean();
        }
    },
    /** Hinge (Lim &amp; Ye 2017, SAGAN): D: mean relu(1 − D(real)) + mean relu(1 + D(fake)); G: −mean D(fake). */
    HINGE {
        @Override
        public NDArray discriminator(NDArray realLogits, NDArray fakeLogits) {
            return Activation.relu(realLogits.neg().add(1)).mean().add(Activation.relu(fakeLogits.add(1)).mean());
        }
    },
    /**
     * Wasserstein (Arjovsky et al. 2017): D (the critic): mean D(fake) − mean D(real); G: −mean D(fake). Needs a
     * Lipschitz constraint, usually {@link GradientPenalty#wgan}.
     */
    WASSERSTEIN {
        @Override
        public NDArray discriminator(NDArray realLogits, NDArray fakeLogits) {
            return fakeLogits.mean().sub(realLogits.mean());
        }
    };

    /** The discriminator's loss for its outputs on a real and a generated batch. */
    public abstract NDArray discriminator(NDArray realLogits, NDArray fakeLogits);

    /** The generator's loss for the discriminator's outputs on a generated batch: −mean D(fake) unless overridden. */
    public NDArray generator(NDArray fakeLogits) {
        return fakeLogits.mean().neg();
    }
}
