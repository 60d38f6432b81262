package org.medsynth.ui.internal.report;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;

/**
 * The content of a {@code report.json} written by {@code medsynth evaluate --report}: the pairs compared and, per
 * metric, the summary value, the value per case and warnings. Read tolerantly: members it does not know (a newer
 * writer's statistics) are kept as text in {@link Metric#extras}, missing ones are empty, and Infinity/NaN are read.
 * Also writes the CSV and HTML exports. No UI resources.
 */
public record EvaluationReport(Path file, List<Pair> pairs, List<Metric> metrics) {
    public record Pair(String caseId, String reference, String candidate) {
    }

    public record Metric(String name, double value, Map<String, Double> perCase, List<String> warnings,
            Map<String, String> extras) {
        /** Per-case values that are finite, the ones a mean or plot can use. */
        public double[] finiteValues() {
            return perCase.values().stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).toArray();
        }
    }

    public static EvaluationReport read(Path file) throws IOException {
        JsonElement root;
        try (JsonReader reader = new JsonReader(new StringReader(Files.readString(file)))) {
            reader.setStrictness(Strictness.LENIENT); // Infinity and NaN, as Python's json and MedSynth's writer write them
            root = JsonParser.parseReader(reader);
        } catch (JsonParseException | IllegalStateException e) {
            throw new IOException(file + " is not valid JSON: " + e.getMessage(), e);
        }
        if (!root.isJsonObject() || !root.getAsJsonObject().has("results")) {
            throw new IOException(file + " is not an evaluation report: it has no \"results\" list");
        }
        JsonObject object = root.getAsJsonObject();
        List<Pair> pairs = new ArrayList<>();
        for (JsonElement pair : array(object, "pairs")) {
            if (pair.isJsonObject()) {
                JsonObject p = pair.getAsJsonObject();
                pairs.add(new Pair(text(p, "case"), text(p, "reference"), text(p, "candidate")));
            }
        }
        List<Metric> metrics = new ArrayList<>();
        for (JsonElement result : array(object, "results")) {
            if (!result.isJsonObject()) {
                throw new IOException(file + ": an entry of \"results\" is not an object: " + result);
            }
            metrics.add(metric(file, result.getAsJsonObject()));
        }
        return new EvaluationReport(file, List.copyOf(pairs), List.copyOf(metrics));
    }

    private static Metric metric(Path file, JsonObject result) throws IOException {
        String name = text(result, "metric");
        if (name.isEmpty()) {
            throw new IOException(file + ": a result has no \"metric\" name");
        }
        Map<String, Double> perCase = new LinkedHashMap<>();
        if (result.has("perCase") && result.get("perCase").isJsonObject()) {
            for (Map.Entry<String, JsonElement> entry : result.getAsJsonObject("perCase").entrySet()) {
                perCase.put(entry.getKey(), number(entry.getValue()));
            }
        }
        List<String> warnings = new ArrayList<>();
        for (JsonElement warning : array(result, "warnings")) {
            warnings.add(warning.isJsonPrimitive() ? warning.getAsString() : warning.toString());
        }
        Map<String, String> extras = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> entry : result.entrySet()) {
            if (!Set.of("metric", "value", "perCase", "warnings").contains(entry.getKey())) {
                JsonElement v = entry.getValue();
                extras.put(entry.getKey(), v.isJsonPrimitive() ? v.getAsString() : v.toString());
            }
        }
        double value = result.has("value") ? number(result.get("value")) : Double.NaN;
        return new Metric(name, value, perCase, List.copyOf(warnings), extras);
    }

    private static Iterable<JsonElement> array(JsonObject object, String member) {
        JsonElement element = object.get(member);
        return element != null && element.isJsonArray() ? element.getAsJsonArray() : new JsonArray();
    }

    private static String text(JsonObject object, String member) {
        JsonElement element = object.get(member);
        return element != null && element.isJsonPrimitive() ? element.getAsString() : "";
    }

    private static double number(JsonElement element) {
        try {
            return element.isJsonPrimitive() ? Double.parseDouble(element.getAsString()) : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Every case id, in the order of the pairs, then any that only a metric names. */
    public List<String> caseIds() {
        Set<String> ids = new LinkedHashSet<>();
        pairs.forEach(p -> ids.add(p.caseId()));
        metrics.forEach(m -> ids.addAll(m.perCase().keySet()));
        return List.copyOf(ids);
    }

    /** Values as the CLI prints them: six significant digits, inf and nan spelled out. */
    public static String format(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        return String.format(Locale.ROOT, "%.6g", value);
    }

    /** One row per case (case, then each metric), then a row of the summary values (RFC 4180 quoting). */
    public String toCsv() {
        StringBuilder csv = new StringBuilder("case");
        metrics.forEach(m -> csv.append(',').append(csvField(m.name())));
        csv.append("\r\n");
        for (String id : caseIds()) {
            csv.append(csvField(id));
            for (Metric m : metrics) {
                Double v = m.perCase().get(id);
                csv.append(',').append(v == null ? "" : format(v));
            }
            csv.append("\r\n");
        }
        csv.append("summary");
        metrics.forEach(m -> csv.append(',').append(format(m.value())));
        return csv.append("\r\n").toString();
    }

    private static String csvField(String text) {
        return text.contains(",") || text.contains("\"") || text.contains("\n")
                ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }

    /** A standalone page: summary table, per-case table, and a plot image file name if one was exported with it. */
    public String toHtml(String plotFileName) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>")
                .append(escape("Evaluation report " + file.getFileName())).append("</title></head>\n<body>\n<h1>")
                .append(escape("Evaluation of " + pairs.size() + " pair" + (pairs.size() == 1 ? "" : "s")))
                .append("</h1>\n<p>").append(escape(file.toString())).append("</p>\n<table border=\"1\">\n")
                .append("<tr><th>metric</th><th>value</th><th>cases</th><th>details</th></tr>\n");
        for (Metric m : metrics) {
            html.append("<tr><td>").append(escape(m.name())).append("</td><td>").append(format(m.value()))
                    .append("</td><td>").append(m.perCase().size()).append("</td><td>").append(escape(details(m)))
                    .append("</td></tr>\n");
        }
        html.append("</table>\n");
        if (plotFileName != null) {
            html.append("<p><img src=\"").append(escape(plotFileName)).append("\" alt=\"per-case values\"></p>\n");
        }
        html.append("<table border=\"1\">\n<tr><th>case</th>");
        metrics.forEach(m -> html.append("<th>").append(escape(m.name())).append("</th>"));
        html.append("</tr>\n");
        for (String id : caseIds()) {
            html.append("<tr><td>").append(escape(id)).append("</td>");
            for (Metric m : metrics) {
                Double v = m.perCase().get(id);
                html.append("<td>").append(v == null ? "" : format(v)).append("</td>");
            }
            html.append("</tr>\n");
        }
        return html.append("</table>\n</body>\n</html>\n").toString();
    }

    /** Warnings and the members this reader does not know, as one line. */
    public static String details(Metric m) {
        List<String> parts = new ArrayList<>(m.warnings());
        m.extras().forEach((key, value) -> parts.add(key + " " + value));
        return parts.stream().collect(Collectors.joining("; "));
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
