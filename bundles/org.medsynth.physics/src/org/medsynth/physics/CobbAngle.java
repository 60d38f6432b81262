package org.medsynth.physics;

/**
 * Cobb angle of a scoliotic curve on a coronal radiograph, in degrees, image coordinates (x right, y down).
 */
public final class CobbAngle {

    private CobbAngle() {
    }

    /**
     * Angle between two end-plate lines, each given by two points {x1, y1, x2, y2}: the superior end-plate of the
     * upper end vertebra and the inferior end-plate of the lower end vertebra. In [0, 90].
     */
    public static double fromEndPlates(double[] upperEndPlate, double[] lowerEndPlate) {
        double a = lineAngle(upperEndPlate);
        double b = lineAngle(lowerEndPlate);
        double d = Math.abs(a - b) % 180;
        return Math.min(d, 180 - d);
    }

    /**
     * Largest Cobb angle along a spine centreline given as x positions at increasing y (one point per row or per
     * vertebra): the end-plates are perpendicular to the centreline, so the angle is the largest difference of the
     * centreline's tangent inclinations (central differences) between any two points.
     */
    public static double fromCentreline(double[] xs, double[] ys) {
        if (xs.length != ys.length || xs.length < 3) {
            throw new IllegalArgumentException("centreline needs at least 3 points with x and y each, got " + xs.length
                    + " and " + ys.length);
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < xs.length; i++) {
            int lo = Math.max(0, i - 1);
            int hi = Math.min(xs.length - 1, i + 1);
            double dy = ys[hi] - ys[lo];
            if (!(dy > 0)) {
                throw new IllegalArgumentException("centreline y must increase, point " + i + " does not");
            }
            double inclination = Math.toDegrees(Math.atan2(xs[hi] - xs[lo], dy));
            min = Math.min(min, inclination);
            max = Math.max(max, inclination);
        }
        return max - min;
    }

    private static double lineAngle(double[] line) {
        if (line.length != 4 || (line[0] == line[2] && line[1] == line[3])) {
            throw new IllegalArgumentException("an end-plate line needs two distinct points {x1, y1, x2, y2}");
        }
        return Math.toDegrees(Math.atan2(line[3] - line[1], line[2] - line[0]));
    }
}
