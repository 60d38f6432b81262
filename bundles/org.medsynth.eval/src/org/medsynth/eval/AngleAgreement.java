package org.medsynth.eval;

import java.util.Collection;
import java.util.List;

import org.medsynth.core.api.EvaluationResult.Measurement;

/**
 * Agreement between paired angle measurements (e.g. Cobb angles measured on reference and on synthetic images):
 * the least-squares line candidate = slope · reference + intercept, as scipy's {@code stats.linregress}, and the
 * Bland–Altman bias and 95% limits of agreement of the differences candidate − reference.
 *
 * @param slopeAngleDegrees atan(slope) in degrees: 45° for perfect proportional agreement
 * @param sdDifference      sample standard deviation (n − 1) of the differences
 * @param lowerLimit        bias − 1.96 sdDifference
 * @param upperLimit        bias + 1.96 sdDifference
 */
public record AngleAgreement(int n, double slope, double slopeAngleDegrees, double intercept, double rSquared,
        double pearsonR, double bias, double sdDifference, double lowerLimit, double upperLimit) {

    /** z of the two-sided 95% normal interval, as Bland and Altman (1986) use it. */
    private static final double Z95 = 1.96;

    /** Names of the statistics {@link #statistic} reports, as the agreement evaluators' "statistic" parameter lists. */
    public static final List<String> STATISTICS = List.of("bias", "lower-limit", "upper-limit",
            "slope", "slope-angle", "intercept", "r-squared", "pearson-r");

    /**
     * Agreement of the measurements' candidate angles with their reference angles.
     *
     * @throws IllegalArgumentException as {@link #of(double[], double[])}
     */
    public static AngleAgreement of(Collection<Measurement> pairs) {
        return of(pairs.stream().mapToDouble(Measurement::reference).toArray(),
                pairs.stream().mapToDouble(Measurement::candidate).toArray());
    }

    /**
     * @throws IllegalArgumentException when the lists differ in length, hold fewer than 3 pairs or a non-finite
     *                                  angle, or either list is constant (no line or correlation is defined)
     */
    public static AngleAgreement of(double[] reference, double[] candidate) {
        if (reference.length != candidate.length) {
            throw new IllegalArgumentException(reference.length + " reference angles but " + candidate.length
                    + " candidate angles");
        }
        int n = reference.length;
        if (n < 3) {
            throw new IllegalArgumentException("agreement needs at least 3 angle pairs, got " + n);
        }
        double meanX = 0;
        double meanY = 0;
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(reference[i]) || !Double.isFinite(candidate[i])) {
                throw new IllegalArgumentException("angle pair " + (i + 1) + " is not finite: " + reference[i] + ", "
                        + candidate[i]);
            }
            meanX += reference[i];
            meanY += candidate[i];
        }
        meanX /= n;
        meanY /= n;
        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        double meanDifference = meanY - meanX;
        double sdd = 0;
        for (int i = 0; i < n; i++) {
            double dx = reference[i] - meanX;
            double dy = candidate[i] - meanY;
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
            double dd = candidate[i] - reference[i] - meanDifference;
            sdd += dd * dd;
        }
        if (sxx == 0 || syy == 0) {
            throw new IllegalArgumentException("the " + (sxx == 0 ? "reference" : "candidate")
                    + " angles are all equal, so no regression line or correlation is defined");
        }
        double slope = sxy / sxx;
        double r = sxy / Math.sqrt(sxx * syy);
        double sd = Math.sqrt(sdd / (n - 1));
        return new AngleAgreement(n, slope, Math.toDegrees(Math.atan(slope)), meanY - slope * meanX, r * r, r,
                meanDifference, sd, meanDifference - Z95 * sd, meanDifference + Z95 * sd);
    }

    /**
     * One statistic by name: Bland–Altman {@code bias}, {@code lower-limit} or {@code upper-limit} (°), the
     * regression's {@code slope}, {@code slope-angle} (atan(slope), °) or {@code intercept} (°), {@code r-squared}
     * or {@code pearson-r}.
     *
     * @throws IllegalArgumentException for any other name
     */
    public double statistic(String name) {
        return switch (name) {
            case "bias" -> bias;
            case "lower-limit" -> lowerLimit;
            case "upper-limit" -> upperLimit;
            case "slope" -> slope;
            case "slope-angle" -> slopeAngleDegrees;
            case "intercept" -> intercept;
            case "r-squared" -> rSquared;
            case "pearson-r" -> pearsonR;
            default -> throw new IllegalArgumentException("unknown agreement statistic '" + name + "' (known: "
                    + String.join(", ", STATISTICS) + ")");
        };
    }
}
