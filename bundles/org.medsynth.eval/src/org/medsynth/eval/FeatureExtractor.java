package org.medsynth.eval;

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

    /** Releases native resources (a loaded model); nothing for pure-Java extractors. */
    @Override
    default void close() {
    }
}
