package org.medsynth.physics;

/**
 * A scalar volume on a regular grid, x fastest ({@code data[x + nx·(y + ny·z)]}), spacing in mm, centred on the
 * world origin: voxel (i, j, k) has its centre at ((i − (nx−1)/2)·sx, (j − (ny−1)/2)·sy, (k − (nz−1)/2)·sz).
 * Values outside the grid are zero.
 */
public record Volume(float[] data, int nx, int ny, int nz, double sx, double sy, double sz) {

    public Volume {
        if (nx < 1 || ny < 1 || nz < 1) {
            throw new IllegalArgumentException("volume dimensions must be positive: " + nx + "×" + ny + "×" + nz);
        }
        if (data.length != (long) nx * ny * nz) {
            throw new IllegalArgumentException("volume has " + data.length + " values, its shape " + nx + "×" + ny
                    + "×" + nz + " needs " + (long) nx * ny * nz);
        }
        if (!(sx > 0 && sy > 0 && sz > 0)) {
            throw new IllegalArgumentException("voxel spacing must be positive: " + sx + ", " + sy + ", " + sz);
        }
    }

    /** Isotropic cube of side {@code n} voxels. */
    public static Volume cube(float[] data, int n, double spacing) {
        return new Volume(data, n, n, n, spacing, spacing, spacing);
    }

    /** Same grid, other values (e.g. HU converted to attenuation). */
    public Volume withData(float[] values) {
        return new Volume(values, nx, ny, nz, sx, sy, sz);
    }

    /** Trilinear interpolation at a world position (mm); zero outside the grid. */
    public double sample(double x, double y, double z) {
        double fx = x / sx + 0.5 * (nx - 1);
        double fy = y / sy + 0.5 * (ny - 1);
        double fz = z / sz + 0.5 * (nz - 1);
        if (fx <= -1 || fy <= -1 || fz <= -1 || fx >= nx || fy >= ny || fz >= nz) {
            return 0;
        }
        int x0 = (int) Math.floor(fx);
        int y0 = (int) Math.floor(fy);
        int z0 = (int) Math.floor(fz);
        double wx = fx - x0;
        double wy = fy - y0;
        double wz = fz - z0;
        if (x0 >= 0 && y0 >= 0 && z0 >= 0 && x0 < nx - 1 && y0 < ny - 1 && z0 < nz - 1) {
            // interior fast path: all eight neighbours exist
            int i = x0 + nx * (y0 + ny * z0);
            int sy1 = nx;
            int sz1 = nx * ny;
            double c00 = data[i] + wx * (data[i + 1] - data[i]);
            double c10 = data[i + sy1] + wx * (data[i + sy1 + 1] - data[i + sy1]);
            double c01 = data[i + sz1] + wx * (data[i + sz1 + 1] - data[i + sz1]);
            double c11 = data[i + sy1 + sz1] + wx * (data[i + sy1 + sz1 + 1] - data[i + sy1 + sz1]);
            double c0 = c00 + wy * (c10 - c00);
            double c1 = c01 + wy * (c11 - c01);
            return c0 + wz * (c1 - c0);
        }
        double sum = 0;
        for (int dz = 0; dz <= 1; dz++) {
            for (int dy = 0; dy <= 1; dy++) {
                for (int dx = 0; dx <= 1; dx++) {
                    sum += (dx == 0 ? 1 - wx : wx) * (dy == 0 ? 1 - wy : wy) * (dz == 0 ? 1 - wz : wz)
                            * at(x0 + dx, y0 + dy, z0 + dz);
                }
            }
        }
        return sum;
    }

    private double at(int x, int y, int z) {
        return x < 0 || y < 0 || z < 0 || x >= nx || y >= ny || z >= nz ? 0 : data[x + nx * (y + ny * z)];
    }
}
