package org.medsynth.radiography.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.medsynth.radiography.tomography.IsoSurfaceRenderer;

/** The iso-surface renderings against a sphere's analytic picture: its disc, and Lambert shading across it. */
class IsoSurfaceRendererTest {
    private static final int N = 48;
    private static final double RADIUS = 0.3;

    @Test
    void aSphereRendersAsALambertShadedDisc() {
        float[] sphere = new float[N * N * N];
        for (int k = 0; k < N; k++) {
            for (int j = 0; j < N; j++) {
                for (int i = 0; i < N; i++) {
                    double x = (i + 0.5) / N - 0.5;
                    double y = (j + 0.5) / N - 0.5;
                    double z = (k + 0.5) / N - 0.5;
                    // a smooth edge (a ramp over two voxels) so the density gradient is the sphere's normal
                    double r = Math.sqrt(x * x + y * y + z * z);
                    sphere[i + N * (j + N * k)] = (float) Math.max(0, Math.min(1, 0.5 + (RADIUS - r) * N / 2));
                }
            }
        }
        int size = 64;
        for (double[] view : new double[][] {{0, 0, 1}, {1, 0, 0}, {0.6, 0.8, 0}}) {
            float[] image = IsoSurfaceRenderer.render(sphere, N, view, 0.5, size);
            int lit = 0;
            for (int row = 0; row < size; row++) {
                for (int col = 0; col < size; col++) {
                    double a = (col + 0.5) / size - 0.5;
                    double b = 0.5 - (row + 0.5) / size;
                    double r = Math.hypot(a, b);
                    float v = image[col + size * row];
                    if (v > 0) {
                        lit++;
                    }
                    if (r > RADIUS + 1.5 / N) {
                        assertEquals(0, v, "outside the disc at r = " + r);
                    } else if (r < 0.7 * RADIUS) {
                        double lambert = 0.2 + 0.8 * Math.sqrt(1 - (r / RADIUS) * (r / RADIUS));
                        assertEquals(lambert, v, 0.05, "shading at r = " + r);
                    }
                }
            }
            double disc = Math.PI * RADIUS * RADIUS * size * size;
            assertTrue(Math.abs(lit - disc) < 0.06 * disc, lit + " lit pixels, the disc has " + disc);
        }
    }
}
