package org.medsynth.eval;

import java.util.Arrays;

/**
 * A binary mask on a 2D or 3D voxel grid (x fastest) with its spacing in mm: the input of the segmentation and
 * lesion metrics. Any nonzero voxel value is foreground.
 */
public record BinaryMask(boolean[] foreground, int[] dims, double[] spacing) {

    /** Spacings that differ by more than this (relative) put two masks on different grids; as {@link Voxels}. */
    private static final double SPACING_TOLERANCE = 1e-3;

    public BinaryMask {
        if (dims.length < 2 || dims.length > 3 || spacing.length != dims.length) {
            throw new IllegalArgumentException("a mask must be 2D or 3D with one spacing per axis, got dimensions "
                    + Arrays.toString(dims) + " and spacing " + Arrays.toString(spacing));
        }
        if (foreground.length != Arrays.stream(dims).asLongStream().reduce(1, Math::multiplyExact)) {
            throw new IllegalArgumentException(foreground.length + " voxels do not fill a " + shape(dims) + " grid");
        }
    }

    /**
     * Foreground where the value is nonzero.
     *
     * @throws IllegalArgumentException if a value is NaN or infinite, which no label image can hold
     */
    public static BinaryMask of(Voxels voxels) {
        double[] v = voxels.values();
        boolean[] foreground = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                throw new IllegalArgumentException("mask has a non-finite value (" + v[i] + ") at element " + i);
            }
            foreground[i] = v[i] != 0;
        }
        return new BinaryMask(foreground, voxels.dims(), voxels.spacing());
    }

    public int count() {
        int n = 0;
        for (boolean f : foreground) {
            if (f) {
                n++;
            }
        }
        return n;
    }

    /** Volume of one voxel: mm³ in 3D, mm² in 2D. */
    public double voxelVolume() {
        return Arrays.stream(spacing).reduce(1, (a, b) -> a * b);
    }

    /**
     * Checks that {@code other} lies on this mask's grid.
     *
     * @param what names the two in the message, e.g. "reference and candidate masks"
     * @throws IllegalArgumentException saying what differs: shape or spacing
     */
    public void checkSameGrid(BinaryMask other, String what) {
        checkSameGrid(dims, spacing, other.dims, other.spacing, what);
    }

    /** Checks that an image lies on this mask's grid, as {@link #checkSameGrid(BinaryMask, String)}. */
    public void checkSameGrid(Voxels image, String what) {
        checkSameGrid(dims, spacing, image.dims(), image.spacing(), what);
    }

    private static void checkSameGrid(int[] dims, double[] spacing, int[] otherDims, double[] otherSpacing, String what) {
        if (!Arrays.equals(dims, otherDims)) {
            throw new IllegalArgumentException(what + " differ in shape: " + shape(dims) + " vs " + shape(otherDims));
        }
        for (int a = 0; a < dims.length; a++) {
            if (Math.abs(spacing[a] - otherSpacing[a]) > SPACING_TOLERANCE * spacing[a]) {
                throw new IllegalArgumentException(what + " differ in voxel spacing: " + Arrays.toString(spacing)
                        + " mm vs " + Arrays.toString(otherSpacing) + " mm; resample before comparing");
            }
        }
    }

    private static String shape(int[] dims) {
        return String.join("×", Arrays.stream(dims).mapToObj(Integer::toString).toList());
    }
}
