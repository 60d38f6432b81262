package org.medsynth.radiography.ct2x;

import java.util.SplittableRandom;

import org.medsynth.data.examples.InvesaliusHeadCt;
import org.medsynth.data.phantom.TorsoPhantom;
import org.medsynth.physics.Volume;

/**
 * The CT volumes CT2X-GAN trains and runs on: cubes of {@code size}³ voxels in HU, centred on the origin (the C-arm's
 * rotation centre), patient z up the cube's third axis. Torsos are {@link TorsoPhantom}s with seeded anatomical
 * variation; the real head CT is resampled into the same kind of cube, optionally with a seeded pose variation.
 */
public final class CtVolumes {
    /** Side of the cube a torso is sampled in (mm): the body's 320 × 220 mm section with a margin. */
    public static final double TORSO_CUBE_MM = 360;
    /** Side of the cube the head CT is resampled into (mm): its 245 × 245 × 162 mm field of view. */
    public static final double HEAD_CUBE_MM = 256;

    private CtVolumes() {
    }

    /**
     * A torso phantom with seeded variation: body scaled 0.85–1.1 left–right, 0.85–1.15 front–back and 0.9–1.1
     * along z, turned up to ±10° about z, shifted up to ±15 mm in the axial plane, bone and contrast HU × 0.7–1.4
     * and soft-tissue HU shifted by ±20; each voxel the mean of 2×2×2 sub-samples (partial volumes at edges).
     */
    public static Volume torso(int size, SplittableRandom random) {
        requireSize(size);
        double scaleX = uniform(random, 0.85, 1.1);
        double scaleY = uniform(random, 0.85, 1.15);
        double scaleZ = uniform(random, 0.9, 1.1);
        double turn = Math.toRadians(uniform(random, -10, 10));
        double shiftX = uniform(random, -15, 15);
        double shiftY = uniform(random, -15, 15);
        double boneFactor = uniform(random, 0.7, 1.4);
        double softShift = uniform(random, -20, 20);
        TorsoPhantom phantom = new TorsoPhantom(-0.5 * TORSO_CUBE_MM, 0.5 * TORSO_CUBE_MM);
        double voxel = TORSO_CUBE_MM / size;
        double cos = Math.cos(turn);
        double sin = Math.sin(turn);
        float[] hu = new float[size * size * size];
        int sub = 2;
        for (int k = 0; k < size; k++) {
            for (int j = 0; j < size; j++) {
                for (int i = 0; i < size; i++) {
                    double sum = 0;
                    for (int s = 0; s < sub * sub * sub; s++) {
                        double x = centre(i, s % sub, sub, size, voxel) - shiftX;
                        double y = centre(j, (s / sub) % sub, sub, size, voxel) - shiftY;
                        double z = centre(k, s / (sub * sub), sub, size, voxel);
                        // the world point seen in the phantom's frame: undo the turn, then the scaling
                        double u = (cos * x + sin * y) / scaleX;
                        double v = (-sin * x + cos * y) / scaleY;
                        sum += varied(phantom.valueAt(u, v, z / scaleZ), boneFactor, softShift);
                    }
                    hu[i + size * (j + size * k)] = (float) (sum / (sub * sub * sub));
                }
            }
        }
        return Volume.cube(hu, size, voxel);
    }

    /** The head CT resampled (trilinear) into a {@value #HEAD_CUBE_MM} mm cube of {@code size}³ voxels. */
    public static Volume head(InvesaliusHeadCt ct, int size) {
        return head(ct, size, null);
    }

    /**
     * The head CT in a cube, with a seeded pose variation when {@code random} is given: turned up to ±15° about z,
     * scaled 0.9–1.1, shifted up to ±10 mm in the axial plane, mirrored left–right half of the time.
     */
    public static Volume head(InvesaliusHeadCt ct, int size, SplittableRandom random) {
        Volume source = new Volume(ct.hu(), ct.nx(), ct.ny(), ct.nz(), ct.spacingX(), ct.spacingY(), ct.spacingZ());
        if (random == null) {
            return resample(source, size, HEAD_CUBE_MM, 0, 1, 0, 0, 1);
        }
        double turn = Math.toRadians(uniform(random, -15, 15));
        double scale = uniform(random, 0.9, 1.1);
        double shiftX = uniform(random, -10, 10);
        double shiftY = uniform(random, -10, 10);
        return resample(source, size, HEAD_CUBE_MM, turn, scale, shiftX, shiftY, random.nextBoolean() ? -1 : 1);
    }

    /**
     * Any CT volume in HU (centred on the origin, as {@link Volume}s are) resampled trilinearly into a cube of
     * {@code size}³ voxels whose side is the volume's largest extent; air outside the scanned field.
     */
    public static Volume cube(Volume hu, int size) {
        double side = Math.max(hu.nx() * hu.sx(), Math.max(hu.ny() * hu.sy(), hu.nz() * hu.sz()));
        return resample(hu, size, side, 0, 1, 0, 0, 1);
    }

    private static Volume resample(Volume source, int size, double cubeMm, double turn, double scale, double shiftX,
            double shiftY, double mirror) {
        requireSize(size);
        double voxel = cubeMm / size;
        double cos = Math.cos(turn);
        double sin = Math.sin(turn);
        float[] hu = new float[size * size * size];
        for (int k = 0; k < size; k++) {
            for (int j = 0; j < size; j++) {
                for (int i = 0; i < size; i++) {
                    double x = centre(i, 0, 1, size, voxel) - shiftX;
                    double y = centre(j, 0, 1, size, voxel) - shiftY;
                    double z = centre(k, 0, 1, size, voxel) / scale;
                    double u = mirror * (cos * x + sin * y) / scale;
                    double v = (-sin * x + cos * y) / scale;
                    // outside the scanned field is air, not the zero the interpolation returns
                    hu[i + size * (j + size * k)] = inside(source, u, v, z) ? (float) source.sample(u, v, z)
                            : TorsoPhantom.AIR;
                }
            }
        }
        return Volume.cube(hu, size, voxel);
    }

    private static boolean inside(Volume v, double x, double y, double z) {
        return Math.abs(x) <= 0.5 * (v.nx() - 1) * v.sx() && Math.abs(y) <= 0.5 * (v.ny() - 1) * v.sy()
                && Math.abs(z) <= 0.5 * (v.nz() - 1) * v.sz();
    }

    private static double varied(float hu, double boneFactor, double softShift) {
        if (hu >= TorsoPhantom.CONTRAST_BLOOD) {
            return hu * boneFactor;
        }
        return hu > TorsoPhantom.FAT ? hu + softShift : hu;
    }

    /** World coordinate (mm) of sub-sample {@code s} of {@code sub} across voxel {@code index}. */
    private static double centre(int index, int s, int sub, int size, double voxel) {
        return (index + (s + 0.5) / sub - 0.5 * size) * voxel;
    }

    private static double uniform(SplittableRandom random, double from, double to) {
        return from + (to - from) * random.nextDouble();
    }

    private static void requireSize(int size) {
        if (size < 8 || size > 256) {
            throw new IllegalArgumentException("CT cube size must be 8–256 voxels, got " + size);
        }
    }
}
