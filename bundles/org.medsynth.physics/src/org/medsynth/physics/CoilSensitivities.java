package org.medsynth.physics;

/**
 * Simulated receive-coil sensitivities for a {@code ny × nx} field of view: coils evenly spaced on a circle 1.5 ×
 * the half field of view from the centre, each a Gaussian magnitude falloff with a linear phase across the field,
 * normalised so that Σ_c |Sᶜ|² = 1 at every pixel (then Aᴴ A is the identity when fully sampled).
 */
public final class CoilSensitivities {

    private CoilSensitivities() {
    }

    public static ComplexArray simulate(int coils, int ny, int nx) {
        if (coils < 1 || ny < 1 || nx < 1) {
            throw new IllegalArgumentException("need at least one coil and a non-empty grid, got " + coils + " coils on "
                    + ny + "×" + nx);
        }
        int n = ny * nx;
        double[] re = new double[coils * n];
        double[] im = new double[coils * n];
        double half = 0.5 * Math.max(nx, ny);
        double sigma = 1.2 * half;
        for (int c = 0; c < coils; c++) {
            double angle = 2 * Math.PI * c / coils;
            double cx = 1.5 * half * Math.cos(angle);
            double cy = 1.5 * half * Math.sin(angle);
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    double px = x - 0.5 * (nx - 1);
                    double py = y - 0.5 * (ny - 1);
                    double d2 = (px - cx) * (px - cx) + (py - cy) * (py - cy);
                    double magnitude = Math.exp(-d2 / (2 * sigma * sigma));
                    double phase = Math.PI * (px * Math.cos(angle) + py * Math.sin(angle)) / (2 * half) + angle;
                    re[c * n + x + nx * y] = magnitude * Math.cos(phase);
                    im[c * n + x + nx * y] = magnitude * Math.sin(phase);
                }
            }
        }
        for (int p = 0; p < n; p++) {
            double sum = 0;
            for (int c = 0; c < coils; c++) {
                sum += re[c * n + p] * re[c * n + p] + im[c * n + p] * im[c * n + p];
            }
            double scale = 1 / Math.sqrt(sum);
            for (int c = 0; c < coils; c++) {
                re[c * n + p] *= scale;
                im[c * n + p] *= scale;
            }
        }
        return new ComplexArray(re, im);
    }
}
