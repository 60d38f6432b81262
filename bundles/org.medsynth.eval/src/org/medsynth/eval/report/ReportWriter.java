package org.medsynth.eval.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.medsynth.core.api.EvaluationResult;
import org.medsynth.core.api.Json;
import org.medsynth.core.jobs.EvaluationJob;
import org.medsynth.core.jobs.OutputStaging;
import org.medsynth.eval.stats.Bootstrap;
import org.medsynth.eval.stats.Summary;

/**
 * Writes an evaluation report folder: {@code report.json} (the pairs and results, as {@link EvaluationJob} writes
 * them), {@code report.html} (per metric: mean ± sd, bootstrap confidence interval, per-case values) and PNG figures
 * (per metric: the mean with its interval, and the histogram of the per-case values; for metrics with measurements on
 * reference and candidate, a scatter plot with identity and regression line and a Bland–Altman plot). Everything is
 * written into a staging folder and moved into place only when complete.
 */
public final class ReportWriter {
    /** Bootstrap settings of the intervals in the report. */
    public record Options(int resamples, double confidence, long seed) {
        public static final Options DEFAULT = new Options(2000, 0.95, 0);
    }

    private ReportWriter() {
    }

    /**
     * Writes the report into {@code folder} (created if needed; files already there are never overwritten).
     *
     * @return the written files, sorted
     */
    public static List<Path> write(Path folder, List<EvaluationJob.Pair> pairs, List<EvaluationResult> results,
            Options options) throws IOException {
        try (OutputStaging staging = OutputStaging.begin(folder)) {
            Path dir = staging.folder();
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("pairs", pairs.stream().map(p -> Map.of("case", p.caseId(), "reference",
                    p.reference().toString(), "candidate", p.candidate().toString())).toList());
            json.put("results", results);
            Files.writeString(dir.resolve("report.json"), Json.pretty(json), StandardCharsets.UTF_8);
            StringBuilder summaryRows = new StringBuilder();
            StringBuilder sections = new StringBuilder();
            for (EvaluationResult r : results) {
                MetricSummary m = MetricSummary.of(r, options);
                String stem = fileStem(r.metric());
                summaryRows.append(m.summaryRow(stem));
                sections.append(m.section(stem));
                if (m.finite.length > 0) {
                    Plots.writePng(Plots.bars(r.metric() + ": mean and " + percent(options.confidence()) + " CI",
                            r.metric(), List.of(r.metric()), new double[] {m.summary.mean()},
                            new double[] {m.interval == null ? Double.NaN : m.interval.low()},
                            new double[] {m.interval == null ? Double.NaN : m.interval.high()}),
                            dir.resolve(stem + "-mean.png"));
                    Plots.writePng(Plots.histogram(r.metric() + ": per-case values", r.metric(), m.finite),
                            dir.resolve(stem + "-histogram.png"));
                }
                if (!r.measurements().isEmpty()) {
                    MeasuredAgreement.of(r).writePlots(dir, stem);
                }
            }
            Files.writeString(dir.resolve("report.html"), html(pairs.size(), options, summaryRows, sections),
                    StandardCharsets.UTF_8);
            return staging.commit();
        }
    }

    /**
     * The bootstrap interval of the mean of at least two values: BCa, or the percentile interval where BCa is
     * undefined (all resampled means equal).
     */
    static Bootstrap.Interval meanInterval(double[] values, Options options) {
        Bootstrap.Interval ci = Bootstrap.interval(values, Bootstrap.MEAN, Bootstrap.Method.BCA, options.confidence(),
                options.resamples(), options.seed());
        return Double.isNaN(ci.low()) || Double.isNaN(ci.high()) ? Bootstrap.interval(values, Bootstrap.MEAN,
                Bootstrap.Method.PERCENTILE, options.confidence(), options.resamples(), options.seed()) : ci;
    }

    /** A metric's finite per-case values, their summary and bootstrap interval (null below two values). */
    record MetricSummary(EvaluationResult result, double[] finite, Summary summary, Bootstrap.Interval interval) {
        static MetricSummary of(EvaluationResult r, Options options) {
            double[] finite = r.perCase().values().stream().mapToDouble(Double::doubleValue).filter(Double::isFinite)
                    .toArray();
            Bootstrap.Interval interval = finite.length < 2 ? null : meanInterval(finite, options);
            return new MetricSummary(r, finite, Summary.of(finite), interval);
        }

