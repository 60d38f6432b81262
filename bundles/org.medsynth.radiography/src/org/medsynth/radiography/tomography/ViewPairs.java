package org.medsynth.radiography.tomography;

import java.util.SplittableRandom;

import org.medsynth.physics.SingleImageTomography;

/**
 * Training pairs of single-image tomography: the paper's x-ray of a density volume seen along a view direction, and
 * the volume resampled in that view's frame (depth along the ray, the network's output channels).
 */
public final class ViewPairs {
    /** The frontal view: along +z, from the back of the head to the face. */
    public static final double[] FRONTAL = {0, 0, 1};

    /**
     * One pair.
     *
     * @param xray      opacity (1 − α), size × size, row-major
     * @param volume    densities in the view's frame, depth³, slice-major ({@code volume[col + depth·(row +
     *                  depth·slice)]})
     * @param direction the unit view direction (+z hemisphere)
     */
    public record Pair(float[] xray, float[] volume, double[] direction) {
    }

    private ViewPairs() {
    }

    /** The pair of a cubic density volume (n³) seen along {@code direction}. */
    public static Pair of(float[] density, int n, double[] direction, int size, int depth) {
        return new Pair(SingleImageTomography.simulate(density, n, direction, size),
                SingleImageTomography.viewSlices(density, n, direction, depth, depth), direction.clone());
    }

    /**
     * A view direction drawn uniformly over the cap of the +z hemisphere within {@code maxAngleDegrees} of +z: 90 is
     * the whole hemisphere (the paper's views), 0 the frontal view only.
     */
    public static double[] direction(SplittableRandom random, double maxAngleDegrees) {
        if (!(maxAngleDegrees >= 0 && maxAngleDegrees <= 90)) {
            throw new IllegalArgumentException("the view cone's half-angle must be 0..90 degrees, got "
                    + maxAngleDegrees);
        }
        double lowestZ = StrictMath.cos(Math.toRadians(maxAngleDegrees));
        double u1 = random.nextDouble();
        double u2 = random.nextDouble();
        return SingleImageTomography.hemisphereDirection(1 - u1 * (1 - lowestZ), u2);
    }

    /**
     * Bilinear resize of a row-major plane with pixel-centre alignment (both planes span the same square; pixels
     * past the edge take the edge's value), as {@code F.interpolate(mode="bilinear", align_corners=False)}.
     */
    public static float[] resize(float[] plane, int width, int height, int outWidth, int outHeight) {
        if (plane.length != width * height) {
            throw new IllegalArgumentException("plane of " + width + "×" + height + " needs " + width * height
                    + " values, got " + plane.length);
        }
        float[] out = new float[outWidth * outHeight];
        for (int row = 0; row < outHeight; row++) {
            double y = Math.max(0, Math.min(height - 1, (row + 0.5) * height / outHeight - 0.5));
            int y0 = Math.min((int) y, height - 1);
            int y1 = Math.min(y0 + 1, height - 1);
            double wy = y - y0;
            for (int col = 0; col < outWidth; col++) {
                double x = Math.max(0, Math.min(width - 1, (col + 0.5) * width / outWidth - 0.5));
                int x0 = Math.min((int) x, width - 1);
                int x1 = Math.min(x0 + 1, width - 1);
                double wx = x - x0;
                double top = plane[x0 + width * y0] + wx * (plane[x1 + width * y0] - plane[x0 + width * y0]);
                double bottom = plane[x0 + width * y1] + wx * (plane[x1 + width * y1] - plane[x0 + width * y1]);
                out[col + outWidth * row] = (float) (top + wy * (bottom - top));
            }
        }
        return out;
    }
}
