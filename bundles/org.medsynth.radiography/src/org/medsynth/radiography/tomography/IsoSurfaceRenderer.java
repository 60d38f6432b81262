package org.medsynth.radiography.tomography;

import java.util.stream.IntStream;

import org.medsynth.physics.Volume;

/**
 * Shaded iso-surface images of a density cube, the renderings the paper compares with DSSIM: orthographic rays
 * through the cube's bounding sphere (radius ½, normalised units) find the first crossing of the iso-value (refined
 * linearly between samples); the surface is lit by a head-light with Lambert's law on the density gradient's
 * normal, 0.2 ambient + 0.8 diffuse. Background and rays that miss are 0.
 */
public final class IsoSurfaceRenderer {
    private static final double AMBIENT = 0.2;

    private IsoSurfaceRenderer() {
    }

    /**
     * The rendering (imageSize², row-major, in [0, 1]) of a cube of densities ({@code side}³, x fastest) seen along
     * {@code direction} (any unit vector); the image covers the unit square through the cube's centre.
     */
    public static float[] render(float[] cube, int side, double[] direction, double iso, int imageSize) {
        if (cube.length != side * side * side) {
            throw new IllegalArgumentException("cube of side " + side + " needs " + side * side * side
                    + " values, got " + cube.length);
        }
        Volume volume = Volume.cube(cube, side, 1.0 / side);
        double[] d = normalised(direction);
        double[] helper = Math.abs(d[1]) < 0.9 ? new double[] {0, 1, 0} : new double[] {1, 0, 0};
        double[] u = normalised(cross(helper, d));
        double[] v = cross(d, u);
        double step = 0.5 / side;
        int samples = (int) Math.ceil(1 / step);
        double h = 1.0 / side;
        float[] image = new float[imageSize * imageSize];
        IntStream.range(0, imageSize).parallel().forEach(row -> {
            for (int col = 0; col < imageSize; col++) {
                double a = (col + 0.5) / imageSize - 0.5;
                double b = 0.5 - (row + 0.5) / imageSize;
                double[] origin = {a * u[0] + b * v[0], a * u[1] + b * v[1], a * u[2] + b * v[2]};
                double previous = 0;
                for (int i = 0; i <= samples; i++) {
                    double t = -0.5 + i * step;
                    double value = volume.sample(origin[0] + t * d[0], origin[1] + t * d[1], origin[2] + t * d[2]);
                    if (value >= iso) {
                        double hit = i == 0 ? t : t - step * (value - iso) / (value - previous);
                        double x = origin[0] + hit * d[0];
                        double y = origin[1] + hit * d[1];
                        double z = origin[2] + hit * d[2];
                        double[] gradient = {volume.sample(x + h, y, z) - volume.sample(x - h, y, z),
                            volume.sample(x, y + h, z) - volume.sample(x, y - h, z),
                            volume.sample(x, y, z + h) - volume.sample(x, y, z - h)};
                        double length = Math.sqrt(gradient[0] * gradient[0] + gradient[1] * gradient[1]
                                + gradient[2] * gradient[2]);
                        // the outward normal is −gradient; the light comes from the viewer (−d)
                        double lambert = length == 0 ? 1
                                : Math.max(0, (gradient[0] * d[0] + gradient[1] * d[1] + gradient[2] * d[2]) / length);
                        image[col + imageSize * row] = (float) (AMBIENT + (1 - AMBIENT) * lambert);
                        break;
                    }
                    previous = value;
                }
            }
        });
        return image;
    }

    private static double[] normalised(double[] w) {
        double length = Math.sqrt(w[0] * w[0] + w[1] * w[1] + w[2] * w[2]);
        if (w.length != 3 || !(length > 0)) {
            throw new IllegalArgumentException("a view direction must be a non-zero 3-vector");
        }
        return new double[] {w[0] / length, w[1] / length, w[2] / length};
    }

    private static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }
}
