package org.medsynth.physics.tests;

import java.util.List;

import org.medsynth.data.phantom.Ellipsoid;

/**
 * Closed-form line integrals of phantoms made of {@link Ellipsoid}s, independent of the projectors under test. A
 * phantom of n voxels of spacing s spans normalised [−1, 1] over the world half-width h = n·s/2; the phantom's
 * normalised y runs opposite to world y (image row 0 is at normalised +1).
 */
final class AnalyticProjections {

    private AnalyticProjections() {
    }

    /**
     * ∫ f along the line origin + t·direction (world mm), t over [tFrom, tTo] (±∞ allowed), for ellipsoids
     * (c > 0) or, with z ignored, ellipses (c = 0).
     */
    static double lineIntegral(List<Ellipsoid> shapes, double halfWidth, double[] origin, double[] direction,
            double tFrom, double tTo) {
        double[] o = {origin[0] / halfWidth, -origin[1] / halfWidth, origin.length > 2 ? origin[2] / halfWidth : 0};
        double[] d = {direction[0] / halfWidth, -direction[1] / halfWidth,
                direction.length > 2 ? direction[2] / halfWidth : 0};
        double worldLength = Math.sqrt(direction[0] * direction[0] + direction[1] * direction[1]
                + (direction.length > 2 ? direction[2] * direction[2] : 0));
        double sum = 0;
        for (Ellipsoid e : shapes) {
            double phi = Math.toRadians(e.phiDegrees());
            double cos = Math.cos(phi);
            double sin = Math.sin(phi);
            double u0 = (o[0] - e.x0()) * cos + (o[1] - e.y0()) * sin;
            double u1 = d[0] * cos + d[1] * sin;
            double v0 = -(o[0] - e.x0()) * sin + (o[1] - e.y0()) * cos;
            double v1 = -d[0] * sin + d[1] * cos;
            double a = u1 * u1 / (e.a() * e.a()) + v1 * v1 / (e.b() * e.b());
            double b = 2 * (u0 * u1 / (e.a() * e.a()) + v0 * v1 / (e.b() * e.b()));
            double c = u0 * u0 / (e.a() * e.a()) + v0 * v0 / (e.b() * e.b()) - 1;
            if (e.c() > 0) {
                double w0 = o[2] - e.z0();
                double w1 = d[2];
                a += w1 * w1 / (e.c() * e.c());
                b += 2 * w0 * w1 / (e.c() * e.c());
                c += w0 * w0 / (e.c() * e.c());
            }
            double disc = b * b - 4 * a * c;
            if (disc <= 0 || a == 0) {
                continue;
            }
            double t1 = Math.max(tFrom, (-b - Math.sqrt(disc)) / (2 * a));
            double t2 = Math.min(tTo, (-b + Math.sqrt(disc)) / (2 * a));
            if (t2 > t1) {
                sum += e.value() * (t2 - t1) * worldLength;
            }
        }
        return sum;
    }
}
