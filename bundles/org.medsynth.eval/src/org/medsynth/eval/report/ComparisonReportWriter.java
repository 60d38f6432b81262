package org.medsynth.eval.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.medsynth.core.api.EvaluationResult;
import org.medsynth.core.api.Json;
import org.medsynth.core.jobs.OutputStaging;
import org.medsynth.eval.report.ModelComparison.Candidate;
import org.medsynth.eval.report.ModelComparison.Paired;
import org.medsynth.eval.report.ReportWriter.MetricSummary;
import org.medsynth.eval.stats.Bootstrap;

/**
 * Writes the report of several models evaluated against the same references: {@code report.json} (per model its
 * pairs and results; per metric the mean with its interval per model and the paired comparisons), {@code
 * report.html} (per metric a table of the models, a table of the paired tests, and a bar plot of the model means with
 * their intervals, {@code <metric>-models.png}). Written into a staging folder and moved into place when complete.
 */
public final class ComparisonReportWriter {
    private ComparisonReportWriter() {
    }

    /**
     * Writes the report into {@code folder} (created if needed; files already there are never overwritten).
     *
     * @param reference the references' image or folder, as given
     * @return the written files, sorted
     */
    public static List<Path> write(Path folder, Path reference, List<Candidate> candidates,
            ReportWriter.Options options) throws IOException {
        if (candidates.size() < 2) {
            throw new IllegalArgumentException("a comparison needs at least 2 models, got " + candidates.size());
        }
        List<Paired> comparisons = ModelComparison.compare(candidates, options);
        try (OutputStaging staging = OutputStaging.begin(folder)) {
            Path dir = staging.folder();
            StringBuilder sections = new StringBuilder();
            for (String metric : ModelComparison.pairedMetrics(candidates)) {
                String stem = ReportWriter.fileStem(metric);
                Map<String, MetricSummary> summaries = summaries(candidates, metric, options);
                List<MetricSummary> values = List.copyOf(summaries.values());
                Plots.writePng(Plots.bars(metric + ": mean and " + ReportWriter.percent(options.confidence())
                        + " CI per model", metric, List.copyOf(summaries.keySet()),
                        values.stream().mapToDouble(m -> m.finite().length == 0 ? Double.NaN : m.summary().mean())
                                .toArray(),
                        values.stream().mapToDouble(m -> m.interval() == null ? Double.NaN : m.interval().low())
                                .toArray(),
                        values.stream().mapToDouble(m -> m.interval() == null ? Double.NaN : m.interval().high())
                                .toArray()), dir.resolve(stem + "-models.png"));
                sections.append(section(metric, stem, summaries,
                        comparisons.stream().filter(p -> p.metric().equals(metric)).toList(), options));
            }
            Files.writeString(dir.resolve("report.json"), Json.pretty(json(reference, candidates, options)),
                    StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("report.html"), ReportWriter.page("<p>" + candidates.size()
                    + " models evaluated against " + ReportWriter.escape(reference.toString()) + ". Intervals: "
                    + ReportWriter.percent(options.confidence()) + " bootstrap confidence intervals of the mean over"
                    + " cases (BCa, " + options.resamples() + " resamples, seed " + options.seed() + "; percentile"
                    + " where BCa is undefined). Paired tests compare two models on the cases both have a finite"
                    + " value for: paired t-test and Wilcoxon signed-rank test, two-sided.</p>\n" + sections),
                    StandardCharsets.UTF_8);
            return staging.commit();
        }
    }

    /**
     * The report's JSON: {@code reference}; {@code models} (name, pairs, results); {@code metrics}, per metric its
     * {@code models} (n, mean, sd, interval) and {@code comparisons} (first, second, n, meanDifference, interval,
     * tTest, wilcoxon, notes). Undefined numbers are left out.
     */
    public static Map<String, Object> json(Path reference, List<Candidate> candidates, ReportWriter.Options options) {
        List<Paired> comparisons = ModelComparison.compare(candidates, options);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("reference", reference.toString());
        json.put("models", candidates.stream().map(c -> Map.of("name", c.name(), "pairs", c.pairs().stream()
                .map(p -> Map.of("case", p.caseId(), "reference", p.reference().toString(), "candidate",
                        p.candidate().toString())).toList(), "results", c.results())).toList());
        List<Map<String, Object>> metrics = new ArrayList<>();
        for (String metric : ModelComparison.pairedMetrics(candidates)) {
            metrics.add(Map.of("metric", metric, "models", modelsJson(summaries(candidates, metric, options)),
                    "comparisons", comparisons.stream().filter(p -> p.metric().equals(metric))
                            .map(ComparisonReportWriter::pairedJson).toList()));
        }
        json.put("metrics", metrics);
        return json;
    }

