package org.medsynth.physics;

import java.util.SplittableRandom;

/**
 * Cartesian k-space undersampling masks on a centred {@code ny × nx} grid (row-major, k-space centre at
 * (ny/2, nx/2)). One-dimensional masks pick phase-encode rows (every readout column of a picked row is sampled);
 * two-dimensional masks pick individual points of a phase-encode plane. Volume masks on a centred
 * {@code nz × ny × nx} grid (index x + nx·(y + ny·z), the layout of {@link SenseOperator} with dims {nz, ny, nx})
 * are 3D acquisitions: a two-dimensional mask over the two phase-encode directions (z, y), every picked (z, y) line
 * read out fully along x. Every mask keeps a fully sampled centre; {@code acceleration} is the ratio of grid size to
 * sampled points.
 */
public final class SamplingMasks {

    private SamplingMasks() {
    }

    /** Every {@code acceleration}-th row plus {@code centreRows} fully sampled rows. */
    public static boolean[] uniform1d(int ny, int nx, int acceleration, int centreRows) {
        check(ny, nx, acceleration);
        boolean[] rows = centreRows(ny, centreRows);
        for (int y = (ny / 2) % acceleration; y < ny; y += acceleration) {
            rows[y] = true;
        }
        return expandRows(rows, nx);
    }

    /** {@code ny/acceleration} rows drawn without replacement with Gaussian density about the centre. */
    public static boolean[] gaussian1d(int ny, int nx, double acceleration, int centreRows, double sigmaFraction,
            long seed) {
        check(ny, nx, acceleration);
        boolean[] rows = centreRows(ny, centreRows);
        int target = (int) Math.round(ny / acceleration);
        SplittableRandom random = new SplittableRandom(seed);
        double sigma = sigmaFraction * ny;
        int taken = count(rows);
        while (taken < target) {
            int y = (int) Math.round(ny / 2.0 + sigma * gaussian(random));
            if (y >= 0 && y < ny && !rows[y]) {
                rows[y] = true;
                taken++;
            }
        }
        return expandRows(rows, nx);
    }

    /** {@code ny·nx/acceleration} points drawn with 2D Gaussian density, plus a fully sampled centre disc. */
    public static boolean[] gaussian2d(int ny, int nx, double acceleration, double centreRadius, double sigmaFraction,
            long seed) {
        check(ny, nx, acceleration);
        boolean[] mask = centreDisc(ny, nx, centreRadius);
        int target = (int) Math.round((double) ny * nx / acceleration);
        SplittableRandom random = new SplittableRandom(seed);
        int taken = count(mask);
        while (taken < target) {
            int y = (int) Math.round(ny / 2.0 + sigmaFraction * ny * gaussian(random));
            int x = (int) Math.round(nx / 2.0 + sigmaFraction * nx * gaussian(random));
            if (y >= 0 && y < ny && x >= 0 && x < nx && !mask[x + nx * y]) {
                mask[x + nx * y] = true;
                taken++;
            }
        }
        return mask;
    }

    /**
     * Variable-density Poisson-disc mask: points in random order are accepted when no accepted point lies closer
     * than r(k) = r₀·(1 + 2·|k|/|k|max), so samples are dense at the centre and never clump. r₀ is bisected until
     * the acceleration is met to within one percent (or 30 halvings).
     */
    public static boolean[] poissonDisc(int ny, int nx, double acceleration, double centreRadius, long seed) {
        check(ny, nx, acceleration);
        int target = (int) Math.round((double) ny * nx / acceleration);
        int[] order = new int[ny * nx];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        // mean spacing of the sampled points is about √acceleration; r(k) ≥ r₀, so 2√acceleration undersamples
        double lo = 0.1;
        double hi = 2 * Math.sqrt(acceleration);
        boolean[] best = null;
        for (int iteration = 0; iteration < 30; iteration++) {
            double r0 = 0.5 * (lo + hi);
            boolean[] mask = dartThrow(ny, nx, r0, centreRadius, order);
            int n = count(mask);
            best = mask;
            if (Math.abs(n - target) <= 0.01 * target) {
                break;
            }
            if (n > target) {
                lo = r0;
            } else {
                hi = r0;
            }
        }
        return best;
    }

