package org.medsynth.spine.uxdiff;

import java.util.Arrays;

import org.medsynth.core.image.MedicalImage;
import org.medsynth.eval.Voxels;
import org.medsynth.spine.CobbAngle;
import org.medsynth.spine.SpinePhantom.Curve;

/**
 * The ultrasound curve angle (UCA) of a coronal spine ultrasound image, measured automatically on the image: the
 * curve angle of the line of the posterior elements (laminae and spinous processes), whose echoes are the brightest
 * band of a coronal spine ultrasound.
 * <p>
 * The image is smoothed with a box of {@value #SMOOTH_WIDTH_MM} × {@value #SMOOTH_HEIGHT_MM} mm (about the laminae's
 * span and one vertebra's height), which turns the speckled echoes of each vertebra into one blob centred on its
 * midline. In every row whose smoothed peak reaches {@value #ECHO_FRACTION} of the image's brightest, the column of
 * that peak (the centroid of its core) is the spine's centre; the longest run of such rows, less half the box's
 * height at each end, is the spine. The centres are smoothed along the
 * spine by a running median over {@value #MEDIAN_WINDOW_MM} mm; the tangent angle atan(dx/dy) of this line,
 * the slope of a least-squares line over {@value #SLOPE_WINDOW_MM} mm around each point (truncated at the spine's
 * ends), is sampled every {@value #SAMPLE_MM} mm, and the Cobb rule of {@link CobbAngle#curves}
 * on these angles gives the curves: the UCA is the largest. Like the clinical UCA, it measures the posterior
 * elements' line rather than endplate tilts, and the smoothing makes it read somewhat below the Cobb angle.
 */
public final class UltrasoundCurveAngle {
    static final double SMOOTH_WIDTH_MM = 30;
    static final double SMOOTH_HEIGHT_MM = 25;
    /** A row belongs to the spine when its smoothed peak reaches this fraction of the brightest. */
    static final double ECHO_FRACTION = 0.4;
    /** The centre of a row is the centroid of its peak's part above this fraction of the peak. */
    static final double PEAK_CORE = 0.85;
    static final double MEDIAN_WINDOW_MM = 30;
    static final double SLOPE_WINDOW_MM = 60;
    static final double SAMPLE_MM = 10;
    /** Fewest rows of echo the spine must span. */
    static final double MIN_SPINE_MM = 150;

    private UltrasoundCurveAngle() {
    }

    /**
     * The largest curve of a coronal spine ultrasound (row 0 at the top, spine vertical), in degrees.
     *
     * @throws IllegalArgumentException when the image is not 2D or shows no spine of at least
     *                                  {@value #MIN_SPINE_MM} mm of echoes
     */
    public static double measure(MedicalImage<?> ultrasound) {
        return curve(ultrasound).angleDegrees();
    }

    /** The largest curve, its ends counted in samples of {@value #SAMPLE_MM} mm from the spine's top. */
    public static Curve curve(MedicalImage<?> ultrasound) {
        Voxels voxels = Voxels.of(ultrasound);
        if (voxels.dims().length != 2) {
            throw new IllegalArgumentException("the UCA is measured on a 2D coronal ultrasound, not a "
                    + voxels.dims().length + "D image");
        }
        return curve(voxels.values(), voxels.dims()[0], voxels.dims()[1], voxels.spacing()[0], voxels.spacing()[1]);
    }

