package org.medsynth.eval.report;

import java.io.IOException;
import java.nio.file.Path;

import org.medsynth.core.api.EvaluationResult;
import org.medsynth.core.api.EvaluationResult.Measurement;
import org.medsynth.eval.AngleAgreement;

/**
 * The report part of a metric that compares one quantity measured on reference and candidate: regression line,
 * R², Bland–Altman bias and limits of agreement, a scatter plot and a Bland–Altman plot of the measurements.
 *
 * @param agreement null where no line is defined (fewer than 3 cases, a constant side); {@code whyNone} says why
 */
record MeasuredAgreement(EvaluationResult result, double[] reference, double[] candidate, AngleAgreement agreement,
        String whyNone) {

    static MeasuredAgreement of(EvaluationResult result) {
        double[] reference = result.measurements().values().stream().mapToDouble(Measurement::reference).toArray();
        double[] candidate = result.measurements().values().stream().mapToDouble(Measurement::candidate).toArray();
        try {
            return new MeasuredAgreement(result, reference, candidate, AngleAgreement.of(reference, candidate), null);
        } catch (IllegalArgumentException e) {
            return new MeasuredAgreement(result, reference, candidate, null, e.getMessage());
        }
    }

    void writePlots(Path folder, String stem) throws IOException {
        String metric = result.metric();
        Plots.writePng(Plots.scatter(metric + ": candidate against reference", "reference", "candidate", reference,
                candidate, agreement == null ? Double.NaN : agreement.slope(),
                agreement == null ? Double.NaN : agreement.intercept()), folder.resolve(stem + "-scatter.png"));
        Plots.writePng(Plots.blandAltman(metric + ": Bland–Altman (candidate − reference)", "measurements", candidate,
                reference),
                folder.resolve(stem + "-bland-altman.png"));
    }

    String section(String stem) {
        String metric = ReportWriter.escape(result.metric());
        StringBuilder s = new StringBuilder("<h3>Agreement of the measurements</h3>\n");
        if (agreement == null) {
            s.append("<p class=\"warning\">No regression line: ").append(ReportWriter.escape(whyNone))
                    .append(".</p>\n");
        } else {
            s.append("<table>\n<tr><th>n</th><th>slope</th><th>slope angle (°)</th><th>intercept</th><th>R²</th>")
                    .append("<th>bias (candidate − reference)</th><th>limits of agreement</th></tr>\n<tr><td>")
                    .append(agreement.n()).append("</td><td>").append(ReportWriter.number(agreement.slope()))
                    .append("</td><td>").append(ReportWriter.number(agreement.slopeAngleDegrees())).append("</td><td>")
                    .append(ReportWriter.number(agreement.intercept())).append("</td><td>")
                    .append(ReportWriter.number(agreement.rSquared())).append("</td><td>")
                    .append(ReportWriter.number(agreement.bias())).append("</td><td>[")
                    .append(ReportWriter.number(agreement.lowerLimit())).append(", ")
                    .append(ReportWriter.number(agreement.upperLimit())).append("]</td></tr>\n</table>\n");
        }
        s.append("<p><img src=\"").append(stem).append("-scatter.png\" alt=\"").append(metric)
                .append(" candidate against reference\"> <img src=\"").append(stem)
                .append("-bland-altman.png\" alt=\"").append(metric).append(" Bland–Altman plot\"></p>\n");
        s.append("<table>\n<tr><th>case</th><th>reference</th><th>candidate</th></tr>\n");
        result.measurements().forEach((id, m) -> s.append("<tr><td>").append(ReportWriter.escape(id))
                .append("</td><td>").append(ReportWriter.number(m.reference())).append("</td><td>")
                .append(ReportWriter.number(m.candidate())).append("</td></tr>\n"));
        return s.append("</table>\n").toString();
    }
}
