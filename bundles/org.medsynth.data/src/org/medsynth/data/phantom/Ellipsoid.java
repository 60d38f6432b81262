package org.medsynth.data.phantom;

/**
 * An ellipse (2D, {@code c = 0}) or ellipsoid that adds {@code value} inside itself. Coordinates are normalised to
 * the phantom's field of view, [-1, 1] per axis; {@code phi} rotates about z (degrees, counter-clockwise).
 */
public record Ellipsoid(double value, double a, double b, double c, double x0, double y0, double z0, double phiDegrees) {

    public boolean contains(double x, double y, double z) {
        double phi = Math.toRadians(phiDegrees);
        double cos = Math.cos(phi);
        double sin = Math.sin(phi);
        double dx = x - x0;
        double dy = y - y0;
        double u = dx * cos + dy * sin;
        double v = -dx * sin + dy * cos;
        double r = (u * u) / (a * a) + (v * v) / (b * b);
        if (c > 0) {
            double w = z - z0;
            r += (w * w) / (c * c);
        }
        return r <= 1;
    }
}
