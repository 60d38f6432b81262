package org.medsynth.radiography.tomography;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.medsynth.data.examples.InvesaliusHeadCt;
import org.medsynth.physics.Volume;

/**
 * Head-like density volumes for single-image tomography: procedural mammal-like skulls with seeded variation, and
 * the real head CT mapped to the same density scale. Volumes are cubes of n³ voxels (x fastest) spanning the
 * normalised cube [−½, ½]³ of {@code SingleImageTomography}: x runs left to right, y from the chin to the crown, z
 * from the back of the head to the face, so the frontal view looks along +z. Every density lies inside the sphere
 * of radius ½, so any view-aligned unit cube holds the whole head.
 *
 * <p>Densities are bone densities in [0, 1] (soft tissue 0): the paper's volumes are CT scans of skulls, and with
 * its x-ray model (χ = 10) soft tissue around the skull would saturate the x-ray.
 */
public final class SkullPhantom {
    /** HU below which the head CT counts as soft tissue (density 0). */
    public static final double BONE_THRESHOLD_HU = 200;
    /** HU above the threshold that map to density 1. */
    public static final double BONE_RANGE_HU = 1800;
    private static final double RADIUS = 0.5;

    /** A solid (union by maximum) or a cavity (sets density to 0) of the skull. */
    private sealed interface Shape permits Ellipsoid, Capsule {
        double[] lower();

        double[] upper();

        boolean contains(double x, double y, double z);
    }

    /**
     * An ellipsoid with semi-axes (a, b, c) turned about y by the angle of cosine {@code cos} and sine {@code sin};
     * a shell when {@code thickness} > 0.
     */
    private record Ellipsoid(double cx, double cy, double cz, double a, double b, double c, double cos, double sin,
            double thickness) implements Shape {
        Ellipsoid(double cx, double cy, double cz, double a, double b, double c, double yaw, double thickness) {
            this(cx, cy, cz, a, b, c, StrictMath.cos(yaw), StrictMath.sin(yaw), thickness);
        }

        @Override
        public double[] lower() {
            double r = Math.max(a, Math.max(b, c));
            return new double[] {cx - r, cy - r, cz - r};
        }

        @Override
        public double[] upper() {
            double r = Math.max(a, Math.max(b, c));
            return new double[] {cx + r, cy + r, cz + r};
        }

        @Override
        public boolean contains(double x, double y, double z) {
            double dx = x - cx;
            double dz = z - cz;
            double u = cos * dx - sin * dz;
            double w = sin * dx + cos * dz;
            double dy = y - cy;
            if (u * u / (a * a) + dy * dy / (b * b) + w * w / (c * c) > 1) {
                return false;
            }
            if (thickness <= 0) {
                return true;
            }
            double ia = a - thickness;
            double ib = b - thickness;
            double ic = c - thickness;
            return u * u / (ia * ia) + dy * dy / (ib * ib) + w * w / (ic * ic) > 1;
        }
    }

    /** All points within {@code radius} of the segment from p to q. */
    private record Capsule(double[] p, double[] q, double radius) implements Shape {
        @Override
        public double[] lower() {
            return new double[] {Math.min(p[0], q[0]) - radius, Math.min(p[1], q[1]) - radius,
                Math.min(p[2], q[2]) - radius};
        }

        @Override
        public double[] upper() {
            return new double[] {Math.max(p[0], q[0]) + radius, Math.max(p[1], q[1]) + radius,
                Math.max(p[2], q[2]) + radius};
        }

        @Override
        public boolean contains(double x, double y, double z) {
            double[] d = {q[0] - p[0], q[1] - p[1], q[2] - p[2]};
            double length2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
            double s = length2 == 0 ? 0
                    : Math.max(0, Math.min(1, ((x - p[0]) * d[0] + (y - p[1]) * d[1] + (z - p[2]) * d[2]) / length2));
            double ex = x - p[0] - s * d[0];
            double ey = y - p[1] - s * d[1];
            double ez = z - p[2] - s * d[2];
            return ex * ex + ey * ey + ez * ez <= radius * radius;
        }
    }

    private record Part(Shape shape, float density) {
    }

    private SkullPhantom() {
    }

