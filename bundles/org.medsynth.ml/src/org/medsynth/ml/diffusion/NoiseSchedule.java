package org.medsynth.ml.diffusion;

import java.util.Arrays;

/**
 * The variances β_1..β_T of a diffusion's forward process and what follows from them, in double precision:
 * α_t = 1 − β_t and ᾱ_t = ∏ α_s. Index t runs from 0 (the first, least noisy step) to T − 1.
 */
public final class NoiseSchedule {
    /** Cosine schedules clip β here so that the last steps do not become singular (Nichol &amp; Dhariwal 2021). */
    static final double MAX_COSINE_BETA = 0.999;
    private final String name;
    private final double[] betas;
    private final double[] alphaBars;

    private NoiseSchedule(String name, double[] betas) {
        for (double beta : betas) {
            if (!(beta > 0 && beta < 1)) {
                throw new IllegalArgumentException("every beta must lie in (0, 1), got " + beta);
            }
        }
        this.name = name;
        this.betas = betas;
        alphaBars = new double[betas.length];
        double product = 1;
        for (int t = 0; t < betas.length; t++) {
            product *= 1 - betas[t];
            alphaBars[t] = product;
        }
    }

    /** β linear from {@code betaStart} to {@code betaEnd} (DDPM: 1e-4 to 0.02 over 1000 steps). */
    public static NoiseSchedule linear(int steps, double betaStart, double betaEnd) {
        double[] betas = new double[checkSteps(steps)];
        for (int t = 0; t < steps; t++) {
            betas[t] = steps == 1 ? betaStart : betaStart + (betaEnd - betaStart) * t / (steps - 1);
        }
        return new NoiseSchedule("linear(" + betaStart + ", " + betaEnd + ")", betas);
    }

    /** √β linear from √betaStart to √betaEnd, squared (latent diffusion: 0.00085 to 0.012). */
    public static NoiseSchedule scaledLinear(int steps, double betaStart, double betaEnd) {
        double[] betas = new double[checkSteps(steps)];
        double from = Math.sqrt(betaStart);
        double to = Math.sqrt(betaEnd);
        for (int t = 0; t < steps; t++) {
            double root = steps == 1 ? from : from + (to - from) * t / (steps - 1);
            betas[t] = root * root;
        }
        return new NoiseSchedule("scaled-linear(" + betaStart + ", " + betaEnd + ")", betas);
    }

    /**
     * ᾱ(t) = f(t) / f(0) with f(t) = cos²((t/T + s)/(1 + s) · π/2), s = 0.008 (Nichol &amp; Dhariwal 2021), β_t =
     * 1 − ᾱ(t+1)/ᾱ(t) clipped at 0.999.
     */
    public static NoiseSchedule cosine(int steps) {
        double s = 0.008;
        double[] betas = new double[checkSteps(steps)];
        for (int t = 0; t < steps; t++) {
            double next = cosineF((t + 1.0) / steps, s);
            double current = cosineF((double) t / steps, s);
            betas[t] = Math.min(1 - next / current, MAX_COSINE_BETA);
        }
        return new NoiseSchedule("cosine", betas);
    }

    /**
     * A schedule by name, as a parameter spells it: {@code linear}, {@code cosine}, {@code scaled-linear} (with
     * DDPM's and latent diffusion's β ranges for the linear ones).
     */
    public static NoiseSchedule named(String schedule, int steps) {
        return switch (schedule) {
            case "linear" -> linear(steps, 1e-4, 0.02);
            case "scaled-linear" -> scaledLinear(steps, 0.00085, 0.012);
            case "cosine" -> cosine(steps);
            default -> throw new IllegalArgumentException("unknown noise schedule '" + schedule
                    + "' (linear, cosine or scaled-linear)");
        };
    }

    private static double cosineF(double fraction, double s) {
        double c = Math.cos((fraction + s) / (1 + s) * Math.PI / 2);
        return c * c;
    }

    private static int checkSteps(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("a noise schedule needs at least one step, got " + steps);
        }
        return steps;
    }

    public String name() {
        return name;
    }

    /** T, the number of diffusion steps. */
    public int steps() {
        return betas.length;
    }

    public double beta(int t) {
        return betas[t];
    }

    public double alphaBar(int t) {
        return alphaBars[t];
    }

    /** ᾱ before step t: ᾱ_{t−1}, and 1 before the first step. */
    public double alphaBarBefore(int t) {
        return t == 0 ? 1 : alphaBars[t - 1];
    }

    public double[] betas() {
        return betas.clone();
    }

    public double[] alphaBars() {
        return Arrays.copyOf(alphaBars, alphaBars.length);
    }
}
