package org.medsynth.ml.loss;

import java.util.List;

import ai.djl.ndarray.NDArray;

/**
 * Perceptual feature distance in the form of LPIPS without its learned layer weights (Zhang et al. 2018,
 * {@code lpips.LPIPS(lpips=False)}): for each layer l the feature vectors at every position are divided by their
 * Euclidean norm over channels (+ 1e-10), the squared differences are summed over channels and averaged over batch
 * and positions; the layers' values are summed.
 */
public final class PerceptualLoss {
    /** Added to the channel norm, as LPIPS does, so an all-zero feature vector stays finite. */
    public static final double NORM_EPSILON = 1e-10;

    private PerceptualLoss() {
    }

    /**
     * @throws IllegalArgumentException for inputs of different shapes, or when the network returns different
     *                                  numbers or shapes of maps for the two
     */
    public static NDArray distance(FeatureNetwork network, NDArray x, NDArray y) {
        LossArguments.requireSameShape("x", x, "y", y);
        List<NDArray> a = network.features(x);
        List<NDArray> b = network.features(y);
        if (a.isEmpty() || a.size() != b.size()) {
            throw new IllegalArgumentException("the feature network returned " + a.size() + " and " + b.size()
                    + " maps; it must return the same non-zero number for both inputs");
        }
        NDArray total = null;
        for (int layer = 0; layer < a.size(); layer++) {
            LossArguments.requireSameShape("feature map " + layer + " of x", a.get(layer), "of y", b.get(layer));
            NDArray squared = unitChannels(a.get(layer)).sub(unitChannels(b.get(layer))).square();
            NDArray term = squared.sum(new int[] {1}).mean();
            total = total == null ? term : total.add(term);
        }
        return total;
    }

    private static NDArray unitChannels(NDArray features) {
        return features.div(features.square().sum(new int[] {1}, true).sqrt().add(NORM_EPSILON));
    }
}
