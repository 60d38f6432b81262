package org.medsynth.data.dataset;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

import net.imglib2.type.numeric.real.FloatType;

import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;

/**
 * Intensity transforms of images; each returns a new float image with the same geometry. Statistics are taken over
 * all pixels of all channels. Results of window, z-score and min–max are in arbitrary units.
 */
public final class IntensityTransforms {
    private IntensityTransforms() {
    }

    /** Maps {@code [level − width/2, level + width/2]} linearly onto [0, 1] and clips outside it (a display window). */
    public static MedicalImage<FloatType> window(MedicalImage<?> image, double level, double width) {
        if (!(width > 0) || !Double.isFinite(width) || !Double.isFinite(level)) {
            throw new IllegalArgumentException("window needs a finite level and a positive width, got level " + level
                    + ", width " + width);
        }
        double low = level - width / 2;
        return map(image, v -> Math.max(0, Math.min(1, (v - low) / width)), IntensityUnit.ARBITRARY);
    }

    /** {@code (v − mean) / std} (population std); a constant image becomes all zeros. */
    public static MedicalImage<FloatType> zScore(MedicalImage<?> image) {
        Voxels v = Voxels.of(image);
        double mean = 0;
        for (float x : v.data) {
            mean += x;
        }
        mean /= v.data.length;
        double squares = 0;
        for (float x : v.data) {
            squares += (x - mean) * (x - mean);
        }
        double std = Math.sqrt(squares / v.data.length);
        double m = mean;
        double scale = std > 0 ? 1 / std : 1;
        return map(v, image, x -> (x - m) * scale, IntensityUnit.ARBITRARY);
    }

    /** Maps the minimum to 0 and the maximum to 1; a constant image becomes all zeros. */
    public static MedicalImage<FloatType> minMax(MedicalImage<?> image) {
        Voxels v = Voxels.of(image);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float x : v.data) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        double low = min;
        double range = max - min;
        return map(v, image, x -> range > 0 ? (x - low) / range : 0, IntensityUnit.ARBITRARY);
    }

    /**
     * Clips to the {@code low}-th and {@code high}-th percentiles (0..100, linear interpolation between order
     * statistics, as numpy.percentile's default), keeping the unit.
     */
    public static MedicalImage<FloatType> percentileClip(MedicalImage<?> image, double low, double high) {
        Voxels v = Voxels.of(image);
        double[] bounds = percentiles(v.data, low, high);
        return map(v, image, x -> Math.max(bounds[0], Math.min(bounds[1], x)), image.unit());
    }

    /** The {@code low}-th and {@code high}-th percentiles of the values, numpy.percentile's default (linear) method. */
    static double[] percentiles(float[] values, double low, double high) {
        if (!(low >= 0 && low <= high && high <= 100)) {
            throw new IllegalArgumentException("percentiles must satisfy 0 <= low <= high <= 100, got " + low + ", " + high);
        }
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        return new double[] {percentile(sorted, low), percentile(sorted, high)};
    }

    private static double percentile(float[] sorted, double p) {
        double rank = p / 100 * (sorted.length - 1);
        int below = (int) Math.floor(rank);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (rank - below) * ((double) sorted[above] - sorted[below]);
    }

    /** {@code v · scale + shift}, keeping the unit (an intensity augmentation). */
    public static MedicalImage<FloatType> scaleShift(MedicalImage<?> image, double scale, double shift) {
        return map(image, x -> x * scale + shift, image.unit());
    }

    private static MedicalImage<FloatType> map(MedicalImage<?> image, DoubleUnaryOperator f,
            IntensityUnit unit) {
        return map(Voxels.of(image), image, f, unit);
    }

    private static MedicalImage<FloatType> map(Voxels v, MedicalImage<?> image, DoubleUnaryOperator f,
            IntensityUnit unit) {
        for (int i = 0; i < v.data.length; i++) {
            v.data[i] = (float) f.applyAsDouble(v.data[i]);
        }
        return v.image(image.geometry(), image, unit);
    }
}
