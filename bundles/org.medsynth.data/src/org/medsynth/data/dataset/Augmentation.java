package org.medsynth.data.dataset;

import java.util.SplittableRandom;

import net.imglib2.type.numeric.real.FloatType;

import org.medsynth.core.image.MedicalImage;

/**
 * Seeded random augmentation: flips, a small affine (rotation, isotropic scale, translation about the centre, linear
 * interpolation) and an intensity scale and shift. The result is a function of the image, the settings and the seed
 * only, so a training run that derives each sample's seed from its own seed, the epoch and the case repeats exactly.
 * Every draw is made whatever the settings, so turning one augmentation off does not change the others.
 *
 * @see SpatialTransforms#flip
 * @see SpatialTransforms#affine
 */
public final class Augmentation {
    /**
     * @param flipProbability         chance of flipping each spatial axis, 0..1
     * @param maxRotationDegrees      rotation about each axis (the one in-plane axis in 2D) drawn from ±this
     * @param maxScaleChange          isotropic scale drawn from 1 ± this (0..0.5)
     * @param maxTranslationMm        shift along each axis drawn from ±this
     * @param maxIntensityScaleChange intensity factor drawn from 1 ± this (0..1)
     * @param maxIntensityShift       intensity offset drawn from ±this, in the image's unit
     * @param fill                    value of pixels the affine moves in from outside the image
     */
    public record Settings(double flipProbability, double maxRotationDegrees, double maxScaleChange,
            double maxTranslationMm, double maxIntensityScaleChange, double maxIntensityShift, double fill) {
        public Settings {
            check("flip probability", flipProbability, 1);
            check("rotation", maxRotationDegrees, 180);
            check("scale change", maxScaleChange, 0.5);
            check("translation", maxTranslationMm, Double.MAX_VALUE);
            check("intensity scale change", maxIntensityScaleChange, 1);
            check("intensity shift", maxIntensityShift, Double.MAX_VALUE);
            if (!Double.isFinite(fill)) {
                throw new IllegalArgumentException("fill value must be finite, got " + fill);
            }
        }

        private static void check(String what, double value, double max) {
            if (!(value >= 0 && value <= max)) {
                throw new IllegalArgumentException(what + " must be in [0, " + max + "], got " + value);
            }
        }
    }

    private final Settings settings;

    public Augmentation(Settings settings) {
        this.settings = settings;
    }

    /** The augmented image for one seed. */
    public MedicalImage<FloatType> apply(MedicalImage<?> image, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int d = image.geometry().dimensions();
        MedicalImage<?> current = image;
        for (int a = 0; a < d; a++) {
            if (random.nextDouble() < settings.flipProbability()) {
                current = SpatialTransforms.flip(current, a);
            }
        }
        double[] angles = new double[3];
        for (int i = 0; i < 3; i++) {
            angles[i] = Math.toRadians(symmetric(random, settings.maxRotationDegrees()));
        }
        double scale = 1 + symmetric(random, settings.maxScaleChange());
        double[] translation = new double[d];
        for (int a = 0; a < 3; a++) {
            double t = symmetric(random, settings.maxTranslationMm());
            if (a < d) {
                translation[a] = t;
            }
        }
        double intensityScale = 1 + symmetric(random, settings.maxIntensityScaleChange());
        double intensityShift = symmetric(random, settings.maxIntensityShift());
        double[] matrix = d == 2 ? rotation2d(angles[2]) : rotation3d(angles);
        for (int i = 0; i < matrix.length; i++) {
            matrix[i] *= scale;
        }
        current = SpatialTransforms.affine(current, matrix, translation, settings.fill());
        return IntensityTransforms.scaleShift(current, intensityScale, intensityShift);
    }

    private static double symmetric(SplittableRandom random, double max) {
        return (2 * random.nextDouble() - 1) * max;
    }

    private static double[] rotation2d(double angle) {
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        return new double[] {c, -s, s, c};
    }

    /** Rz · Ry · Rx, row-major. */
    private static double[] rotation3d(double[] angles) {
        double[] rx = {1, 0, 0, 0, Math.cos(angles[0]), -Math.sin(angles[0]), 0, Math.sin(angles[0]), Math.cos(angles[0])};
        double[] ry = {Math.cos(angles[1]), 0, Math.sin(angles[1]), 0, 1, 0, -Math.sin(angles[1]), 0, Math.cos(angles[1])};
        double[] rz = {Math.cos(angles[2]), -Math.sin(angles[2]), 0, Math.sin(angles[2]), Math.cos(angles[2]), 0, 0, 0, 1};
        return multiply(rz, multiply(ry, rx));
    }

    private static double[] multiply(double[] a, double[] b) {
        double[] m = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                for (int k = 0; k < 3; k++) {
                    m[r * 3 + c] += a[r * 3 + k] * b[k * 3 + c];
                }
            }
        }
        return m;
    }
}
