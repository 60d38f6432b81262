package org.medsynth.eval;

import java.util.Arrays;

import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

import org.medsynth.core.image.MedicalImage;

/** An image's values as a flat double array (x fastest) with its dimensions: the input every metric works on. */
public record Voxels(double[] values, int[] dims, double[] spacing) {

    /** Spacings that differ by more than this (relative) make a pair incomparable. */
    private static final double SPACING_TOLERANCE = 1e-3;

    public static Voxels of(MedicalImage<?> image) {
        long[] d = image.dimensions();
        int[] dims = Arrays.stream(d).mapToInt(Math::toIntExact).toArray();
        double[] values = new double[Math.toIntExact(Arrays.stream(d).reduce(1, Math::multiplyExact))];
        int i = 0;
        for (RealType<?> t : Views.flatIterable(image.pixels())) {
            values[i++] = t.getRealDouble();
        }
        return new Voxels(values, dims, image.geometry().spacing());
    }

    public double min() {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    public double max() {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    /**
     * Checks that two images can be compared voxel by voxel.
     *
     * @throws IllegalArgumentException saying which case and what differs: shape, spacing, or non-finite values
     */
    public static void checkComparable(String caseId, Voxels reference, Voxels candidate) {
        if (!Arrays.equals(reference.dims, candidate.dims)) {
            throw new IllegalArgumentException("case " + caseId + ": reference is " + ImageMetrics.shape(reference.dims)
                    + " but candidate is " + ImageMetrics.shape(candidate.dims));
        }
        for (int a = 0; a < Math.min(reference.spacing.length, candidate.spacing.length); a++) {
            double r = reference.spacing[a];
            if (Math.abs(r - candidate.spacing[a]) > SPACING_TOLERANCE * r) {
                throw new IllegalArgumentException("case " + caseId + ": voxel spacing differs ("
                        + Arrays.toString(reference.spacing) + " mm vs " + Arrays.toString(candidate.spacing)
                        + " mm); resample before comparing");
            }
        }
        checkFinite(caseId, "reference", reference);
        checkFinite(caseId, "candidate", candidate);
    }

    private static void checkFinite(String caseId, String which, Voxels v) {
        for (int i = 0; i < v.values.length; i++) {
            if (!Double.isFinite(v.values[i])) {
                throw new IllegalArgumentException("case " + caseId + ": " + which + " has a non-finite value ("
                        + v.values[i] + ") at element " + i);
            }
        }
    }
}
