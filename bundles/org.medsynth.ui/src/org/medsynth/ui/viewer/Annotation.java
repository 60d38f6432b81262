package org.medsynth.ui.viewer;

import java.util.List;

/**
 * A landmark (one point) or a line (two points) drawn over the image viewer, in continuous pixel index coordinates
 * (x, y, z; z = 0 for a 2D image). A slice shows the annotations whose points lie within half a pixel of it. Two
 * lines make an angle, e.g. the Cobb angle between the end plates of a scoliotic curve ({@link #angleDegrees}).
 */
public record Annotation(String label, List<double[]> points) {
    public Annotation {
        points = points.stream().map(double[]::clone).toList();
        if (points.isEmpty() || points.size() > 2) {
            throw new IllegalArgumentException("an annotation is a landmark (1 point) or a line (2 points), got "
                    + points.size() + " points");
        }
        for (double[] p : points) {
            if (p.length != 3) {
                throw new IllegalArgumentException("annotation points are (x, y, z), got " + p.length + " coordinates");
            }
        }
    }

    public static Annotation landmark(String label, double x, double y, double z) {
        return new Annotation(label, List.of(new double[] { x, y, z }));
    }

    public static Annotation line(String label, double[] from, double[] to) {
        return new Annotation(label, List.of(from, to));
    }

    public boolean isLine() {
        return points.size() == 2;
    }

    /**
     * The angle (0..90°) between two lines in the x–y plane, measured in millimetres so anisotropic pixels do not
     * distort it: the Cobb angle when the lines follow two end plates.
     */
    public static double angleDegrees(Annotation a, Annotation b, double spacingX, double spacingY) {
        if (!a.isLine() || !b.isLine()) {
            throw new IllegalArgumentException("an angle needs two lines");
        }
        double angleA = direction(a, spacingX, spacingY);
        double angleB = direction(b, spacingX, spacingY);
        double difference = Math.abs(angleA - angleB) % Math.PI;
        return Math.toDegrees(Math.min(difference, Math.PI - difference));
    }

    private static double direction(Annotation line, double spacingX, double spacingY) {
        double[] p = line.points.get(0);
        double[] q = line.points.get(1);
        return Math.atan2((q[1] - p[1]) * spacingY, (q[0] - p[0]) * spacingX);
    }
}
