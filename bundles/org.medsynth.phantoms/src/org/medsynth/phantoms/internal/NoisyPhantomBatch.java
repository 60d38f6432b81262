package org.medsynth.phantoms.internal;

import java.util.SplittableRandom;

import org.medsynth.data.phantom.Phantoms;

/**
 * Clean phantoms and their copies with additive Gaussian noise, each flat array laid out as (count, 1, size, size)
 * row-major: what the network sees as input ({@code noisy}) and what it should recover ({@code clean}).
 */
record NoisyPhantomBatch(float[] clean, float[] noisy, int count, int size) {

    /**
     * Draws {@code count} phantom variations, each with noise of a standard deviation drawn uniformly from
     * [{@code minSigma}, {@code maxSigma}] (equal bounds give one fixed sigma).
     */
    static NoisyPhantomBatch draw(SheppLoganVariations variations, int count, double minSigma, double maxSigma,
            SplittableRandom random) {
        int size = variations.size();
        int pixels = size * size;
        float[] clean = new float[count * pixels];
        float[] noisy = new float[count * pixels];
        for (int i = 0; i < count; i++) {
            float[] phantom = variations.sample(random);
            double sigma = minSigma == maxSigma ? minSigma : random.nextDouble(minSigma, maxSigma);
            float[] withNoise = phantom.clone();
            Phantoms.addGaussianNoise(withNoise, sigma, random);
            System.arraycopy(phantom, 0, clean, i * pixels, pixels);
            System.arraycopy(withNoise, 0, noisy, i * pixels, pixels);
        }
        return new NoisyPhantomBatch(clean, noisy, count, size);
    }

    /** Image {@code index} of {@code values} (either array), widened to double for the metrics. */
    double[] image(float[] values, int index) {
        int pixels = size * size;
        double[] image = new double[pixels];
        for (int p = 0; p < pixels; p++) {
            image[p] = values[index * pixels + p];
        }
        return image;
    }
}