    /** Model name → summary of its values of {@code metric}, for the models that have it. */
    private static Map<String, MetricSummary> summaries(List<Candidate> candidates, String metric,
            ReportWriter.Options options) {
        Map<String, MetricSummary> summaries = new LinkedHashMap<>();
        for (Candidate c : candidates) {
            EvaluationResult r = c.result(metric);
            if (r != null) {
                summaries.put(c.name(), MetricSummary.of(r, options));
            }
        }
        return summaries;
    }

    private static List<Map<String, Object>> modelsJson(Map<String, MetricSummary> summaries) {
        List<Map<String, Object>> models = new ArrayList<>();
        summaries.forEach((name, m) -> {
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("name", name);
            model.put("n", m.finite().length);
            putFinite(model, "mean", m.finite().length == 0 ? Double.NaN : m.summary().mean());
            putFinite(model, "sd", m.summary().sd());
            putInterval(model, m.interval());
            models.add(model);
        });
        return models;
    }

    private static Map<String, Object> pairedJson(Paired p) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("first", p.first());
        json.put("second", p.second());
        json.put("n", p.n());
        putFinite(json, "meanDifference", p.meanDifference());
        putInterval(json, p.interval());
        if (p.tTest() != null) {
            json.put("tTest", Map.of("t", p.tTest().statistic(), "pValue", p.tTest().pValue()));
        }
        if (p.wilcoxon() != null) {
            json.put("wilcoxon", Map.of("statistic", p.wilcoxon().statistic(), "pValue", p.wilcoxon().pValue(),
                    "exact", p.wilcoxon().exact(), "n", p.wilcoxon().n()));
        }
        json.put("notes", p.notes());
        return json;
    }

    /** JSON has no NaN: undefined values are left out. */
    private static void putFinite(Map<String, Object> json, String key, double value) {
        if (Double.isFinite(value)) {
            json.put(key, value);
        }
    }

    private static void putInterval(Map<String, Object> json, Bootstrap.Interval interval) {
        if (interval != null) {
            json.put("interval", Map.of("low", interval.low(), "high", interval.high(), "method",
                    interval.method().name()));
        }
    }

    private static String section(String metric, String stem, Map<String, MetricSummary> summaries,
            List<Paired> paired, ReportWriter.Options options) {
        String ci = ReportWriter.percent(options.confidence()) + " CI";
        StringBuilder s = new StringBuilder("<h2 id=\"" + stem + "\">" + ReportWriter.escape(metric) + "</h2>\n");
        s.append("<table>\n<tr><th>model</th><th>n</th><th>mean ± sd</th><th>").append(ci).append("</th></tr>\n");
        summaries.forEach((name, m) -> s.append("<tr><td>").append(ReportWriter.escape(name)).append("</td><td>")
                .append(m.finite().length).append("</td><td>").append(m.meanSd()).append("</td><td>").append(m.ci())
                .append("</td></tr>\n"));
        s.append("</table>\n<p><img src=\"").append(stem).append("-models.png\" alt=\"").append(ReportWriter.escape(
                metric)).append(" mean per model with confidence interval\"></p>\n");
        s.append("<table>\n<tr><th>first − second</th><th>n</th><th>mean difference</th><th>").append(ci)
                .append("</th><th>t</th><th>p (t-test)</th><th>W</th><th>p (Wilcoxon)</th></tr>\n");
        for (Paired p : paired) {
            s.append("<tr><td>").append(ReportWriter.escape(p.first() + " − " + p.second())).append("</td><td>")
                    .append(p.n()).append("</td><td>").append(ReportWriter.number(p.meanDifference()))
                    .append("</td><td>").append(p.interval() == null ? "—" : "[" + ReportWriter.number(
                            p.interval().low()) + ", " + ReportWriter.number(p.interval().high()) + "]")
                    .append("</td><td>").append(p.tTest() == null ? "—" : ReportWriter.number(p.tTest().statistic()))
                    .append("</td><td>").append(p.tTest() == null ? "—" : ReportWriter.number(p.tTest().pValue()))
                    .append("</td><td>").append(p.wilcoxon() == null ? "—" : ReportWriter.number(
                            p.wilcoxon().statistic())).append("</td><td>").append(p.wilcoxon() == null ? "—"
                                    : ReportWriter.number(p.wilcoxon().pValue()) + (p.wilcoxon().exact() ? " (exact)"
                                            : " (normal approx.)")).append("</td></tr>\n");
        }
        s.append("</table>\n");
        paired.forEach(p -> p.notes().forEach(n -> s.append("<p class=\"warning\">").append(ReportWriter.escape(
                p.first() + " − " + p.second() + ": " + n)).append("</p>\n")));
        return s.toString();
    }
}
