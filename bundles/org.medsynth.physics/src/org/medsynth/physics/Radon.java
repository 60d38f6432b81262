package org.medsynth.physics;

import java.util.stream.IntStream;

/**
 * 2D Radon transform (parallel or flat-detector fan beam, see {@link RadonGeometry}) by Joseph's method — one
 * linearly interpolated sample per image row or column crossed, weighted by the path length — and its exact adjoint
 * (matched back-projection). Images are row-major {@code image[x + nx·y]}, pixel centres at
 * (x − (nx−1)/2, y − (ny−1)/2); sinograms are {@code sinogram[bin + bins·view]}. Views are computed in parallel; the
 * back-projection sums fixed blocks of views in a fixed order, so results do not depend on the number of threads.
 */
public final class Radon {

    /** Views per block of the back-projection; fixed so that the summation order never depends on thread count. */
    private static final int VIEWS_PER_BLOCK = 16;

    private Radon() {
    }

    /** A x: the line integral of {@code image} along every ray of the scan, as a sinogram. */
    public static float[] forward(float[] image, int nx, int ny, RadonGeometry scan) {
        checkImage(image, nx, ny);
        checkSourceOutside(nx, ny, scan);
        int bins = scan.bins();
        float[] sinogram = new float[bins * scan.views()];
        IntStream.range(0, scan.views()).parallel().forEach(view -> {
            double[] ray = new double[4];
            for (int bin = 0; bin < bins; bin++) {
                ray(scan, view, bin, ray);
                sinogram[bin + bins * view] = (float) joseph(image, nx, ny, ray, null, 0);
            }
        });
        return sinogram;
    }

    /** Aᵀ: spreads every sinogram value back along its ray with the forward weights. */
    public static float[] adjoint(float[] sinogram, int nx, int ny, RadonGeometry scan) {
        int bins = scan.bins();
        if (sinogram.length != bins * scan.views()) {
            throw new IllegalArgumentException("sinogram has " + sinogram.length + " values, the scan needs "
                    + bins * scan.views());
        }
        checkSourceOutside(nx, ny, scan);
        int blocks = (scan.views() + VIEWS_PER_BLOCK - 1) / VIEWS_PER_BLOCK;
        float[][] partial = new float[blocks][];
        IntStream.range(0, blocks).parallel().forEach(block -> {
            float[] acc = new float[nx * ny];
            double[] ray = new double[4];
            for (int view = block * VIEWS_PER_BLOCK; view < Math.min(scan.views(), (block + 1) * VIEWS_PER_BLOCK);
                    view++) {
                for (int bin = 0; bin < bins; bin++) {
                    float value = sinogram[bin + bins * view];
                    if (value != 0) {
                        ray(scan, view, bin, ray);
                        joseph(null, nx, ny, ray, acc, value);
                    }
                }
            }
            partial[block] = acc;
        });
        float[] image = new float[nx * ny];
        IntStream.range(0, ny).parallel().forEach(y -> {
            for (float[] p : partial) {
                for (int i = y * nx; i < (y + 1) * nx; i++) {
                    image[i] += p[i];
                }
            }
        });
        return image;
    }

    /** Origin and unit direction of the ray through {@code bin} of {@code view}. */
    static void ray(RadonGeometry scan, int view, int bin, double[] ray) {
        double angle = scan.angle(view);
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        double offset = scan.binOffsetAtCentre(bin);
        double px = offset * c;
        double py = offset * s;
        if (scan.isFan()) {
            double sx = scan.sourceToCentre() * s;
            double sy = -scan.sourceToCentre() * c;
            double dx = px - sx;
            double dy = py - sy;
            double len = Math.hypot(dx, dy);
            ray[0] = sx;
            ray[1] = sy;
            ray[2] = dx / len;
            ray[3] = dy / len;
        } else {
            ray[0] = px;
            ray[1] = py;
            ray[2] = -s;
            ray[3] = c;
        }
    }

    /**
     * Joseph's line integral of {@code image} along the ray (gather), or, when {@code scatter} is given, adds
     * {@code value} times the same weights into it. Steps one pixel at a time along the axis the ray runs closest to.
     */
    static double joseph(float[] image, int nx, int ny, double[] ray, float[] scatter, double value) {
        boolean alongY = Math.abs(ray[3]) >= Math.abs(ray[2]);
        // "major" is the axis stepped pixel by pixel, "minor" the interpolated one
        int nMajor = alongY ? ny : nx;
        int nMinor = alongY ? nx : ny;
        int strideMajor = alongY ? nx : 1;
        int strideMinor = alongY ? 1 : nx;
        double oMajor = alongY ? ray[1] : ray[0];
        double oMinor = alongY ? ray[0] : ray[1];
        double dMajor = alongY ? ray[3] : ray[2];
        double dMinor = alongY ? ray[2] : ray[3];
        double slope = dMinor / dMajor;
        double weight = 1 / Math.abs(dMajor);
        double cMajor = 0.5 * (nMajor - 1);
        double cMinor = 0.5 * (nMinor - 1);
        // minor coordinate (in pixel index units) at major index m: a + slope·m
        double a = oMinor + (-cMajor - oMajor) * slope + cMinor;
        int from = 0;
        int to = nMajor - 1;
        if (slope != 0) {
            double m1 = (-1 - a) / slope;
            double m2 = (nMinor - a) / slope;
            from = Math.max(from, (int) Math.floor(Math.min(m1, m2)));
            to = Math.min(to, (int) Math.ceil(Math.max(m1, m2)));
        } else if (a <= -1 || a >= nMinor) {
            return 0;
        }
        double sum = 0;
        for (int m = from; m <= to; m++) {
            double f = a + slope * m;
            int i0 = (int) Math.floor(f);
            double w = f - i0;
            int base = m * strideMajor;
            if (i0 >= 0 && i0 < nMinor) {
                int idx = base + i0 * strideMinor;
                if (scatter == null) {
                    sum += (1 - w) * image[idx];
                } else {
                    scatter[idx] += (float) (value * weight * (1 - w));
                }
            }
            if (i0 + 1 >= 0 && i0 + 1 < nMinor) {
                int idx = base + (i0 + 1) * strideMinor;
                if (scatter == null) {
                    sum += w * image[idx];
                } else {
                    scatter[idx] += (float) (value * weight * w);
                }
            }
        }
        return sum * weight;
    }

    /** Joseph integrates whole lines, so a fan-beam source must lie outside the image's circumscribed circle. */
    static void checkSourceOutside(int nx, int ny, RadonGeometry scan) {
        double radius = 0.5 * Math.hypot(nx, ny);
        if (scan.isFan() && scan.sourceToCentre() <= radius) {
            throw new IllegalArgumentException("fan-beam source at " + scan.sourceToCentre()
                    + " pixels from the centre lies inside the " + nx + "×" + ny + " image (radius " + radius + ")");
        }
    }

    static void checkImage(float[] image, int nx, int ny) {
        if (nx < 1 || ny < 1 || image.length != nx * ny) {
            throw new IllegalArgumentException("image has " + image.length + " values, its shape " + nx + "×" + ny
                    + " needs " + (long) nx * ny);
        }
    }
}