    static Curve curve(double[] values, int columns, int rows, double spacingX, double spacingY) {
        double[] smooth = boxMean(values, columns, rows, halfWindow(SMOOTH_WIDTH_MM, spacingX),
                halfWindow(SMOOTH_HEIGHT_MM, spacingY));
        double[] centre = new double[rows];
        double[] peak = new double[rows];
        double brightest = 0;
        for (int j = 0; j < rows; j++) {
            int best = 0;
            for (int i = 1; i < columns; i++) {
                if (smooth[j * columns + i] > smooth[j * columns + best]) {
                    best = i;
                }
            }
            peak[j] = smooth[j * columns + best];
            centre[j] = peakCentroid(smooth, j * columns, columns, best, peak[j]) * spacingX;
            brightest = Math.max(brightest, peak[j]);
        }
        int[] run = longestRun(peak, ECHO_FRACTION * brightest);
        int length = run[1] - run[0] - 2 * halfWindow(SMOOTH_HEIGHT_MM, spacingY);
        if (brightest <= 0 || length * spacingY < MIN_SPINE_MM) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "no spine in this ultrasound: "
                    + "the longest run of rows with echoes spans %.0f mm, at least %.0f mm are needed",
                    length * spacingY, MIN_SPINE_MM));
        }
        // the vertical box spreads the first and last echoes over half its height beyond them: leave that out
        int spread = halfWindow(SMOOTH_HEIGHT_MM, spacingY);
        double[] line = runningMedian(Arrays.copyOfRange(centre, run[0] + spread, run[1] - spread),
                halfWindow(MEDIAN_WINDOW_MM, spacingY));
        int half = halfWindow(SLOPE_WINDOW_MM, spacingY);
        int step = Math.max(1, (int) Math.round(SAMPLE_MM / spacingY));
        double[] angles = new double[(line.length - 1) / step + 1];
        for (int k = 0; k < angles.length; k++) {
            angles[k] = Math.toDegrees(Math.atan(localSlope(line, k * step, half) / spacingY));
        }
        return CobbAngle.curves(angles, 1).get(0);
    }

    /**
     * The sub-pixel centre of a row's peak: the centroid of the smoothed values' excess over {@value #PEAK_CORE} of
     * the peak (high enough that the ribs' and transverse processes' echoes do not pull it sideways), over
     * the contiguous columns around the peak where there is one (the column of the maximum alone quantises the
     * line to whole pixels, a jitter the tangent would turn into angle).
     */
    private static double peakCentroid(double[] smooth, int rowStart, int columns, int best, double peak) {
        double floor = PEAK_CORE * peak;
        int from = best;
        while (from > 0 && smooth[rowStart + from - 1] > floor) {
            from--;
        }
        int to = best;
        while (to < columns - 1 && smooth[rowStart + to + 1] > floor) {
            to++;
        }
        double weight = 0;
        double moment = 0;
        for (int i = from; i <= to; i++) {
            double w = smooth[rowStart + i] - floor;
            weight += w;
            moment += w * i;
        }
        return weight > 0 ? moment / weight : best;
    }

    private static int halfWindow(double mm, double spacing) {
        return Math.max(1, (int) Math.round(mm / spacing / 2));
    }

    /** [start, end) of the longest run of values at or above {@code threshold}. */
    private static int[] longestRun(double[] values, double threshold) {
        int[] best = {0, 0};
        int start = -1;
        for (int j = 0; j <= values.length; j++) {
            boolean in = j < values.length && values[j] >= threshold;
            if (in && start < 0) {
                start = j;
            } else if (!in && start >= 0) {
                if (j - start > best[1] - best[0]) {
                    best = new int[] {start, j};
                }
                start = -1;
            }
        }
        return best;
    }

    /** The mean over a (2·hx+1) × (2·hy+1) box, truncated at the borders, by running sums along each axis. */
    static double[] boxMean(double[] values, int columns, int rows, int hx, int hy) {
        double[] horizontal = new double[values.length];
        for (int j = 0; j < rows; j++) {
            for (int i = 0; i < columns; i++) {
                double sum = 0;
                int from = Math.max(0, i - hx);
                int to = Math.min(columns - 1, i + hx);
                for (int k = from; k <= to; k++) {
                    sum += values[j * columns + k];
                }
                horizontal[j * columns + i] = sum / (to - from + 1);
            }
        }
        double[] result = new double[values.length];
        for (int i = 0; i < columns; i++) {
            for (int j = 0; j < rows; j++) {
                double sum = 0;
                int from = Math.max(0, j - hy);
                int to = Math.min(rows - 1, j + hy);
                for (int k = from; k <= to; k++) {
                    sum += horizontal[k * columns + i];
                }
                result[j * columns + i] = sum / (to - from + 1);
            }
        }
        return result;
    }

    private static double[] runningMedian(double[] values, int half) {
        double[] result = new double[values.length];
        for (int j = 0; j < values.length; j++) {
            double[] window = Arrays.copyOfRange(values, Math.max(0, j - half), Math.min(values.length, j + half + 1));
            Arrays.sort(window);
            result[j] = window.length % 2 == 1 ? window[window.length / 2]
                    : (window[window.length / 2 - 1] + window[window.length / 2]) / 2;
        }
        return result;
    }

    /**
     * The slope (per row) of the least-squares line through {@code values} over rows j − half … j + half, the window
     * truncated at the ends: unlike a running mean, a local line follows a trend up to the spine's ends unbiased.
     */
    private static double localSlope(double[] values, int j, int half) {
        int from = Math.max(0, j - half);
        int to = Math.min(values.length - 1, j + half);
        double meanRow = (from + to) / 2.0;
        double meanValue = 0;
        for (int k = from; k <= to; k++) {
            meanValue += values[k];
        }
        meanValue /= to - from + 1;
        double covariance = 0;
        double variance = 0;
        for (int k = from; k <= to; k++) {
            covariance += (k - meanRow) * (values[k] - meanValue);
            variance += (k - meanRow) * (k - meanRow);
        }
        return variance > 0 ? covariance / variance : 0;
    }
}
