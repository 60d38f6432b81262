package org.medsynth.physics;

import java.util.stream.IntStream;

/**
 * Filtered back-projection. Each projection is convolved with the band-limited ramp kernel of Kak and Slaney
 * (spatial form, so the zero frequency is right), apodised by a window. Parallel beam (views over [0, π)) is then
 * back-projected with the matched adjoint of {@link Radon}. Flat-detector fan beam (views over [0, 2π)) follows Kak
 * and Slaney's equally-spaced-collinear-detector algorithm: projections are scaled to the virtual detector through
 * the centre, weighted by R/√(R² + s²), ramp-filtered with half the kernel (every ray is measured twice in a full
 * turn), and back-projected pixel by pixel with the distance weight 1/U², U = (R + p·d)/R the pixel's depth along the
 * central ray over R. Both sum the views with the scan's angular step, so sparse-view and limited-angle selections
 * keep their scale.
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

    /** The {@code nx × ny} image whose projections over {@code scan} are {@code sinogram}. */
    public static float[] reconstruct(float[] sinogram, int nx, int ny, RadonGeometry scan, Filter filter) {
        if (nx < 1 || ny < 1) {
            throw new IllegalArgumentException("image shape must be positive, got " + nx + "×" + ny);
        }
        if (sinogram.length != scan.bins() * scan.views()) {
            throw new IllegalArgumentException("sinogram has " + sinogram.length + " values, the scan needs "
                    + scan.bins() * scan.views());
        }
        return scan.isFan() ? reconstructFan(sinogram, nx, ny, scan, filter)
                : reconstructParallel(sinogram, nx, ny, scan, filter);
    }

    private static float[] reconstructParallel(float[] sinogram, int nx, int ny, RadonGeometry scan, Filter filter) {
        float[] filtered = filter(sinogram, scan, filter);
        float[] image = Radon.adjoint(filtered, nx, ny, scan);
        // ∫₀^π dθ ≈ Δθ per view; the adjoint's interpolation weights sum to 1/binSpacing per view
        float scale = (float) (scan.angularStep() * scan.binSpacing());
        for (int i = 0; i < image.length; i++) {
            image[i] *= scale;
        }
        return image;
    }

    private static float[] reconstructFan(float[] sinogram, int nx, int ny, RadonGeometry scan, Filter filter) {
        Radon.checkSourceOutside(nx, ny, scan);
        int bins = scan.bins();
        double r = scan.sourceToCentre();
        float[] weighted = new float[sinogram.length];
        for (int b = 0; b < bins; b++) {
            double s = scan.binOffsetAtCentre(b);
            double cosine = r / Math.sqrt(r * r + s * s);
            for (int v = 0; v < scan.views(); v++) {
                weighted[b + bins * v] = (float) (sinogram[b + bins * v] * cosine);
            }
        }
        float[] filtered = filter(weighted, scan, filter);
        double tau = scan.binSpacingAtCentre();
        double centreBin = 0.5 * (bins - 1);
        // ½ of the ramp for the full turn, Δβ per view
        double scale = 0.5 * scan.angularStep();
        double[] cos = new double[scan.views()];
        double[] sin = new double[scan.views()];
        for (int v = 0; v < cos.length; v++) {
            cos[v] = Math.cos(scan.angle(v));
            sin[v] = Math.sin(scan.angle(v));
        }
        float[] image = new float[nx * ny];
        IntStream.range(0, ny).parallel().forEach(y -> {
            double py = y - 0.5 * (ny - 1);
            for (int x = 0; x < nx; x++) {
                double px = x - 0.5 * (nx - 1);
                double sum = 0;
                for (int v = 0; v < cos.length; v++) {
                    // lateral position along the detector axis (cos θ, sin θ) and depth along the central ray
                    double lateral = px * cos[v] + py * sin[v];
                    double u = (r - px * sin[v] + py * cos[v]) / r;
                    double bin = lateral / u / tau + centreBin;
                    int b0 = (int) Math.floor(bin);
                    if (b0 < -1 || b0 >= bins) {
                        continue;
                    }
                    double w = bin - b0;
                    double value = (b0 >= 0 ? (1 - w) * filtered[b0 + bins * v] : 0)
                            + (b0 + 1 < bins ? w * filtered[b0 + 1 + bins * v] : 0);
                    sum += value / (u * u);
                }
                image[x + nx * y] = (float) (scale * sum);
            }
        });
        return image;
    }

    /**
     * Convolves every projection with the windowed ramp kernel for the scan's bin spacing at the centre
     * (zero-padded to avoid wrap-around).
     */
    public static float[] filter(float[] sinogram, RadonGeometry scan, Filter filter) {
        int bins = scan.bins();
        int padded = Integer.highestOneBit(Math.max(2, 2 * bins - 1)) << 1;
        double tau = scan.binSpacingAtCentre();
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
