package org.medsynth.spine.uxdiff;

import static org.medsynth.ml.weights.TrainedModels.number;

import java.util.ArrayList;
import java.util.List;

import org.medsynth.eval.AngleAgreement;
import org.medsynth.eval.ImageMetrics;
import org.medsynth.ml.weights.ModelCardYaml;
import org.medsynth.spine.CobbAngle;
import org.medsynth.spine.uxdiff.SpinePairs.Pair;

/**
 * How close generated radiographs come to the true ones of held-out spines, as the UXDiff paper measures it: SSIM
 * (scikit-image's defaults) and PSNR on the normalised radiographs ([0, 1], data range 1), mean ± sample standard
 * deviation over the cases; and the agreement of the major Cobb angle measured automatically on each generated
 * radiograph ({@link CobbAngle#fromRadiograph}) with the case's Cobb angle ({@link AngleAgreement}: regression slope
 * as an angle, R², Bland–Altman bias and limits).
 *
 * @param agreement null when it is not defined (fewer than 3 cases, or constant angles); {@code problem} says why
 */
record HeldOutEvaluation(int cases, double ssimMean, double ssimSd, double psnrMean, double psnrSd,
        AngleAgreement agreement, String problem) {

    /** Compares generated radiographs (model units, one per pair, in order) with the pairs' true ones. */
    static HeldOutEvaluation of(SpinePairs pairs, List<float[]> generated) {
        if (generated.size() != pairs.size() || pairs.size() == 0) {
            throw new IllegalArgumentException(generated.size() + " generated radiographs for " + pairs.size()
                    + " held-out pairs");
        }
        int n = pairs.size();
        double[] ssim = new double[n];
        double[] psnr = new double[n];
        double[] reference = new double[n];
        double[] measured = new double[n];
        int[] dims = {pairs.columns(), pairs.rows()};
        for (int i = 0; i < n; i++) {
            Pair pair = pairs.pairs().get(i);
            double[] truth = unit(pair.xray());
            double[] candidate = unit(generated.get(i));
            ssim[i] = ImageMetrics.ssim(truth, candidate, dims, 1, ImageMetrics.SsimOptions.SCIKIT_IMAGE_DEFAULTS);
            psnr[i] = ImageMetrics.psnr(truth, candidate, 1);
            reference[i] = pair.cobbDegrees();
            measured[i] = measuredCobb(generated.get(i), pairs.columns(), pair);
        }
        AngleAgreement agreement = null;
        String problem = null;
        try {
            agreement = AngleAgreement.of(reference, measured);
        } catch (IllegalArgumentException e) {
            problem = e.getMessage();
        }
        return new HeldOutEvaluation(n, mean(ssim), sd(ssim), mean(psnr), sd(psnr), agreement, problem);
    }

    /** The major Cobb angle measured on a radiograph in model units with the pair's geometry. */
    static double measuredCobb(float[] radiograph, int columns, Pair pair) {
        return CobbAngle.fromRadiograph(SpinePairs.xrayImage(radiograph, columns, pair.geometry()), 1)
                .majorCobbDegrees();
    }

    /** The same evaluation of the true radiographs themselves: the ceiling of the Cobb measurement. */
    static HeldOutEvaluation ofTruth(SpinePairs pairs) {
        List<float[]> truth = new ArrayList<>();
        pairs.pairs().forEach(p -> truth.add(p.xray()));
        return of(pairs, truth);
    }

    /** Model units [−1, 1] to [0, 1], clipped as the generators' outputs are. */
    private static double[] unit(float[] model) {
        double[] values = new double[model.length];
        for (int p = 0; p < model.length; p++) {
            values[p] = Math.min(1, Math.max(0, (model[p] + 1) / 2.0));
        }
        return values;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static double sd(double[] values) {
        if (values.length < 2) {
            return Double.NaN;
        }
        double mean = mean(values);
        double sum = 0;
        for (double v : values) {
            sum += (v - mean) * (v - mean);
        }
        return Math.sqrt(sum / (values.length - 1));
    }

    /** Model-card lines under a key such as {@code metrics.student}, indented by {@code indent}. */
    List<String> cardLines(String indent) {
        List<String> lines = new ArrayList<>();
        lines.add(indent + "ssim-mean: " + number(ssimMean));
        lines.add(indent + "ssim-sd: " + number(ssimSd));
        lines.add(indent + "psnr-mean: " + number(psnrMean));
        lines.add(indent + "psnr-sd: " + number(psnrSd));
        if (agreement != null) {
            lines.add(indent + "cobb-slope-angle: " + number(agreement.slopeAngleDegrees()));
            lines.add(indent + "cobb-r-squared: " + number(agreement.rSquared()));
            lines.add(indent + "cobb-bias: " + number(agreement.bias()));
            lines.add(indent + "cobb-lower-limit: " + number(agreement.lowerLimit()));
            lines.add(indent + "cobb-upper-limit: " + number(agreement.upperLimit()));
        } else {
            lines.add(indent + "cobb-agreement: " + ModelCardYaml.scalar("not defined: " + problem));
        }
        return lines;
    }
}
