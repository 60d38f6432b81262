package org.medsynth.physics;

/**
 * One level of the orthonormal 3D Haar wavelet transform. A volume of even size nx × ny × nz (x fastest) becomes
 * eight sub-bands of (nx/2)(ny/2)(nz/2), in the order LLL, LLH, LHL, LHH, HLL, HLH, HHL, HHH where the letters are
 * the z, y, x filters (L = (a+b)/√2, H = (a−b)/√2). Orthonormal, so the inverse is the adjoint.
 */
public final class HaarWavelet3D {

    private static final double NORM = 1 / Math.sqrt(8);

    private HaarWavelet3D() {
    }

    public static float[][] forward(float[] volume, int nx, int ny, int nz) {
        check(volume.length, nx, ny, nz);
        int hx = nx / 2;
        int hy = ny / 2;
        int hz = nz / 2;
        float[][] bands = new float[8][hx * hy * hz];
        for (int z = 0; z < hz; z++) {
            for (int y = 0; y < hy; y++) {
                for (int x = 0; x < hx; x++) {
                    int out = x + hx * (y + hy * z);
                    for (int band = 0; band < 8; band++) {
                        double sum = 0;
                        for (int corner = 0; corner < 8; corner++) {
                            sum += sign(band, corner) * volume[index(2 * x + (corner & 1), 2 * y + (corner >> 1 & 1),
                                    2 * z + (corner >> 2), nx, ny)];
                        }
                        bands[band][out] = (float) (sum * NORM);
                    }
                }
            }
        }
        return bands;
    }

    public static float[] inverse(float[][] bands, int nx, int ny, int nz) {
        check(nx * ny * nz, nx, ny, nz);
        int hx = nx / 2;
        int hy = ny / 2;
        int hz = nz / 2;
        if (bands.length != 8) {
            throw new IllegalArgumentException("3D Haar needs 8 sub-bands, got " + bands.length);
        }
        float[] volume = new float[nx * ny * nz];
        for (int z = 0; z < hz; z++) {
            for (int y = 0; y < hy; y++) {
                for (int x = 0; x < hx; x++) {
                    int in = x + hx * (y + hy * z);
                    for (int corner = 0; corner < 8; corner++) {
                        double sum = 0;
                        for (int band = 0; band < 8; band++) {
                            sum += sign(band, corner) * bands[band][in];
                        }
                        volume[index(2 * x + (corner & 1), 2 * y + (corner >> 1 & 1), 2 * z + (corner >> 2), nx,
                                ny)] = (float) (sum * NORM);
                    }
                }
            }
        }
        return volume;
    }

    /**
     * Sign of corner (bits: x, y, z offsets) in sub-band (bits: x, y, z high-pass): −1 for each axis whose filter
     * is high-pass and whose offset is 1.
     */
    private static int sign(int band, int corner) {
        int highX = band & 1;
        int highY = band >> 1 & 1;
        int highZ = band >> 2 & 1;
        int flips = (highX & corner) + (highY & (corner >> 1)) + (highZ & (corner >> 2));
        return (flips & 1) == 0 ? 1 : -1;
    }

    private static int index(int x, int y, int z, int nx, int ny) {
        return x + nx * (y + ny * z);
    }

    private static void check(int length, int nx, int ny, int nz) {
        if (nx % 2 != 0 || ny % 2 != 0 || nz % 2 != 0 || nx < 2 || ny < 2 || nz < 2 || length != nx * ny * nz) {
            throw new IllegalArgumentException("3D Haar needs even dimensions matching the data, got " + nx + "×" + ny
                    + "×" + nz + " for " + length + " values");
        }
    }
}