    /**
     * A procedural skull drawn from {@code random}: a cranial shell, a muzzle of varying length, a mandible of two
     * rami, cheek arches and rows of teeth, with eye orbits, nasal opening and foramen magnum carved out; sizes,
     * proportions, bone densities and a small turn about the vertical axis vary. n³ voxels, one sample per voxel.
     */
    public static float[] sample(SplittableRandom random, int n) {
        if (n < 8) {
            throw new IllegalArgumentException("a skull volume needs at least 8 voxels per side, got " + n);
        }
        double scale = uniform(random, 1.05, 1.3);
        double yaw = Math.toRadians(uniform(random, -12, 12));
        float bone = (float) uniform(random, 0.45, 0.7);
        List<Part> solids = new ArrayList<>();
        List<Shape> cavities = new ArrayList<>();
        // cranium: the braincase shell, centred behind and above the middle
        double a = uniform(random, 0.19, 0.26) * scale;
        double b = uniform(random, 0.16, 0.23) * scale;
        double c = uniform(random, 0.21, 0.29) * scale;
        double craniumZ = -uniform(random, 0.02, 0.1);
        double craniumY = uniform(random, 0.02, 0.1);
        solids.add(new Part(new Ellipsoid(0, craniumY, craniumZ, a, b, c, yaw, uniform(random, 0.02, 0.04)), bone));
        // muzzle: a shorter or longer snout in front of the braincase, below its middle
        double muzzleLength = uniform(random, 0.04, 0.14) * scale;
        double muzzleY = craniumY - b * uniform(random, 0.35, 0.6);
        double muzzleZ = craniumZ + c * 0.6 + muzzleLength * 0.5;
        double muzzleWidth = a * uniform(random, 0.35, 0.55);
        double muzzleHeight = b * uniform(random, 0.35, 0.5);
        solids.add(new Part(rotated(new Ellipsoid(0, muzzleY, muzzleZ, muzzleWidth, muzzleHeight,
                muzzleLength * 0.5 + c * 0.35, 0, 0.018 * scale), yaw), bone));
        double front = muzzleZ + muzzleLength * 0.5 + c * 0.3;
        // nasal opening and eye orbits
        cavities.add(rotated(new Ellipsoid(0, muzzleY + muzzleHeight * 0.3, front - 0.03, muzzleWidth * 0.45,
                muzzleHeight * 0.4, 0.06, 0, 0), yaw));
        double orbitRadius = uniform(random, 0.045, 0.075) * scale;
        double orbitX = a * uniform(random, 0.45, 0.65);
        double orbitY = craniumY - b * uniform(random, 0.05, 0.3);
        double orbitZ = craniumZ + c * uniform(random, 0.75, 0.9);
        for (int side = -1; side <= 1; side += 2) {
            cavities.add(rotated(new Ellipsoid(side * orbitX, orbitY, orbitZ, orbitRadius, orbitRadius,
                    orbitRadius * 1.3, 0, 0), yaw));
        }
        cavities.add(rotated(new Ellipsoid(0, craniumY - b * 0.8, craniumZ - c * 0.5, 0.05 * scale, 0.06 * scale,
                0.05 * scale, 0, 0), yaw));
        // mandible: two rami from below the braincase to the chin, denser than the skull
        float jawBone = Math.min(1, bone * (float) uniform(random, 1.05, 1.3));
        double jawY = muzzleY - muzzleHeight - uniform(random, 0.01, 0.04);
        double jawRadius = uniform(random, 0.014, 0.022) * scale;
        double rearX = a * uniform(random, 0.6, 0.8);
        double[] chin = {0, jawY, front - 0.02};
        for (int side = -1; side <= 1; side += 2) {
            double[] angle = {side * rearX, jawY + 0.01, craniumZ + c * 0.15};
            double[] condyle = {side * rearX, craniumY - b * 0.55, craniumZ + c * 0.05};
            solids.add(new Part(rotatedCapsule(angle, new double[] {side * 0.02, chin[1], chin[2]}, jawRadius, yaw),
                    jawBone));
            solids.add(new Part(rotatedCapsule(angle, condyle, jawRadius, yaw), jawBone));
            // cheek arch from the side of the braincase to the muzzle
            solids.add(new Part(rotatedCapsule(new double[] {side * a * 0.95, orbitY - orbitRadius * 1.2,
                craniumZ + c * 0.2}, new double[] {side * muzzleWidth, orbitY - orbitRadius * 1.3, orbitZ},
                    uniform(random, 0.01, 0.018) * scale, yaw), bone));
            // teeth along the upper jaw, the densest bone
            int teeth = 3 + random.nextInt(4);
            float enamel = Math.min(1, jawBone * 1.25f);
            for (int t = 0; t < teeth; t++) {
                double f = (t + 0.5) / teeth;
                double[] at = {side * muzzleWidth * (0.8 - 0.5 * f), muzzleY - muzzleHeight * 0.85,
                    orbitZ + (front - 0.03 - orbitZ) * f};
                solids.add(new Part(rotated(new Ellipsoid(at[0], at[1], at[2], 0.012 * scale, 0.022 * scale,
                        0.012 * scale, 0, 0), yaw), enamel));
            }
        }
        return rasterise(solids, cavities, n);
    }

