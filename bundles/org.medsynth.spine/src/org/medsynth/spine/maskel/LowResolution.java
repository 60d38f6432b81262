package org.medsynth.spine.maskel;

/**
 * The degradation and the interpolation of MaSkel's super-resolution step, on square row-major images: a detector
 * with {@code factor}× larger pixels (each low-resolution pixel the mean of its factor × factor block, as a detector
 * element integrates its area) and bicubic upsampling as PyTorch's {@code F.interpolate(mode="bicubic",
 * align_corners=False)} computes it (Keys' kernel with a = −0.75, source coordinate (i + ½)/factor − ½, indices
 * clamped at the border). The bicubic image is both ResShift's starting point y_0 and the baseline.
 */
public final class LowResolution {
    /** PyTorch's cubic convolution coefficient. */
    static final double A = -0.75;

    private LowResolution() {
    }

    /** The size/factor × size/factor image of block means. */
    public static float[] downsample(float[] image, int size, int factor) {
        if (factor < 1 || size % factor != 0 || image.length != size * size) {
            throw new IllegalArgumentException("a " + size + "² image (" + image.length + " pixels) cannot be "
                    + "reduced by " + factor);
        }
        int low = size / factor;
        float[] out = new float[low * low];
        for (int j = 0; j < low; j++) {
            for (int i = 0; i < low; i++) {
                double sum = 0;
                for (int dy = 0; dy < factor; dy++) {
                    for (int dx = 0; dx < factor; dx++) {
                        sum += image[(j * factor + dy) * size + i * factor + dx];
                    }
                }
                out[j * low + i] = (float) (sum / (factor * factor));
            }
        }
        return out;
    }

    /** The size·factor × size·factor bicubic interpolation of a size × size image. */
    public static float[] upsampleBicubic(float[] image, int size, int factor) {
        if (image.length != size * size) {
            throw new IllegalArgumentException("a " + size + "² image needs " + size * size + " pixels, got "
                    + image.length);
        }
        int high = size * factor;
        int[][] taps = new int[high][4];
        double[][] weights = new double[high][4];
        for (int o = 0; o < high; o++) {
            double source = (o + 0.5) / factor - 0.5;
            int base = (int) Math.floor(source);
            double t = source - base;
            weights[o] = new double[] {far(t + 1), near(t), near(1 - t), far(2 - t)};
            for (int k = 0; k < 4; k++) {
                taps[o][k] = Math.min(Math.max(base - 1 + k, 0), size - 1);
            }
        }
        // separable: rows first, then columns, in double
        double[] rows = new double[size * high];
        for (int j = 0; j < size; j++) {
            for (int o = 0; o < high; o++) {
                double v = 0;
                for (int k = 0; k < 4; k++) {
                    v += weights[o][k] * image[j * size + taps[o][k]];
                }
                rows[j * high + o] = v;
            }
        }
        float[] out = new float[high * high];
        for (int o = 0; o < high; o++) {
            for (int i = 0; i < high; i++) {
                double v = 0;
                for (int k = 0; k < 4; k++) {
                    v += weights[o][k] * rows[taps[o][k] * high + i];
                }
                out[o * high + i] = (float) v;
            }
        }
        return out;
    }

    /** Keys' kernel for |x| ≤ 1. */
    private static double near(double x) {
        return ((A + 2) * x - (A + 3)) * x * x + 1;
    }

    /** Keys' kernel for 1 < |x| < 2. */
    private static double far(double x) {
        return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
    }
}