    /**
     * 3D variable-density Gaussian mask: {@link #gaussian2d} over the {@code nz × ny} phase-encode plane (σ a
     * fraction of each side, a fully sampled centre disc of {@code centreRadius} lines), read out along x.
     */
    public static boolean[] gaussian3d(int nz, int ny, int nx, double acceleration, double centreRadius,
            double sigmaFraction, long seed) {
        checkReadout(nx);
        return alongReadout(gaussian2d(nz, ny, acceleration, centreRadius, sigmaFraction, seed), nz, ny, nx);
    }

    /** 3D variable-density Poisson-disc mask: {@link #poissonDisc} over the {@code nz × ny} phase-encode plane. */
    public static boolean[] poissonDisc3d(int nz, int ny, int nx, double acceleration, double centreRadius,
            long seed) {
        checkReadout(nx);
        return alongReadout(poissonDisc(nz, ny, acceleration, centreRadius, seed), nz, ny, nx);
    }

    /**
     * A volume mask from a phase-encode mask {@code phaseEncode[y + ny·z]}: every sampled (z, y) line is sampled at
     * all {@code nx} readout points (the readout is never undersampled, so the acceleration is the plane's).
     */
    public static boolean[] alongReadout(boolean[] phaseEncode, int nz, int ny, int nx) {
        checkReadout(nx);
        if (nz < 1 || ny < 1 || phaseEncode.length != nz * ny) {
            throw new IllegalArgumentException("phase-encode mask has " + phaseEncode.length + " entries, a " + nz
                    + "×" + ny + " plane needs " + (long) nz * ny);
        }
        return expandRows(phaseEncode, nx);
    }

    private static void checkReadout(int nx) {
        if (nx < 1) {
            throw new IllegalArgumentException("readout needs at least one sample, got " + nx);
        }
    }

    private static boolean[] dartThrow(int ny, int nx, double r0, double centreRadius, int[] order) {
        boolean[] mask = centreDisc(ny, nx, centreRadius);
        double kMax = Math.hypot(ny / 2.0, nx / 2.0);
        for (int index : order) {
            int y = index / nx;
            int x = index % nx;
            if (mask[index]) {
                continue;
            }
            double r = r0 * (1 + 2 * Math.hypot(y - ny / 2.0, x - nx / 2.0) / kMax);
            int reach = (int) Math.ceil(r);
            boolean free = true;
            for (int yy = Math.max(0, y - reach); free && yy <= Math.min(ny - 1, y + reach); yy++) {
                for (int xx = Math.max(0, x - reach); xx <= Math.min(nx - 1, x + reach); xx++) {
                    if (mask[xx + nx * yy] && Math.hypot(yy - y, xx - x) < r) {
                        free = false;
                        break;
                    }
                }
            }
            if (free) {
                mask[index] = true;
            }
        }
        return mask;
    }

    /** Sampled fraction's reciprocal: grid size over sampled points. */
    public static double acceleration(boolean[] mask) {
        return (double) mask.length / count(mask);
    }

    static int count(boolean[] mask) {
        int n = 0;
        for (boolean b : mask) {
            n += b ? 1 : 0;
        }
        return n;
    }

    private static boolean[] centreRows(int ny, int centreRows) {
        boolean[] rows = new boolean[ny];
        int start = ny / 2 - centreRows / 2;
        for (int y = Math.max(0, start); y < Math.min(ny, start + centreRows); y++) {
            rows[y] = true;
        }
        return rows;
    }

    private static boolean[] centreDisc(int ny, int nx, double radius) {
        boolean[] mask = new boolean[ny * nx];
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                mask[x + nx * y] = Math.hypot(y - ny / 2, x - nx / 2) <= radius;
            }
        }
        return mask;
    }

    private static boolean[] expandRows(boolean[] rows, int nx) {
        boolean[] mask = new boolean[rows.length * nx];
        for (int y = 0; y < rows.length; y++) {
            if (rows[y]) {
                java.util.Arrays.fill(mask, y * nx, (y + 1) * nx, true);
            }
        }
        return mask;
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static void check(int ny, int nx, double acceleration) {
        if (ny < 2 || nx < 1 || !(acceleration >= 1)) {
            throw new IllegalArgumentException("mask needs a grid of at least 2 rows and acceleration ≥ 1, got "
                    + ny + "×" + nx + " at " + acceleration);
        }
    }
}
