package org.medsynth.eval;

import java.util.List;

import org.medsynth.core.image.MedicalImage;

/**
 * Turns an image into a feature vector for the distribution metrics ({@link DistributionMetrics}). Metric values are
 * only comparable between runs that used the same extractor, so every result names it ({@link #description()}).
 */
public interface FeatureExtractor extends AutoCloseable {
    /** What produced the features, recorded with every result computed from them. */
    String description();

    /**
     * The image's feature vector; every call of one extractor returns the same length.
     *
     * @throws IllegalArgumentException when the image cannot be turned into features (non-finite pixels, size)
     */
    double[] features(MedicalImage<?> image);

    /**
     * The feature vectors of several images, in order; extractors that run a network run them as one batch.
     *
     * @throws ImageFeatureException naming the position of the image that cannot be turned into features
     */
    default double[][] features(List<? extends MedicalImage<?>> images) {
        double[][] features = new double[images.size()][];
        for (int i = 0; i < images.size(); i++) {
            try {
                features[i] = features(images.get(i));
            } catch (IllegalArgumentException e) {
                throw new ImageFeatureException(i, e);
            }
        }
        return features;
    }

    /** An image of a list that cannot be turned into features: its position in the list, and why. */
    final class ImageFeatureException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final int index;

        public ImageFeatureException(int index, IllegalArgumentException cause) {
            super(cause.getMessage(), cause);
            this.index = index;
        }

        public int index() {
            return index;
        }
    }

    /** Releases native resources (a loaded model); nothing for pure-Java extractors. */
    @Override
    default void close() {
    }
}