        String summaryRow(String stem) {
            return "<tr><td><a href=\"#" + stem + "\">" + escape(result.metric()) + "</a></td><td>"
                    + number(result.value()) + "</td><td>" + finite.length + "</td><td>" + meanSd() + "</td><td>"
                    + ci() + "</td></tr>\n";
        }

        String meanSd() {
            if (finite.length == 0) {
                return "—";
            }
            return number(summary.mean()) + (Double.isNaN(summary.sd()) ? "" : " ± " + number(summary.sd()));
        }

        String ci() {
            return interval == null ? "—" : "[" + number(interval.low()) + ", " + number(interval.high()) + "] ("
                    + (interval.method() == Bootstrap.Method.BCA ? "BCa" : "percentile") + ")";
        }

        String section(String stem) {
            StringBuilder s = new StringBuilder("<h2 id=\"" + stem + "\">" + escape(result.metric()) + "</h2>\n");
            for (String w : result.warnings()) {
                s.append("<p class=\"warning\">").append(escape(w)).append("</p>\n");
            }
            int excluded = result.perCase().size() - finite.length;
            if (excluded > 0) {
                s.append("<p class=\"warning\">").append(excluded).append(" non-finite per-case value")
                        .append(excluded == 1 ? " is" : "s are").append(" left out of the mean, sd and interval.</p>\n");
            }
            if (finite.length > 0) {
                s.append("<p><img src=\"").append(stem).append("-mean.png\" alt=\"").append(escape(result.metric()))
                        .append(" mean with confidence interval\"> <img src=\"").append(stem)
                        .append("-histogram.png\" alt=\"").append(escape(result.metric()))
                        .append(" per-case histogram\"></p>\n");
            }
            if (!result.measurements().isEmpty()) {
                s.append(MeasuredAgreement.of(result).section(stem));
            }
            if (!result.perCase().isEmpty()) {
                s.append("<table>\n<tr><th>case</th><th>").append(escape(result.metric())).append("</th></tr>\n");
                result.perCase().forEach((id, v) -> s.append("<tr><td>").append(escape(id)).append("</td><td>")
                        .append(number(v)).append("</td></tr>\n"));
                s.append("</table>\n");
            }
            return s.toString();
        }
    }

    private static String html(int pairs, Options options, CharSequence summaryRows, CharSequence sections) {
        return page("""
                <p>%d reference/candidate pair%s. Intervals: %s bootstrap confidence intervals of the mean over cases
                (BCa, %d resamples, seed %d; percentile where BCa is undefined); sd is the sample standard deviation.</p>
                <table>
                <tr><th>metric</th><th>value</th><th>n</th><th>mean ± sd</th><th>%s CI</th></tr>
                %s</table>
                %s""".formatted(pairs, pairs == 1 ? "" : "s", percent(options.confidence()), options.resamples(),
                options.seed(), percent(options.confidence()), summaryRows, sections));
    }

    /** A complete HTML page with the report style, titled "MedSynth evaluation report", around {@code body}. */
    static String page(String body) {
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <title>MedSynth evaluation report</title>
                <style>
                body { font-family: sans-serif; margin: 2em; color: #222; }
                table { border-collapse: collapse; margin: 1em 0; }
                th, td { border: 1px solid #ccc; padding: 0.3em 0.8em; text-align: left; }
                td + td { text-align: right; font-variant-numeric: tabular-nums; }
                img { max-width: 48%; }
                .warning { color: #a33; }
                </style>
                </head>
                <body>
                <h1>MedSynth evaluation report</h1>
                """ + body + "</body>\n</html>\n";
    }

    static String percent(double confidence) {
        return String.format(Locale.ROOT, "%s%%", new java.math.BigDecimal(Double.toString(confidence * 100))
                .stripTrailingZeros().toPlainString());
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "—";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "∞" : "−∞";
        }
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /** A metric id as a file name: letters, digits, '.', '-' and '_' kept, anything else '_'. */
    static String fileStem(String metric) {
        return metric.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
