package org.medsynth.eval.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.medsynth.core.api.EvaluationResult;
import org.medsynth.core.api.Json;
import org.medsynth.core.jobs.EvaluationJob;
import org.medsynth.core.jobs.OutputStaging;

/**
 * Writes the report of distribution metrics on two independent samples (FID, KID, precision/recall,
 * density/coverage, MMD, ...): {@code report.json} (the two samples' files and the results), {@code report.html} (per
 * metric its value, components, the feature extractor and any warning, e.g. a sample too small for the number of
 * features) and per metric a bar plot of its components, {@code <metric>-components.png} (a mean with its sd as
 * whiskers where the components are {@code mean} and {@code sd}, e.g. KID over subsets).
 */
public final class SampleReportWriter {
    /** Prefix of the warning by which a distribution evaluator names its feature extractor. */
    static final String FEATURES = "features: ";

    private SampleReportWriter() {
    }

    /**
     * Writes the report into {@code folder} (created if needed; files already there are never overwritten).
     *
     * @return the written files, sorted
     */
    public static List<Path> write(Path folder, EvaluationJob.Samples samples, List<EvaluationResult> results)
            throws IOException {
        try (OutputStaging staging = OutputStaging.begin(folder)) {
            Path dir = staging.folder();
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("samples", Map.of("reference", samples.references().stream().map(Path::toString).toList(),
                    "candidate", samples.candidates().stream().map(Path::toString).toList()));
            json.put("results", results);
            Files.writeString(dir.resolve("report.json"), Json.pretty(json), StandardCharsets.UTF_8);
            StringBuilder rows = new StringBuilder();
            StringBuilder sections = new StringBuilder();
            for (EvaluationResult r : results) {
                String stem = ReportWriter.fileStem(r.metric());
                String extractor = r.warnings().stream().filter(w -> w.startsWith(FEATURES))
                        .map(w -> w.substring(FEATURES.length())).findFirst().orElse("—");
                List<String> warnings = r.warnings().stream().filter(w -> !w.startsWith(FEATURES)).toList();
                rows.append("<tr><td><a href=\"#").append(stem).append("\">").append(ReportWriter.escape(r.metric()))
                        .append("</a></td><td>").append(ReportWriter.number(r.value())).append("</td><td>")
                        .append(components(r)).append("</td><td>").append(ReportWriter.escape(extractor))
                        .append("</td><td>").append(warnings.size()).append("</td></tr>\n");
                sections.append("<h2 id=\"").append(stem).append("\">").append(ReportWriter.escape(r.metric()))
                        .append("</h2>\n<p>Feature extractor: ").append(ReportWriter.escape(extractor))
                        .append("</p>\n");
                warnings.forEach(w -> sections.append("<p class=\"warning\">").append(ReportWriter.escape(w))
                        .append("</p>\n"));
                if (!r.perCase().isEmpty()) {
                    Plots.writePng(componentPlot(r), dir.resolve(stem + "-components.png"));
                    sections.append("<p><img src=\"").append(stem).append("-components.png\" alt=\"")
                            .append(ReportWriter.escape(r.metric())).append(" components\"></p>\n");
                }
            }
            int nRef = samples.references().size();
            int nCand = samples.candidates().size();
            Files.writeString(dir.resolve("report.html"), ReportWriter.page("<p>Two independent samples: " + nRef
                    + " reference and " + nCand + " candidate image" + (nCand == 1 ? "" : "s") + ". Values depend on"
                    + " the feature extractor: compare them only between runs on the same features.</p>\n<table>\n"
                    + "<tr><th>metric</th><th>value</th><th>components</th><th>features</th><th>warnings</th></tr>\n"
                    + rows + "</table>\n" + sections), StandardCharsets.UTF_8);
            return staging.commit();
        }
    }

    private static String components(EvaluationResult r) {
        List<String> parts = new ArrayList<>();
        r.perCase().forEach((name, v) -> parts.add(ReportWriter.escape(name) + " " + ReportWriter.number(v)));
        return parts.isEmpty() ? "—" : String.join(", ", parts);
    }

    /** Bars of the components; a mean with ±sd whiskers where the components are just mean and sd. */
    private static BufferedImage componentPlot(EvaluationResult r) {
        Map<String, Double> c = r.perCase();
        if (c.keySet().equals(Set.of("mean", "sd"))) {
            double mean = c.get("mean");
            double sd = c.get("sd");
            return Plots.bars(r.metric() + ": mean ± sd", r.metric(), List.of(r.metric()), new double[] {mean},
                    new double[] {mean - sd}, new double[] {mean + sd});
        }
        double[] values = c.values().stream().mapToDouble(Double::doubleValue).toArray();
        double[] none = new double[values.length];
        Arrays.fill(none, Double.NaN);
        return Plots.bars(r.metric() + ": components", r.metric(), List.copyOf(c.keySet()), values, none, none);
    }
}
