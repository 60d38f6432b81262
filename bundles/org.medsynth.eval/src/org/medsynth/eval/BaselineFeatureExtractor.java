package org.medsynth.eval;

import java.util.Arrays;

import org.medsynth.core.image.MedicalImage;

/**
 * MedSynth's weight-free baseline features for medical images, 2D or 3D: at three scales (the image, then 2× and 4×
 * average-pooled along every axis) a 16-bin histogram of the z-scored intensities over [−4, 4] (fractions; values
 * beyond go to the end bins) and the mean and standard deviation of the z-scored gradient magnitude (forward
 * differences): 54 values.
 * <p>
 * Nothing is learnt, so the features are reproducible anywhere and need no download, but they see only intensity
 * distribution and edge statistics: they are not Inception features, metric values computed from them are not
 * comparable with published FID/KID numbers, and z-scoring makes them blind to a global intensity offset or scale.
 */
public final class BaselineFeatureExtractor implements FeatureExtractor {
    public static final String NAME = "baseline";
    private static final int BINS = 16;
    private static final double Z_LIMIT = 4;
    private static final int SCALES = 3;
    /** Smallest side at full scale, so that the coarsest scale still has 2 voxels per side for gradients. */
    private static final int MIN_SIDE = 8;

    @Override
    public String description() {
        return NAME + " (MedSynth weight-free features v1: z-scored intensity histograms and gradient statistics at "
                + SCALES + " scales, " + length() + " values; not Inception features, so values are not comparable "
                + "with published FID/KID)";
    }

    /** Number of features per image. */
    public static int length() {
        return SCALES * (BINS + 2);
    }

    @Override
    public double[] features(MedicalImage<?> image) {
        Voxels voxels = Voxels.of(image);
        double[] values = voxels.values();
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("the image has a non-finite value (" + values[i] + ") at element " + i);
            }
        }
        int[] dims = voxels.dims();
        for (int d : dims) {
            if (d < MIN_SIDE) {
                throw new IllegalArgumentException("baseline features need at least " + MIN_SIDE
                        + " pixels per side, the image is " + Arrays.toString(dims));
            }
        }
        double[] features = new double[length()];
        for (int scale = 0; scale < SCALES; scale++) {
            if (scale > 0) {
                int[] pooledDims = Arrays.stream(dims).map(d -> d / 2).toArray();
                values = halve(values, dims, pooledDims);
                dims = pooledDims;
            }
            describeScale(zScores(values), dims, features, scale * (BINS + 2));
        }
        return features;
    }

    private static void describeScale(double[] z, int[] dims, double[] features, int offset) {
        for (double v : z) {
            int bin = (int) Math.floor((v + Z_LIMIT) / (2 * Z_LIMIT) * BINS);
            features[offset + Math.clamp(bin, 0, BINS - 1)] += 1.0 / z.length;
        }
        double sum = 0;
        double sumSquares = 0;
        int count = 0;
        int[] stride = strides(dims);
        int[] pos = new int[dims.length];
        for (int i = 0; i < z.length; i++) {
            position(i, dims, pos);
            double squared = 0;
            boolean interior = true;
            for (int a = 0; a < dims.length && interior; a++) {
                interior = pos[a] < dims[a] - 1;
                if (interior) {
                    double g = z[i + stride[a]] - z[i];
                    squared += g * g;
                }
            }
            if (interior) {
                double magnitude = Math.sqrt(squared);
                sum += magnitude;
                sumSquares += magnitude * magnitude;
                count++;
            }
        }
        double mean = sum / count;
        features[offset + BINS] = mean;
        features[offset + BINS + 1] = Math.sqrt(Math.max(sumSquares / count - mean * mean, 0));
    }

    /** (v − mean) / sd; all zeros for a constant image. */
    private static double[] zScores(double[] values) {
        double mean = Arrays.stream(values).average().orElseThrow();
        double variance = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / values.length;
        double sd = Math.sqrt(variance);
        return Arrays.stream(values).map(v -> sd > 0 ? (v - mean) / sd : 0).toArray();
    }

    /** 2× average pooling along every axis; an odd last row/column/slice is dropped. */
    private static double[] halve(double[] values, int[] dims, int[] pooledDims) {
        int size = Arrays.stream(pooledDims).reduce(1, (a, b) -> a * b);
        double[] pooled = new double[size];
        int[] stride = strides(dims);
        int[] pos = new int[dims.length];
        int corners = 1 << dims.length;
        for (int o = 0; o < size; o++) {
            position(o, pooledDims, pos);
            int base = 0;
            for (int a = 0; a < dims.length; a++) {
                base += 2 * pos[a] * stride[a];
            }
            double s = 0;
            for (int corner = 0; corner < corners; corner++) {
                int index = base;
                for (int a = 0; a < dims.length; a++) {
                    index += ((corner >> a) & 1) * stride[a];
                }
                s += values[index];
            }
            pooled[o] = s / corners;
        }
        return pooled;
    }

    private static int[] strides(int[] dims) {
        int[] stride = new int[dims.length];
        int s = 1;
        for (int a = 0; a < dims.length; a++) {
            stride[a] = s;
            s *= dims[a];
        }
        return stride;
    }

    private static void position(int index, int[] dims, int[] pos) {
        for (int a = 0; a < dims.length; a++) {
            pos[a] = index % dims[a];
            index /= dims[a];
        }
    }
}
