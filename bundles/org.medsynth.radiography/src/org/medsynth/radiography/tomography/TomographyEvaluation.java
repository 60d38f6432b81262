package org.medsynth.radiography.tomography;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.medsynth.eval.ImageMetrics;
import org.medsynth.physics.SingleImageTomography;

/**
 * The paper's evaluation of single-image tomography (Sec. 5): the voxel L2 error of the volume, and the DSSIM of
 * shaded iso-surface renderings of predicted and true volume from several views; the same for a nearest-neighbour
 * baseline (the training volume whose x-ray is closest to the input) and an oracle baseline (the training volume
 * closest to the true one); plus how well the fused volume re-projects to its input x-ray.
 */
public final class TomographyEvaluation {
    /** Iso-value of the renderings (bone densities start around 0.45). */
    public static final double ISO = 0.25;
    /** The rendering views, in the view frame: along the x-ray's own axis, from the side, and oblique. */
    public static final List<double[]> RENDER_VIEWS = List.of(new double[] {0, 0, 1}, new double[] {1, 0, 0},
            new double[] {1 / Math.sqrt(3), 1 / Math.sqrt(3), 1 / Math.sqrt(3)});

    /** Errors of one method, averaged over the test pairs. */
    public record Scores(double voxelL2, double renderDssim) {
    }

    /**
     * What was measured.
     *
     * @param cases               test pairs
     * @param network             the network's coarse volumes
     * @param nearestNeighbour    the training volume of the closest training x-ray
     * @param oracle              the training volume closest to the true volume
     * @param reprojectionCoarse  mean |x-ray − re-projection| of the coarse volumes (upsampled to the x-ray)
     * @param reprojectionFused   the same for the fused volumes (the paper's Δ as printed)
     * @param reprojectionExact   the same for the fused volumes with the exact correction
     */
    public record Result(int cases, Scores network, Scores nearestNeighbour, Scores oracle, double reprojectionCoarse,
            double reprojectionFused, double reprojectionExact) {
    }

    /**
     * A database of training pairs the baselines search (x-rays at the network's input size, volumes in their views'
     * frames).
     */
    public record Database(List<float[]> xrays, List<float[]> volumes) {
        public Database {
            if (xrays.isEmpty() || xrays.size() != volumes.size()) {
                throw new IllegalArgumentException("a baseline database needs as many volumes as x-rays, at least one");
            }
        }
    }

    private TomographyEvaluation() {
    }

    /**
     * Evaluates predictions of test pairs against the truth and the two baselines.
     *
     * @param tests     the test pairs (x-ray at the network's input size)
     * @param predicted the network's coarse volume of each test pair
     * @param depth     side of every volume
     */
    public static Result evaluate(List<ViewPairs.Pair> tests, float[][] predicted, int depth, Database database) {
        if (tests.size() != predicted.length || tests.isEmpty()) {
            throw new IllegalArgumentException("need one prediction per test pair, got " + predicted.length + " for "
                    + tests.size());
        }
        int renderSize = 2 * depth;
        double[] sums = new double[6];
        double[] reprojection = new double[3];
        for (int c = 0; c < tests.size(); c++) {
            ViewPairs.Pair test = tests.get(c);
            List<float[]> truthRenders = renders(test.volume(), depth, renderSize);
            float[] nearest = database.volumes().get(closest(database.xrays(), test.xray()));
            float[] oracle = database.volumes().get(closest(database.volumes(), test.volume()));
            float[][] methods = {predicted[c], nearest, oracle};
            for (int m = 0; m < methods.length; m++) {
                sums[2 * m] += meanSquaredError(methods[m], test.volume());
                sums[2 * m + 1] += renderDssim(truthRenders, renders(methods[m], depth, renderSize), renderSize);
            }
            int side = (int) Math.round(Math.sqrt(test.xray().length));
            reprojection[0] += reprojectionError(Reconstruction.upsampled(predicted[c], depth, side), depth,
                    test.xray());
            reprojection[1] += reprojectionError(Reconstruction.fused(predicted[c], depth, test.xray(), side,
                    SingleImageTomography.Correction.AS_PRINTED), depth, test.xray());
            reprojection[2] += reprojectionError(Reconstruction.fused(predicted[c], depth, test.xray(), side,
                    SingleImageTomography.Correction.EXACT), depth, test.xray());
        }
        int n = tests.size();
        return new Result(n, new Scores(sums[0] / n, sums[1] / n), new Scores(sums[2] / n, sums[3] / n),
                new Scores(sums[4] / n, sums[5] / n), reprojection[0] / n, reprojection[1] / n, reprojection[2] / n);
    }

    /** The renderings of a volume (depth³) from {@link #RENDER_VIEWS}. */
    public static List<float[]> renders(float[] volume, int depth, int size) {
        List<float[]> images = new ArrayList<>();
        for (double[] view : RENDER_VIEWS) {
            images.add(IsoSurfaceRenderer.render(volume, depth, view, ISO, size));
        }
        return images;
    }

    /** Mean DSSIM (scikit-image's SSIM defaults, data range 1) over corresponding renderings. */
    public static double renderDssim(List<float[]> truth, List<float[]> candidate, int size) {
        double sum = 0;
        for (int v = 0; v < truth.size(); v++) {
            sum += ImageMetrics.dssim(toDouble(truth.get(v)), toDouble(candidate.get(v)), new int[] {size, size}, 1,
                    ImageMetrics.SsimOptions.SCIKIT_IMAGE_DEFAULTS);
        }
        return sum / truth.size();
    }

    /** Mean absolute difference between an x-ray and the paper's x-ray of a view-aligned stack. */
    public static double reprojectionError(float[] stack, int slices, float[] xray) {
        float[] projected = SingleImageTomography.projectSlices(stack, slices, xray.length);
        double sum = 0;
        for (int p = 0; p < xray.length; p++) {
            sum += Math.abs(projected[p] - xray[p]);
        }
        return sum / xray.length;
    }

    /** The voxel L2 error: mean squared difference. */
    public static double meanSquaredError(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "volumes of %d and %d voxels", a.length,
                    b.length));
        }
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            sum += d * d;
        }
        return sum / a.length;
    }

    /** The index of the candidate with the smallest squared distance to {@code query}. */
    public static int closest(List<float[]> candidates, float[] query) {
        int best = -1;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int i = 0; i < candidates.size(); i++) {
            double distance = meanSquaredError(candidates.get(i), query);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = i;
            }
        }
        return best;
    }

    private static double[] toDouble(float[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = values[i];
        }
        return d;
    }
}
