package org.medsynth.eval;

/**
 * Intensity statistics inside region-of-interest masks: SUVmean/SUVmax on PET images, contrast-to-noise ratio.
 * The image and its masks must share one grid.
 */
public final class RoiMetrics {
    private RoiMetrics() {
    }

    /** Mean intensity inside the ROI (SUVmean on an SUV image). */
    public static double mean(Voxels image, BinaryMask roi) {
        double[] v = checked(image, roi, "ROI");
        boolean[] inside = roi.foreground();
        double sum = 0;
        int n = 0;
        for (int i = 0; i < v.length; i++) {
            if (inside[i]) {
                sum += v[i];
                n++;
            }
        }
        return sum / n;
    }

    /** Largest intensity inside the ROI (SUVmax on an SUV image). */
    public static double max(Voxels image, BinaryMask roi) {
        double[] v = checked(image, roi, "ROI");
        boolean[] inside = roi.foreground();
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < v.length; i++) {
            if (inside[i]) {
                max = Math.max(max, v[i]);
            }
        }
        return max;
    }

    /**
     * |mean(ROI) − mean(background)| / sd(background), sd with n − 1.
     *
     * @throws IllegalArgumentException when the background is constant (noise 0) or has a single voxel
     */
    public static double cnr(Voxels image, BinaryMask roi, BinaryMask background) {
        double[] v = checked(image, background, "background mask");
        boolean[] inside = background.foreground();
        double meanBackground = mean(image, background);
        double sum = 0;
        int n = 0;
        for (int i = 0; i < v.length; i++) {
            if (inside[i]) {
                double d = v[i] - meanBackground;
                sum += d * d;
                n++;
            }
        }
        if (n < 2) {
            throw new IllegalArgumentException("the background mask has a single voxel, so its noise is undefined");
        }
        double sd = Math.sqrt(sum / (n - 1));
        if (sd == 0) {
            throw new IllegalArgumentException("the image is constant in the background mask, so the CNR is undefined");
        }
        return Math.abs(mean(image, roi) - meanBackground) / sd;
    }

    private static double[] checked(Voxels image, BinaryMask mask, String what) {
        mask.checkSameGrid(image, what + " and image");
        if (mask.count() == 0) {
            throw new IllegalArgumentException("the " + what + " is empty");
        }
        return image.values();
    }
}
