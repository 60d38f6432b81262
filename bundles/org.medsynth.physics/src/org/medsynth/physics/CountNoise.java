package org.medsynth.physics;

import java.util.SplittableRandom;

/**
 * Poisson and binomial counts from a seed and an element index, so that noisy images are the same whatever order or
 * thread computes them.
 */
public final class CountNoise {

    private CountNoise() {
    }

    /** A generator for element {@code index} of a seeded field (SplitMix-style mixing of seed and index). */
    public static SplittableRandom random(long seed, long index) {
        long z = seed + 0x9E3779B97F4A7C15L * (index + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return new SplittableRandom(z ^ (z >>> 31));
    }

    /** Poisson variate of mean {@code mean}: inversion below 10, Hörmann's PTRS transformed rejection above. */
    public static long poisson(double mean, SplittableRandom random) {
        if (!(mean >= 0) || Double.isInfinite(mean)) {
            throw new IllegalArgumentException("Poisson mean must be finite and non-negative, got " + mean);
        }
        if (mean < 10) {
            double limit = Math.exp(-mean);
            double product = random.nextDouble();
            long k = 0;
            while (product > limit) {
                product *= random.nextDouble();
                k++;
            }
            return k;
        }
        double sqrtMean = Math.sqrt(mean);
        double logMean = Math.log(mean);
        double b = 0.931 + 2.53 * sqrtMean;
        double a = -0.059 + 0.02483 * b;
        double invAlpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        while (true) {
            double u = random.nextDouble() - 0.5;
            double v = random.nextDouble();
            double us = 0.5 - Math.abs(u);
            long k = (long) Math.floor((2 * a / us + b) * u + mean + 0.43);
            if (us >= 0.07 && v <= vr) {
                return k;
            }
            if (k < 0 || (us < 0.013 && v > us)) {
                continue;
            }
            if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b)
                    <= -mean + k * logMean - logFactorial(k)) {
                return k;
            }
        }
    }

    /** Binomial variate: how many of {@code trials} independent events of probability {@code p} are kept. */
    public static long binomial(long trials, double p, SplittableRandom random) {
        if (trials < 0 || !(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("binomial needs trials ≥ 0 and 0 ≤ p ≤ 1, got " + trials + ", " + p);
        }
        long kept = 0;
        for (long i = 0; i < trials; i++) {
            if (random.nextDouble() < p) {
                kept++;
            }
        }
        return kept;
    }

    /** ln(k!) by Stirling's series (exact table below 16). */
    static double logFactorial(long k) {
        if (k < 16) {
            double f = 0;
            for (long i = 2; i <= k; i++) {
                f += Math.log(i);
            }
            return f;
        }
        double x = k + 1.0;
        return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x * x);
    }
}
