package org.medsynth.eval;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Similarities within and between samples of images, for a generative model's diversity (mean pairwise similarity
 * of its outputs: high means they look alike, a sign of mode collapse) and privacy (distance of each output to its
 * nearest training image: near 0 means the model may have memorised, i.e. copied, a training image). All images of
 * one call must have the same shape; they are compared voxel by voxel with {@link ImageMetrics}.
 */
public final class SampleSimilarity {
    private SampleSimilarity() {
    }

    /** The similarity {@link #meanPairwiseSimilarity} averages; both are symmetric, 1 for identical images. */
    public enum Similarity {
        /** Five-scale MS-SSIM, {@link ImageMetrics#msSsim}; needs {@link ImageMetrics#msSsimMinimumSide()} pixels. */
        MS_SSIM("ms-ssim"),
        /** SSIM with scikit-image's defaults (7-pixel uniform window, sample covariance). */
        SSIM("ssim");

        private final String id;

        Similarity(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public static Similarity of(String id) {
            return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown similarity '" + id + "' (ms-ssim, ssim)"));
        }

        double of(Voxels a, Voxels b, double dataRange) {
            if (this == MS_SSIM) {
                return ImageMetrics.msSsim(a.values(), b.values(), a.dims(), dataRange);
            }
            return ImageMetrics.ssim(a.values(), b.values(), a.dims(), dataRange,
                    ImageMetrics.SsimOptions.SCIKIT_IMAGE_DEFAULTS);
        }
    }

    /** The distance {@link #nearestNeighbours} minimises; 0 for identical images. */
    public enum Distance {
        /** Root mean squared difference, in the images' intensity unit. */
        RMSE("rmse"),
        /** 1 − SSIM with scikit-image's defaults; from 0 (identical) up to 2. */
        ONE_MINUS_SSIM("1-ssim");

        private final String id;

        Distance(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public static Distance of(String id) {
            return Arrays.stream(values()).filter(d -> d.id.equals(id)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown distance '" + id + "' (rmse, 1-ssim)"));
        }

        double between(Voxels a, Voxels b, double dataRange) {
            return this == RMSE ? Math.sqrt(ImageMetrics.mse(a.values(), b.values()))
                    : 1 - Similarity.SSIM.of(a, b, dataRange);
        }
    }

    /**
     * Mean similarity over all n(n − 1)/2 unordered pairs of the sample, and per image its mean similarity to the
     * n − 1 others.
     */
    public record PairwiseSimilarity(double mean, double[] perImage) {
    }

    /**
     * @param dataRange the intensity range R of SSIM's stabilisers, the same for every pair so that pairs are comparable
     * @throws IllegalArgumentException for fewer than 2 images, images of different shapes, or (MS-SSIM) images too
     *                                  small for five scales
     */
    public static PairwiseSimilarity meanPairwiseSimilarity(List<Voxels> images, Similarity similarity,
            double dataRange) {
        if (images.size() < 2) {
            throw new IllegalArgumentException("pairwise similarity needs at least 2 images, got " + images.size());
        }
        checkSameShape(images, "image");
        int minimum = ImageMetrics.msSsimMinimumSide();
        // fail before the n² comparisons, and say what works instead
        if (similarity == Similarity.MS_SSIM && Arrays.stream(images.get(0).dims()).anyMatch(d -> d < minimum)) {
            throw new IllegalArgumentException("MS-SSIM needs at least " + minimum + " pixels along every axis; the"
                    + " images are " + ImageMetrics.shape(images.get(0).dims()) + ": choose similarity=ssim");
        }
        int n = images.size();
        double[] perImage = new double[n];
        double total = 0;
        for (int a = 0; a < n; a++) {
            for (int b = a + 1; b < n; b++) {
                double s = similarity.of(images.get(a), images.get(b), dataRange);
                perImage[a] += s;
                perImage[b] += s;
                total += s;
            }
        }
        for (int a = 0; a < n; a++) {
            perImage[a] /= n - 1;
        }
        return new PairwiseSimilarity(total / (n * (n - 1) / 2.0), perImage);
    }

    /** A candidate's nearest training image: its position in the training sample and the distance to it. */
    public record Nearest(int trainingIndex, double distance) {
    }

    /**
     * For each candidate, the training image at the smallest distance (the first of equally near ones).
     *
     * @param dataRange the intensity range R of SSIM's stabilisers (unused by RMSE)
     * @throws IllegalArgumentException for an empty sample or images of different shapes
     */
    public static Nearest[] nearestNeighbours(List<Voxels> candidates, List<Voxels> training, Distance distance,
            double dataRange) {
        if (candidates.isEmpty() || training.isEmpty()) {
            throw new IllegalArgumentException("nearest neighbours need at least one candidate and one training image");
        }
        checkSameShape(training, "training image");
        checkSameShape(candidates, "candidate");
        if (!Arrays.equals(candidates.get(0).dims(), training.get(0).dims())) {
            throw new IllegalArgumentException("candidates are " + ImageMetrics.shape(candidates.get(0).dims())
                    + " but training images are " + ImageMetrics.shape(training.get(0).dims()));
        }
        Nearest[] nearest = new Nearest[candidates.size()];
        for (int c = 0; c < candidates.size(); c++) {
            int best = 0;
            double bestDistance = Double.POSITIVE_INFINITY;
            for (int t = 0; t < training.size(); t++) {
                double d = distance.between(candidates.get(c), training.get(t), dataRange);
                if (d < bestDistance) {
                    best = t;
                    bestDistance = d;
                }
            }
            nearest[c] = new Nearest(best, bestDistance);
        }
        return nearest;
    }

    /** max − min over all images: one data range for a whole sample. */
    public static double range(List<Voxels> images) {
        double min = images.stream().mapToDouble(Voxels::min).min().orElseThrow();
        double max = images.stream().mapToDouble(Voxels::max).max().orElseThrow();
        return max - min;
    }

    private static void checkSameShape(List<Voxels> images, String role) {
        int[] first = images.get(0).dims();
        for (int i = 1; i < images.size(); i++) {
            if (!Arrays.equals(first, images.get(i).dims())) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s %d is %s but %s 1 is %s", role, i + 1,
                        ImageMetrics.shape(images.get(i).dims()), role, ImageMetrics.shape(first)));
            }
        }
    }
}
