package org.medsynth.physics;

import java.util.stream.IntStream;

/**
 * Filtered back-projection for parallel-beam scans with views evenly spread over [0, π): each projection is
 * convolved with the band-limited ramp kernel of Kak and Slaney (spatial form, so the zero frequency is right),
 * apodised by a window, and back-projected with the matched adjoint of {@link Radon}.
 */
public final class FilteredBackProjection {

    /** Apodisation of the ramp, as a function of the fraction x ∈ [0, 1] of the Nyquist frequency. */
    public enum Filter {
        RAM_LAK, SHEPP_LOGAN, COSINE, HAMMING, HANN;

        double window(double x) {
            return switch (this) {
                case RAM_LAK -> 1;
                case SHEPP_LOGAN -> x == 0 ? 1 : Math.sin(Math.PI * x / 2) / (Math.PI * x / 2);
                case COSINE -> Math.cos(Math.PI * x / 2);
                case HAMMING -> 0.54 + 0.46 * Math.cos(Math.PI * x);
                case HANN -> 0.5 + 0.5 * Math.cos(Math.PI * x);
            };
        }
    }

    private FilteredBackProjection() {
    }

    public static float[] reconstruct(float[] sinogram, int nx, int ny, RadonGeometry scan, Filter filter) {
        if (scan.isFan()) {
            throw new IllegalArgumentException("filtered back-projection here is parallel-beam; rebin fan data first");
        }
        float[] filtered = filter(sinogram, scan, filter);
        float[] image = Radon.adjoint(filtered, nx, ny, scan);
        // ∫₀^π dθ ≈ π/K per view; the adjoint's interpolation weights sum to 1/binSpacing per view
        float scale = (float) (Math.PI / scan.views() * scan.binSpacing());
        for (int i = 0; i < image.length; i++) {
            image[i] *= scale;
        }
        return image;
    }

    /** Convolves every projection with the windowed ramp kernel (zero-padded to avoid wrap-around). */
    public static float[] filter(float[] sinogram, RadonGeometry scan, Filter filter) {
        int bins = scan.bins();
        int padded = Integer.highestOneBit(Math.max(2, 2 * bins - 1)) << 1;
        double tau = scan.binSpacing();
        double[] kernelRe = new double[padded];
        double[] kernelIm = new double[padded];
        kernelRe[0] = 1 / (4 * tau * tau);
        for (int k = 1; k < padded / 2; k += 2) {
            double h = -1 / (Math.PI * Math.PI * k * k * tau * tau);
            kernelRe[k] = h;
            kernelRe[padded - k] = h;
        }
        Fft.transform(kernelRe, kernelIm, false);
        double[] response = new double[padded];
        for (int k = 0; k < padded; k++) {
            double fraction = Math.min(k, padded - k) / (padded / 2.0);
            response[k] = kernelRe[k] * tau * filter.window(fraction);
        }
        float[] out = new float[sinogram.length];
        IntStream.range(0, scan.views()).parallel().forEach(view -> {
            double[] re = new double[padded];
            double[] im = new double[padded];
            for (int b = 0; b < bins; b++) {
                re[b] = sinogram[b + bins * view];
            }
            Fft.transform(re, im, false);
            for (int k = 0; k < padded; k++) {
                re[k] *= response[k];
                im[k] *= response[k];
            }
            Fft.transform(re, im, true);
            for (int b = 0; b < bins; b++) {
                out[b + bins * view] = (float) (re[b] / padded);
            }
        });
        return out;
    }
}