    /**
     * The head CT's bone as densities on an n³ cube: the CT's largest side spans the cube, its slice axis becomes y
     * (crown up) and its row axis z (face forward); HU map linearly from {@value #BONE_THRESHOLD_HU} (0) over
     * {@value #BONE_RANGE_HU} HU (1), and whatever lies outside the sphere of radius ½ is dropped.
     */
    public static float[] headCt(InvesaliusHeadCt ct, int n) {
        Volume volume = new Volume(ct.hu(), ct.nx(), ct.ny(), ct.nz(), ct.spacingX(), ct.spacingY(), ct.spacingZ());
        double side = Math.max(ct.nx() * ct.spacingX(), Math.max(ct.ny() * ct.spacingY(), ct.nz() * ct.spacingZ()));
        float[] density = new float[n * n * n];
        IntStream.range(0, n).parallel().forEach(k -> {
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < n; i++) {
                    double x = (i + 0.5) / n - 0.5;
                    double y = (j + 0.5) / n - 0.5;
                    double z = (k + 0.5) / n - 0.5;
                    if (x * x + y * y + z * z > RADIUS * RADIUS) {
                        continue;
                    }
                    // CT rows run from the back of the head to the face; slices from the chin to the crown
                    double hu = volume.sample(x * side, z * side, y * side);
                    density[i + n * (j + n * k)] = (float) Math.max(0, Math.min(1,
                            (hu - BONE_THRESHOLD_HU) / BONE_RANGE_HU));
                }
            }
        });
        return density;
    }

    private static Ellipsoid rotated(Ellipsoid e, double yaw) {
        double[] centre = turn(new double[] {e.cx(), e.cy(), e.cz()}, yaw);
        // the shapes are built unturned (cos 1, sin 0), so the turn is the yaw alone
        return new Ellipsoid(centre[0], centre[1], centre[2], e.a(), e.b(), e.c(), yaw, e.thickness());
    }

    private static Capsule rotatedCapsule(double[] p, double[] q, double radius, double yaw) {
        return new Capsule(turn(p, yaw), turn(q, yaw), radius);
    }

    /** The point turned by {@code yaw} about the y axis (the inverse of the ellipsoid's local frame turn). */
    private static double[] turn(double[] point, double yaw) {
        double cos = StrictMath.cos(yaw);
        double sin = StrictMath.sin(yaw);
        return new double[] {cos * point[0] + sin * point[2], point[1], -sin * point[0] + cos * point[2]};
    }

    /** The solids' maximum density at each voxel centre, zero inside a cavity or outside the sphere of radius ½. */
    private static float[] rasterise(List<Part> solids, List<Shape> cavities, int n) {
        float[] density = new float[n * n * n];
        for (Part part : solids) {
            forEachVoxel(part.shape(), n, (index, x, y, z) -> {
                if (density[index] < part.density()) {
                    density[index] = part.density();
                }
            });
        }
        for (Shape cavity : cavities) {
            forEachVoxel(cavity, n, (index, x, y, z) -> density[index] = 0);
        }
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < n; i++) {
                    double x = (i + 0.5) / n - 0.5;
                    double y = (j + 0.5) / n - 0.5;
                    double z = (k + 0.5) / n - 0.5;
                    if (x * x + y * y + z * z > RADIUS * RADIUS) {
                        density[i + n * (j + n * k)] = 0;
                    }
                }
            }
        }
        return density;
    }

    @FunctionalInterface
    private interface VoxelAction {
        void apply(int index, double x, double y, double z);
    }

    /** Calls {@code action} for each voxel whose centre lies in the shape, visiting only its bounding box. */
    private static void forEachVoxel(Shape shape, int n, VoxelAction action) {
        double[] lower = shape.lower();
        double[] upper = shape.upper();
        int[] from = new int[3];
        int[] to = new int[3];
        for (int axis = 0; axis < 3; axis++) {
            from[axis] = Math.max(0, (int) Math.floor((lower[axis] + 0.5) * n - 0.5));
            to[axis] = Math.min(n - 1, (int) Math.ceil((upper[axis] + 0.5) * n - 0.5));
        }
        for (int k = from[2]; k <= to[2]; k++) {
            double z = (k + 0.5) / n - 0.5;
            for (int j = from[1]; j <= to[1]; j++) {
                double y = (j + 0.5) / n - 0.5;
                for (int i = from[0]; i <= to[0]; i++) {
                    double x = (i + 0.5) / n - 0.5;
                    if (shape.contains(x, y, z)) {
                        action.apply(i + n * (j + n * k), x, y, z);
                    }
                }
            }
        }
    }

    private static double uniform(SplittableRandom random, double low, double high) {
        return low + (high - low) * random.nextDouble();
    }
}
