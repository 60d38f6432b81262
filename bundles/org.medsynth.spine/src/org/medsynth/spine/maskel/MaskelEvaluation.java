package org.medsynth.spine.maskel;

import static org.medsynth.ml.weights.TrainedModels.number;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.medsynth.eval.ImageMetrics;
import org.medsynth.ml.loss.PerceptualLoss;
import org.medsynth.ml.weights.ModelCardYaml;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;

/**
 * The paper's measures on held-out bodies: PSNR, SSIM (scikit-image defaults) and the LPIPS-style distance of the
 * {@link PerceptualNetwork}, per image then mean and standard deviation, for stage 1's reconstruction (the training
 * mask ratio of the patches hidden and predicted) and stage 2's mask → X-ray, and for the baseline when one was
 * trained. PSNR and SSIM are on −ln(I/I₀) with the data range {@value MaskelNetwork#XRAY_RANGE}.
 */
record MaskelEvaluation(int count, double maskRatio, Scores reconstruction, Scores maskToXray, Scores baseline) {

    /** Mean and standard deviation of each measure over the held-out images. */
    record Scores(double[] psnr, double[] ssim, double[] lpips) {
        static double mean(double[] v) {
            double sum = 0;
            for (double x : v) {
                sum += x;
            }
            return sum / v.length;
        }

        static double sd(double[] v) {
            double m = mean(v);
            double sum = 0;
            for (double x : v) {
                sum += (x - m) * (x - m);
            }
            return v.length > 1 ? Math.sqrt(sum / (v.length - 1)) : 0;
        }

        List<String> cardLines(String name) {
            return List.of("  " + name + ":",
                    "    psnr: " + number(mean(psnr)),
                    "    psnr-sd: " + number(sd(psnr)),
                    "    ssim: " + number(mean(ssim)),
                    "    ssim-sd: " + number(sd(ssim)),
                    "    lpips-baseline: " + number(mean(lpips)),
                    "    lpips-baseline-sd: " + number(sd(lpips)));
        }

        void put(Map<String, Double> metrics, String prefix) {
            metrics.put(prefix + "-psnr", mean(psnr));
            metrics.put(prefix + "-ssim", mean(ssim));
            metrics.put(prefix + "-lpips-baseline", mean(lpips));
        }
    }

    /** Scores of predictions against references, both (N, 1, size, size) in model units. */
    static Scores score(NDArray predictions, NDArray references, PerceptualNetwork perceptual) {
        int n = (int) references.getShape().get(0);
        int size = (int) references.getShape().get(2);
        int pixels = size * size;
        float[] p = predictions.toFloatArray();
        float[] r = references.toFloatArray();
        double[] psnr = new double[n];
        double[] ssim = new double[n];
        double[] lpips = new double[n];
        for (int i = 0; i < n; i++) {
            double[] a = new double[pixels];
            double[] b = new double[pixels];
            for (int k = 0; k < pixels; k++) {
                a[k] = MaskelNetwork.xrayFromModel(r[i * pixels + k]);
                b[k] = MaskelNetwork.xrayFromModel(p[i * pixels + k]);
            }
            psnr[i] = ImageMetrics.psnr(a, b, MaskelNetwork.XRAY_RANGE);
            ssim[i] = ImageMetrics.ssim(a, b, new int[] {size, size}, MaskelNetwork.XRAY_RANGE,
                    ImageMetrics.SsimOptions.SCIKIT_IMAGE_DEFAULTS);
            lpips[i] = PerceptualLoss.distance(perceptual.network(), predictions.get(i + ":" + (i + 1)),
                    references.get(i + ":" + (i + 1))).getFloat();
        }
        return new Scores(psnr, ssim, lpips);
    }

    /** Mask → X-ray scores of a second stage on held-out pairs. */
    static Scores stage2(MaskToXray generator, PerceptualNetwork perceptual, MaskelPairs pairs) {
        try (NDManager scope = pairs.masks().getManager().newSubManager()) {
            NDArray xray = generator.apply(new ParameterStore(scope, false), pairs.masks(), false).xray();
            return score(xray, pairs.xrays(), perceptual);
        }
    }

    /**
     * Both stages on held-out pairs; the hidden patches of the reconstruction are drawn from {@code selectionSeed}. {@code baseline}: the baseline's mask → X-ray scores, or null.
     */
    static MaskelEvaluation of(MaskelNetwork spec, MaskelNetwork.Stages stages, PerceptualNetwork perceptual,
            MaskelPairs pairs, double maskRatio, long selectionSeed, Scores baseline) {
        int n = (int) pairs.xrays().getShape().get(0);
        try (NDManager scope = pairs.xrays().getManager().newSubManager()) {
            ParameterStore parameters = new ParameterStore(scope, false);
            Scores masked = score(stages.mae.reconstruct(parameters, pairs.xrays(),
                    MaskedAutoencoder.randomSelection(scope, n, spec.patches(), maskRatio,
                            new SplittableRandom(selectionSeed))), pairs.xrays(), perceptual);
            return new MaskelEvaluation(n, maskRatio, masked, stage2(stages.generator, perceptual, pairs),
                    baseline);
        }
    }

    Map<String, Double> metrics() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        reconstruction.put(metrics, "stage1");
        maskToXray.put(metrics, "mask-to-xray");
        if (baseline != null) {
            baseline.put(metrics, "baseline");
        }
        return metrics;
    }

    List<String> cardLines(String perceptualDescription) {
        List<String> lines = new ArrayList<>();
        lines.add("metrics:");
        lines.add("  held-out: " + ModelCardYaml.scalar(count + " whole-body phantoms from seed training.seed + "
                + MaskelTrainer.HELD_OUT_SEED_OFFSET + " (none seen in training)"));
        lines.add("  measures: " + ModelCardYaml.scalar("psnr and ssim (scikit-image defaults) on -ln(I/I0) with "
                + "data range " + number(MaskelNetwork.XRAY_RANGE) + "; lpips-baseline: " + perceptualDescription
                + "; mean and sample sd over the images"));
        lines.add("  stage1: " + ModelCardYaml.scalar("MAE reconstruction: " + Math.round(100 * maskRatio)
                + "% of the patches hidden (drawn from seed training.seed + " + MaskelTrainer.HELD_OUT_SEED_OFFSET
                + ") and predicted, the others kept"));
        lines.addAll(reconstruction.cardLines("stage1-reconstruction"));
        lines.addAll(maskToXray.cardLines("mask-to-xray"));
        if (baseline != null) {
            lines.add("  baseline: " + ModelCardYaml.scalar("the same second stage without the latent alignment "
                    + "(alpha3 = 0), same seed, batches and steps"));
            lines.addAll(baseline.cardLines("baseline-mask-to-xray"));
        }
        return lines;
    }
}
