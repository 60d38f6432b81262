package org.medsynth.physics;

import java.util.stream.IntStream;

/**
 * Low-dose PET simulation. A scan at a fraction p of the dose detects each event of the full-dose scan independently
 * with probability p, so low-dose counts are a binomial thinning of the measured counts (and a thinned Poisson is
 * again Poisson). Images are reconstructed from 2D parallel-beam sinograms by MLEM with the {@link Radon} system model.
 */
public final class PetDose {

    private PetDose() {
    }

    /** Keeps each count with probability {@code doseFraction}, reproducibly from {@code seed} per bin. */
    public static float[] thin(float[] counts, double doseFraction, long seed) {
        float[] out = new float[counts.length];
        IntStream.range(0, counts.length).parallel().forEach(i -> {
            long n = Math.round(counts[i]);
            if (n < 0 || Math.abs(counts[i] - n) > 1e-3) {
                throw new IllegalArgumentException("bin " + i + " holds " + counts[i] + ", not a count");
            }
            out[i] = CountNoise.binomial(n, doseFraction, CountNoise.random(seed, i));
        });
        return out;
    }

    /**
     * Full-dose counts of an activity map: Poisson(scale · A x), with {@code countsPerUnit} scaling the expected
     * sinogram to the acquisition's count level.
     */
    public static float[] acquire(float[] activity, int nx, int ny, RadonGeometry scan, double countsPerUnit,
            long seed) {
        float[] expected = Radon.forward(activity, nx, ny, scan);
        float[] counts = new float[expected.length];
        IntStream.range(0, counts.length).parallel().forEach(i -> counts[i] = CountNoise.poisson(
                Math.max(0, expected[i]) * countsPerUnit, CountNoise.random(seed, i)));
        return counts;
    }

    /** MLEM: x ← x / Aᵀ1 · Aᵀ(y / A x), from a uniform start, for {@code iterations} iterations. */
    public static float[] mlem(float[] counts, int nx, int ny, RadonGeometry scan, int iterations) {
        float[] ones = new float[counts.length];
        java.util.Arrays.fill(ones, 1);
        float[] sensitivity = Radon.adjoint(ones, nx, ny, scan);
        float[] x = new float[nx * ny];
        java.util.Arrays.fill(x, 1);
        for (int it = 0; it < iterations; it++) {
            float[] projected = Radon.forward(x, nx, ny, scan);
            float[] ratio = new float[counts.length];
            for (int i = 0; i < ratio.length; i++) {
                ratio[i] = projected[i] > 1e-12f ? counts[i] / projected[i] : 0;
            }
            float[] back = Radon.adjoint(ratio, nx, ny, scan);
            for (int p = 0; p < x.length; p++) {
                x[p] = sensitivity[p] > 1e-12f ? x[p] * back[p] / sensitivity[p] : 0;
            }
        }
        return x;
    }
}
