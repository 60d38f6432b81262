package org.medsynth.physics;

import java.util.stream.IntStream;

/**
 * The x-ray model and fusion of "Single-image Tomography: 3D Volumes from 2D Cranial X-Rays" (Henzler et al.).
 *
 * <p>Simulation (their Sec. 3.2, Eq. 1): orthographic rays through a density volume, transparency
 * α = exp(−χ Σ μ(tᵢ)·Δt) with χ = {@value #CHI} over n_s = {@value #STEPS} front-to-back samples, written as opacity
 * 1 − α; view directions come from the +z hemisphere. The printed sum has no step length; a quadrature of ∫ μ dt
 * needs one, so Δt is the ray's length over n_s, with the volume spanning [−½, ½]³ (normalised units) and the rays
 * its bounding sphere's diameter. This keeps densities in [0, 1] on a plausible contrast scale.
 *
 * <p>Fusion (Sec. 4.2, Eq. 2): per pixel, the network's densities μ̃ᵢ along the viewing axis are corrected by
 * μ̂ᵢ = μ̃ᵢ − Δ·μ̃ᵢ^β / Σⱼ μ̃ⱼ^β with β = 2, where Δ comes from the transparency error Δα = α̃ − α.
 *
 * <p>Transcendental functions are {@link StrictMath}'s: {@link Math}'s may differ in the last bit between the
 * interpreter and compiled code, and training pairs must come out bit-identical for reproducible training.
 */
public final class SingleImageTomography {

    public static final double CHI = 10;
    public static final int STEPS = 128;
    public static final double BETA = 2;

    /** How the density error Δ is derived from the transparency error. */
    public enum Correction {
        /** Δ = log(1 − Δα), as printed in the paper. */
        AS_PRINTED,
        /** Δ = ln(α/α̃)/(χ·Δt), which makes the re-simulated transparency equal the input exactly. */
        EXACT
    }

    private SingleImageTomography() {
    }

    /**
     * Opacity image (size × size, row-major) of a cubic density volume (n³, x fastest) seen along {@code direction}
     * (a unit vector with z ≥ 0). The image plane's axes are orthonormal to the direction; the image covers the
     * volume's bounding sphere cross-section of side 1 (normalised units).
     */
    public static float[] simulate(float[] density, int n, double[] direction, int size) {
        Volume volume = Volume.cube(density, n, 1.0 / n);
        double[][] axes = imageAxes(direction);
        // rays span the bounding sphere's diameter √3 so oblique views miss no corner of the unit cube
        double depth = Math.sqrt(3);
        double dt = depth / STEPS;
        float[] opacity = new float[size * size];
        IntStream.range(0, size).parallel().forEach(row -> {
            for (int col = 0; col < size; col++) {
                double sum = 0;
                for (int i = 0; i < STEPS; i++) {
                    sum += sampleInViewFrame(volume, axes, (col + 0.5) / size - 0.5, (row + 0.5) / size - 0.5,
                            -0.5 * depth + (i + 0.5) * dt);
                }
                opacity[col + size * row] = (float) (1 - StrictMath.exp(-CHI * sum * dt));
            }
        });
        return opacity;
    }

    /**
     * The cubic density volume (n³, x fastest) resampled (trilinear) in the frame of a view along {@code direction}:
     * {@code slices} depth slices of size × size, slice-major ({@code result[p + size²·i]}, the layout of
     * {@link #fuse}), pixel p = col + size·row at the same image position as {@link #simulate}'s, slice i at depth
     * t = −½ + (i + ½)/slices along the ray. A volume whose densities lie inside the sphere of radius ½ is wholly
     * inside this view-aligned unit cube, so {@link #projectSlices} of the result approximates {@link #simulate}.
     */
    public static float[] viewSlices(float[] density, int n, double[] direction, int size, int slices) {
        Volume volume = Volume.cube(density, n, 1.0 / n);
        double[][] axes = imageAxes(direction);
        int pixels = size * size;
        float[] stack = new float[pixels * slices];
        IntStream.range(0, slices).parallel().forEach(i -> {
            double t = -0.5 + (i + 0.5) / slices;
            for (int row = 0; row < size; row++) {
                for (int col = 0; col < size; col++) {
                    stack[col + size * row + pixels * i] = (float) sampleInViewFrame(volume, axes,
                            (col + 0.5) / size - 0.5, (row + 0.5) / size - 0.5, t);
                }
            }
        });
        return stack;
    }

