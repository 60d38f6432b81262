package org.medsynth.physics;

import java.util.stream.IntStream;

/**
 * Radiograph formation from attenuation line integrals p = ∫ μ dl: transmitted fraction e^(−p), optionally as
 * Poisson photon counts of a tube delivering {@code incidentPhotons} per detector pixel.
 */
public final class BeerLambert {

    private BeerLambert() {
    }

    /** Noise-free transmitted fraction I/I₀ = e^(−p). */
    public static float[] transmission(float[] lineIntegrals) {
        float[] out = new float[lineIntegrals.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) Math.exp(-lineIntegrals[i]);
        }
        return out;
    }

    /** Detected photon counts ~ Poisson(I₀ e^(−p)), reproducible from {@code seed} regardless of thread count. */
    public static float[] photonCounts(float[] lineIntegrals, double incidentPhotons, long seed) {
        if (!(incidentPhotons > 0)) {
            throw new IllegalArgumentException("incident photons per pixel must be positive, got " + incidentPhotons);
        }
        float[] out = new float[lineIntegrals.length];
        IntStream.range(0, out.length).parallel().forEach(i -> out[i] = CountNoise.poisson(
                incidentPhotons * Math.exp(-lineIntegrals[i]), CountNoise.random(seed, i)));
        return out;
    }

    /** Line integrals re-estimated from counts, −ln(N/I₀), with zero counts floored at half a photon. */
    public static float[] logTransform(float[] counts, double incidentPhotons) {
        float[] out = new float[counts.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) -Math.log(Math.max(counts[i], 0.5) / incidentPhotons);
        }
        return out;
    }
}
