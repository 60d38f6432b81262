package org.medsynth.data.phantom;

/**
 * Rasterises a continuous phantom: each voxel's value is the mean of the phantom at {@code inPlane² × alongZ}
 * sub-sample points spread evenly inside it, so edges carry partial-volume values as a scanner's would.
 */
final class VoxelSampler {
    /** Coordinate of the point at {@code fraction} (0..1) across voxel {@code index} along one axis. */
    interface Axis {
        double at(int index, double fraction);
    }

    interface Field {
        double valueAt(double x, double y, double z);
    }

    private VoxelSampler() {
    }

    /** Voxel values, x fastest. */
    static float[] sample(int nx, int ny, int nz, int inPlane, int alongZ, Axis x, Axis y, Axis z, Field field) {
        if (inPlane < 1 || alongZ < 1) {
            throw new IllegalArgumentException("supersampling must be at least 1");
        }
        float[] out = new float[Math.multiplyExact(Math.multiplyExact(nx, ny), nz)];
        double weight = 1.0 / ((double) inPlane * inPlane * alongZ);
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    double sum = 0;
                    for (int sk = 0; sk < alongZ; sk++) {
                        double zc = z.at(k, (sk + 0.5) / alongZ);
                        for (int sj = 0; sj < inPlane; sj++) {
                            double yc = y.at(j, (sj + 0.5) / inPlane);
                            for (int si = 0; si < inPlane; si++) {
                                sum += field.valueAt(x.at(i, (si + 0.5) / inPlane), yc, zc);
                            }
                        }
                    }
                    out[(k * ny + j) * nx + i] = (float) (sum * weight);
                }
            }
        }
        return out;
    }
}