    /**
     * The opacity image (1 − α, {@code pixels} values) of a view-aligned density stack ({@code slices} slices
     * spanning unit depth, slice-major as {@link #fuse} takes it): the paper's model along the stack's own axis.
     */
    public static float[] projectSlices(float[] stack, int slices, int pixels) {
        if (stack.length != (long) pixels * slices) {
            throw new IllegalArgumentException("density stack has " + stack.length + " values, " + slices
                    + " slices of " + pixels + " pixels need " + (long) pixels * slices);
        }
        float[] opacity = new float[pixels];
        for (int p = 0; p < pixels; p++) {
            opacity[p] = (float) (1 - StrictMath.exp(-CHI * raySum(stack, slices, pixels, p) / slices));
        }
        return opacity;
    }

    /** A view direction from the +z hemisphere, uniform over its area, from two uniform numbers in [0, 1). */
    public static double[] hemisphereDirection(double u1, double u2) {
        double z = u1;
        double r = Math.sqrt(Math.max(0, 1 - z * z));
        double phi = 2 * Math.PI * u2;
        return new double[] {r * StrictMath.cos(phi), r * StrictMath.sin(phi), z};
    }

    /**
     * Fuses a coarse density stack with a full-resolution x-ray. {@code coarse} holds {@code slices} depth slices of
     * w × h (upsampled laterally to the x-ray's size beforehand; slice-major, {@code coarse[p + w·h·i]}) along the
     * viewing axis; {@code opacity} is the input x-ray (1 − α). Returns the fused slices.
     */
    public static float[] fuse(float[] coarse, int slices, float[] opacity, Correction correction) {
        int pixels = opacity.length;
        if (coarse.length != (long) pixels * slices) {
            throw new IllegalArgumentException("density stack has " + coarse.length + " values, " + slices
                    + " slices of " + pixels + " pixels need " + (long) pixels * slices);
        }
        double dt = 1.0 / slices;
        float[] fused = coarse.clone();
        IntStream.range(0, pixels).parallel().forEach(p -> {
            double sum = raySum(coarse, slices, pixels, p);
            double weightSum = 0;
            for (int i = 0; i < slices; i++) {
                weightSum += StrictMath.pow(Math.max(coarse[p + pixels * i], 0), BETA);
            }
            if (weightSum == 0) {
                // an empty ray has no density to redistribute (the paper is silent); it stays empty
                return;
            }
            double alphaEstimate = StrictMath.exp(-CHI * sum * dt);
            double alpha = Math.min(1, Math.max(1e-12, 1 - opacity[p]));
            double delta = correction == Correction.AS_PRINTED
                    ? StrictMath.log(1 - (alphaEstimate - alpha))
                    : StrictMath.log(alpha / alphaEstimate) / (CHI * dt);
            for (int i = 0; i < slices; i++) {
                double mu = coarse[p + pixels * i];
                fused[p + pixels * i] = (float) (mu - delta * StrictMath.pow(Math.max(mu, 0), BETA) / weightSum);
            }
        });
        return fused;
    }

    private static double raySum(float[] stack, int slices, int pixels, int p) {
        double sum = 0;
        for (int i = 0; i < slices; i++) {
            sum += stack[p + pixels * i];
        }
        return sum;
    }

    /** The image plane's column axis u, row axis v and the viewing direction d, after checking d. */
    private static double[][] imageAxes(double[] direction) {
        if (direction.length != 3 || direction[2] < 0) {
            throw new IllegalArgumentException("view direction must be a 3-vector in the +z hemisphere");
        }
        double norm = Math.sqrt(direction[0] * direction[0] + direction[1] * direction[1] + direction[2] * direction[2]);
        if (!(Math.abs(norm - 1) < 1e-6)) {
            throw new IllegalArgumentException("view direction must be a unit vector, its length is " + norm);
        }
        double[] u = perpendicular(direction);
        return new double[][] {u, cross(direction, u), direction};
    }

    /** The density at image position (a, b) and depth t of the view frame (normalised units). */
    private static double sampleInViewFrame(Volume volume, double[][] axes, double a, double b, double t) {
        double[] u = axes[0];
        double[] v = axes[1];
        double[] d = axes[2];
        return volume.sample(a * u[0] + b * v[0] + t * d[0], a * u[1] + b * v[1] + t * d[1],
                a * u[2] + b * v[2] + t * d[2]);
    }

    private static double[] perpendicular(double[] d) {
        double[] helper = Math.abs(d[0]) < 0.9 ? new double[] {1, 0, 0} : new double[] {0, 1, 0};
        double[] u = cross(helper, d);
        double len = Math.sqrt(u[0] * u[0] + u[1] * u[1] + u[2] * u[2]);
        return new double[] {u[0] / len, u[1] / len, u[2] / len};
    }

    private static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }
}
