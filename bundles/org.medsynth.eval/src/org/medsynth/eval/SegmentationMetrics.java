package org.medsynth.eval;

import java.util.Arrays;

/**
 * Overlap and surface-distance metrics between a reference and a candidate binary mask, 2D or 3D, distances in mm.
 * <p>
 * Conventions (kept identical in the reference script of the tests):
 * <ul>
 * <li>The surface of a mask is its boundary voxels: foreground voxels with a background face neighbour (4 in 2D,
 * 6 in 3D), voxels beyond the image counting as background, i.e. {@code mask & ~binary_erosion(mask)} with the
 * face-connected structuring element, as medpy and MONAI compute it.</li>
 * <li>Surface distances are measured from the centre of each boundary voxel of one mask to the nearest boundary
 * voxel centre of the other, by an exact Euclidean distance transform in mm ({@link DistanceTransform}).</li>
 * <li>HD95 is medpy's {@code hd95}: the 95th percentile (linear interpolation, numpy's default) of the union of both
 * directed distance sets. ASSD is medpy's {@code assd}: the mean of the two directed mean distances.</li>
 * <li>NSD at tolerance τ (Nikolov et al. 2021) counts boundary voxels, as MONAI's {@code compute_surface_dice}
 * without sub-voxels: (boundary voxels of either mask within τ of the other surface) / (all boundary voxels of
 * both). DeepMind's {@code surface-distance} weights surface elements by their area instead.</li>
 * <li>Empty masks: both empty is perfect agreement (Dice = IoU = NSD = 1, HD95 = ASSD = 0); exactly one empty gives
 * Dice = IoU = NSD = 0 and HD95 = ASSD = +Infinity, since no finite distance exists.</li>
 * </ul>
 * Masks on different grids (shape or spacing) are refused with an {@link IllegalArgumentException}.
 */
public final class SegmentationMetrics {
    private SegmentationMetrics() {
    }

    /** 2|A∩B| / (|A| + |B|). */
    public static double dice(BinaryMask reference, BinaryMask candidate) {
        int[] counts = overlap(reference, candidate);
        int sum = counts[0] + counts[1];
        return sum == 0 ? 1 : 2.0 * counts[2] / sum;
    }

    /** |A∩B| / |A∪B| (Jaccard index). */
    public static double iou(BinaryMask reference, BinaryMask candidate) {
        int[] counts = overlap(reference, candidate);
        int union = counts[0] + counts[1] - counts[2];
        return union == 0 ? 1 : (double) counts[2] / union;
    }

    /** {|A|, |B|, |A∩B|}. */
    private static int[] overlap(BinaryMask reference, BinaryMask candidate) {
        reference.checkSameGrid(candidate, "reference and candidate masks");
        boolean[] a = reference.foreground();
        boolean[] b = candidate.foreground();
        int[] counts = new int[3];
        for (int i = 0; i < a.length; i++) {
            counts[0] += a[i] ? 1 : 0;
            counts[1] += b[i] ? 1 : 0;
            counts[2] += a[i] && b[i] ? 1 : 0;
        }
        return counts;
    }

    public static double hd95(BinaryMask reference, BinaryMask candidate) {
        return SurfaceDistances.between(reference, candidate).hd95();
    }

    public static double assd(BinaryMask reference, BinaryMask candidate) {
        return SurfaceDistances.between(reference, candidate).assd();
    }

    public static double nsd(BinaryMask reference, BinaryMask candidate, double toleranceMm) {
        return SurfaceDistances.between(reference, candidate).nsd(toleranceMm);
    }

    /** Foreground voxels with a background (or out-of-image) face neighbour. */
    public static boolean[] boundary(BinaryMask mask) {
        boolean[] f = mask.foreground();
        int[] dims = mask.dims();
        boolean[] border = new boolean[f.length];
        int[] coordinate = new int[dims.length];
        for (int i = 0; i < f.length; i++) {
            if (f[i]) {
                int stride = 1;
                for (int a = 0; a < dims.length && !border[i]; a++) {
                    int c = coordinate[a];
                    border[i] = c == 0 || c == dims[a] - 1 || !f[i - stride] || !f[i + stride];
                    stride *= dims[a];
                }
            }
            for (int a = 0; a < dims.length && ++coordinate[a] == dims[a]; a++) {
                coordinate[a] = 0;
            }
        }
        return border;
    }

    /**
     * The directed surface distances of a mask pair, in mm: from each reference boundary voxel to the candidate's
     * surface and from each candidate boundary voxel to the reference's.
     */
    public record SurfaceDistances(double[] referenceToCandidate, double[] candidateToReference) {

        public static SurfaceDistances between(BinaryMask reference, BinaryMask candidate) {
            reference.checkSameGrid(candidate, "reference and candidate masks");
            boolean[] referenceSurface = boundary(reference);
            boolean[] candidateSurface = boundary(candidate);
            return new SurfaceDistances(
                    sampleAt(referenceSurface, DistanceTransform.distanceToNearest(candidateSurface, candidate.dims(),
                            candidate.spacing())),
                    sampleAt(candidateSurface, DistanceTransform.distanceToNearest(referenceSurface, reference.dims(),
                            reference.spacing())));
        }

        private static double[] sampleAt(boolean[] where, double[] distances) {
            int n = 0;
            for (boolean w : where) {
                n += w ? 1 : 0;
            }
            double[] sampled = new double[n];
            for (int i = 0, j = 0; i < where.length; i++) {
                if (where[i]) {
                    sampled[j++] = distances[i];
                }
            }
            return sampled;
        }

        private boolean bothEmpty() {
            return referenceToCandidate.length == 0 && candidateToReference.length == 0;
        }

        private boolean oneEmpty() {
            return !bothEmpty() && (referenceToCandidate.length == 0 || candidateToReference.length == 0);
        }

        /** 95th percentile of both directed sets together, linearly interpolated between order statistics. */
        public double hd95() {
            if (bothEmpty()) {
                return 0;
            }
            if (oneEmpty()) {
                return Double.POSITIVE_INFINITY;
            }
            double[] all = Arrays.copyOf(referenceToCandidate, referenceToCandidate.length + candidateToReference.length);
            System.arraycopy(candidateToReference, 0, all, referenceToCandidate.length, candidateToReference.length);
            Arrays.sort(all);
            double rank = 0.95 * (all.length - 1);
            int below = (int) Math.floor(rank);
            double fraction = rank - below;
            return below + 1 < all.length ? all[below] + fraction * (all[below + 1] - all[below]) : all[below];
        }

        /** Mean of the two directed mean distances. */
        public double assd() {
            if (bothEmpty()) {
                return 0;
            }
            if (oneEmpty()) {
                return Double.POSITIVE_INFINITY;
            }
            return (mean(referenceToCandidate) + mean(candidateToReference)) / 2;
        }

        /** Fraction of all boundary voxels within {@code toleranceMm} of the other mask's surface. */
        public double nsd(double toleranceMm) {
            if (!(toleranceMm >= 0)) {
                throw new IllegalArgumentException("NSD tolerance must be a distance ≥ 0 mm, got " + toleranceMm);
            }
            if (bothEmpty()) {
                return 1;
            }
            int within = 0;
            for (double d : referenceToCandidate) {
                within += d <= toleranceMm ? 1 : 0;
            }
            for (double d : candidateToReference) {
                within += d <= toleranceMm ? 1 : 0;
            }
            return (double) within / (referenceToCandidate.length + candidateToReference.length);
        }

        private static double mean(double[] values) {
            double sum = 0;
            for (double v : values) {
                sum += v;
            }
            return sum / values.length;
        }
    }
}
