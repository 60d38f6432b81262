package org.medsynth.spine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleBinaryOperator;

/** Small 2D filters on flat arrays (x fastest) for the radiograph segmentation. */
final class Filters {
    private Filters() {
    }

    /** Odd window sizes in pixels along x and y that span about {@code mm} millimetres. */
    static int[] windowPixels(double mm, double[] spacing) {
        return new int[] {2 * (int) Math.round(mm / spacing[0] / 2) + 1, 2 * (int) Math.round(mm / spacing[1] / 2) + 1};
    }

    /** Mean over the 3 × 3 neighbourhood, the image's edge replicated. */
    static double[] mean3x3(double[] values, int nx, int ny) {
        double[] out = new double[values.length];
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                double sum = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    int yy = Math.clamp(y + dy, 0, ny - 1);
                    for (int dx = -1; dx <= 1; dx++) {
                        sum += values[yy * nx + Math.clamp(x + dx, 0, nx - 1)];
                    }
                }
                out[y * nx + x] = sum / 9;
            }
        }
        return out;
    }

    /** Grey-level erosion: minimum over a rectangular window centred on each pixel (clipped at the edges). */
    static double[] min(double[] values, int nx, int ny, int[] window) {
        return separable(values, nx, ny, window, Math::min);
    }

    /** Grey-level dilation: maximum over a rectangular window centred on each pixel (clipped at the edges). */
    static double[] max(double[] values, int nx, int ny, int[] window) {
        return separable(values, nx, ny, window, Math::max);
    }

    private static double[] separable(double[] values, int nx, int ny, int[] window, DoubleBinaryOperator pick) {
        double[] rows = new double[values.length];
        int rx = window[0] / 2;
        int ry = window[1] / 2;
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                double best = values[y * nx + x];
                for (int xx = Math.max(0, x - rx); xx <= Math.min(nx - 1, x + rx); xx++) {
                    best = pick.applyAsDouble(best, values[y * nx + xx]);
                }
                rows[y * nx + x] = best;
            }
        }
        double[] out = new double[values.length];
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                double best = rows[y * nx + x];
                for (int yy = Math.max(0, y - ry); yy <= Math.min(ny - 1, y + ry); yy++) {
                    best = pick.applyAsDouble(best, rows[yy * nx + x]);
                }
                out[y * nx + x] = best;
            }
        }
        return out;
    }

    /**
     * Binary opening (erosion, then dilation) with a disc of the given radius in pixels: removes parts thinner than
     * the disc (ribs, processes) and keeps the rest, corners rounded, without favouring any direction.
     */
    static boolean[] openWithDisc(boolean[] mask, int nx, int ny, double radiusX, double radiusY) {
        List<int[]> disc = new ArrayList<>();
        int rx = (int) Math.floor(radiusX);
        int ry = (int) Math.floor(radiusY);
        for (int dy = -ry; dy <= ry; dy++) {
            for (int dx = -rx; dx <= rx; dx++) {
                double u = dx / radiusX;
                double v = dy / radiusY;
                if (u * u + v * v <= 1) {
                    disc.add(new int[] {dx, dy});
                }
            }
        }
        boolean[] eroded = new boolean[mask.length];
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                boolean inside = mask[y * nx + x];
                for (int k = 0; inside && k < disc.size(); k++) {
                    int xx = x + disc.get(k)[0];
                    int yy = y + disc.get(k)[1];
                    inside = xx >= 0 && xx < nx && yy >= 0 && yy < ny && mask[yy * nx + xx];
                }
                eroded[y * nx + x] = inside;
            }
        }
        boolean[] opened = new boolean[mask.length];
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                if (!eroded[y * nx + x]) {
                    continue;
                }
                for (int[] d : disc) {
                    int xx = x + d[0];
                    int yy = y + d[1];
                    if (xx >= 0 && xx < nx && yy >= 0 && yy < ny) {
                        opened[yy * nx + xx] = true;
                    }
                }
            }
        }
        return opened;
    }
}
