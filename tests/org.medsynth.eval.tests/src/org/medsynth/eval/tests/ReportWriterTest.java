package org.medsynth.eval.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.core.api.EvaluationResult;
import org.medsynth.core.jobs.EvaluationJob;
import org.medsynth.eval.AngleAgreement;
import org.medsynth.eval.report.Plots;
import org.medsynth.eval.report.ReportWriter;
import org.medsynth.eval.stats.Bootstrap;
import org.medsynth.eval.stats.Summary;

/** The evaluation report folder: JSON, HTML tables and PNG figures, written all at once. */
class ReportWriterTest {
    @TempDir
    Path work;

    private static EvaluationResult result(String metric, double base, double spread, int cases) {
        Map<String, Double> perCase = new LinkedHashMap<>();
        double sum = 0;
        for (int i = 0; i < cases; i++) {
            double v = base + spread * Math.sin(1.3 * i);
            perCase.put(String.format("case-%02d.mha", i), v);
            sum += v;
        }
        return new EvaluationResult(metric, sum / cases, perCase, List.of("a warning for " + metric));
    }

    private static List<EvaluationJob.Pair> pairs(int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> new EvaluationJob.Pair(
                String.format("case-%02d.mha", i), Path.of("ref", i + ".mha"), Path.of("cand", i + ".mha"))).toList();
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    @Test
    void writesJsonHtmlAndPlots() throws IOException {
        List<EvaluationResult> results = List.of(result("psnr", 30, 3, 12), result("ssim", 0.8, 0.05, 12));
        Path folder = work.resolve("report");
        List<Path> written = ReportWriter.write(folder, pairs(12), results, ReportWriter.Options.DEFAULT);
        assertEquals(List.of("psnr-histogram.png", "psnr-mean.png", "report.html", "report.json",
                "ssim-histogram.png", "ssim-mean.png"), written.stream().map(p -> p.getFileName().toString()).toList());
        JsonObject json = JsonParser.parseString(Files.readString(folder.resolve("report.json"))).getAsJsonObject();
        assertEquals(12, json.getAsJsonArray("pairs").size());
        assertEquals("psnr", json.getAsJsonArray("results").get(0).getAsJsonObject().get("metric").getAsString());
        String html = Files.readString(folder.resolve("report.html"));
        for (EvaluationResult r : results) {
            double[] values = r.perCase().values().stream().mapToDouble(Double::doubleValue).toArray();
            Summary s = Summary.of(values);
            Bootstrap.Interval ci = Bootstrap.interval(values, Bootstrap.MEAN, Bootstrap.Method.BCA, 0.95, 2000, 0);
            String row = "<tr><td><a href=\"#" + r.metric() + "\">" + r.metric() + "</a></td><td>" + number(r.value())
                    + "</td><td>12</td><td>" + number(s.mean()) + " ± " + number(s.sd()) + "</td><td>["
                    + number(ci.low()) + ", " + number(ci.high()) + "] (BCa)</td></tr>";
            assertTrue(html.contains(row), "summary row " + row + " in\n" + html);
            assertTrue(html.contains("<tr><td>case-07.mha</td><td>" + number(r.perCase().get("case-07.mha"))),
                    "per-case row of " + r.metric());
            assertTrue(html.contains("a warning for " + r.metric()));
            for (String plot : List.of("-mean.png", "-histogram.png")) {
                assertTrue(html.contains("<img src=\"" + r.metric() + plot + "\""), plot);
                BufferedImage image = ImageIO.read(folder.resolve(r.metric() + plot).toFile());
                assertEquals(Plots.WIDTH, image.getWidth());
                assertEquals(Plots.HEIGHT, image.getHeight());
            }
        }
    }

    @Test
    void neverOverwritesAndLeavesNoPartialFiles() throws IOException {
        Path folder = Files.createDirectories(work.resolve("report"));
        Files.writeString(folder.resolve("report.html"), "mine");
        assertThrows(FileAlreadyExistsException.class, () -> ReportWriter.write(folder, pairs(3),
                List.of(result("psnr", 30, 3, 3)), ReportWriter.Options.DEFAULT));
        try (var files = Files.list(folder)) {
            assertEquals(List.of(folder.resolve("report.html")), files.toList());
        }
        assertEquals("mine", Files.readString(folder.resolve("report.html")));
        try (var siblings = Files.list(work)) {
            assertEquals(List.of(folder), siblings.toList(), "staging folder removed");
        }
    }

    @Test
    void singleCaseAndDistributionMetricsGetNoInterval() throws IOException {
        EvaluationResult fid = new EvaluationResult("fid", 12.5, Map.of(), List.of());
        Path folder = work.resolve("one");
        List<Path> written = ReportWriter.write(folder, pairs(1), List.of(result("psnr", 30, 3, 1), fid),
                ReportWriter.Options.DEFAULT);
        assertEquals(4, written.size(), written.toString());
        String html = Files.readString(folder.resolve("report.html"));
        assertTrue(html.contains("\">fid</a></td><td>12.5000</td><td>0</td><td>—</td><td>—</td>"), html);
        assertTrue(html.contains("<td>1</td><td>30.0000</td><td>—</td>"), html);
    }

    @Test
    void measuredMetricsGetScatterAndBlandAltmanFromTheResultsMeasurements() throws IOException {
        double[] reference = {10, 20, 30, 45, 52, 61};
        double[] candidate = {12, 19, 33, 44, 55, 58};
        Map<String, Double> differences = new LinkedHashMap<>();
        Map<String, EvaluationResult.Measurement> measured = new LinkedHashMap<>();
        for (int i = 0; i < reference.length; i++) {
            differences.put("p" + i, candidate[i] - reference[i]);
            measured.put("p" + i, new EvaluationResult.Measurement(reference[i], candidate[i]));
        }
        EvaluationResult cobb = new EvaluationResult("cobb-agreement", 0.5, differences, List.of(), measured);
        Path folder = work.resolve("cobb");
        List<String> written = ReportWriter.write(folder, pairs(6), List.of(cobb), ReportWriter.Options.DEFAULT)
                .stream().map(p -> p.getFileName().toString()).toList();
        assertEquals(List.of("cobb-agreement-bland-altman.png", "cobb-agreement-histogram.png",
                "cobb-agreement-mean.png", "cobb-agreement-scatter.png", "report.html", "report.json"), written);
        AngleAgreement a = AngleAgreement.of(reference, candidate);
        // scipy.stats.linregress(reference, candidate)
        assertEquals(0.9528334485141674, a.slope(), 1e-12);
        assertEquals(2.2137180373185856, a.intercept(), 1e-10);
        assertEquals(0.9847046694566917, a.rSquared(), 1e-12);
        String html = Files.readString(folder.resolve("report.html"));
        assertTrue(html.contains("<tr><td>6</td><td>" + number(a.slope()) + "</td><td>"
                + number(a.slopeAngleDegrees()) + "</td><td>" + number(a.intercept()) + "</td><td>"
                + number(a.rSquared()) + "</td><td>" + number(a.bias()) + "</td><td>[" + number(a.lowerLimit())
                + ", " + number(a.upperLimit()) + "]</td></tr>"), html);
        assertTrue(html.contains("<tr><td>p3</td><td>45.0000</td><td>44.0000</td></tr>"), html);
        assertTrue(html.contains("<img src=\"cobb-agreement-scatter.png\""), html);
        JsonObject json = JsonParser.parseString(Files.readString(folder.resolve("report.json"))).getAsJsonObject();
        JsonObject p3 = json.getAsJsonArray("results").get(0).getAsJsonObject().getAsJsonObject("measurements")
                .getAsJsonObject("p3");
        assertEquals(45.0, p3.get("reference").getAsDouble());
        assertEquals(44.0, p3.get("candidate").getAsDouble());
        BufferedImage withLine = ImageIO.read(folder.resolve("cobb-agreement-scatter.png").toFile());
        BufferedImage withoutLine = Plots.scatter("cobb-agreement: candidate against reference", "reference",
                "candidate", reference, candidate);
        assertTrue(redPixels(withLine) > redPixels(withoutLine) + 200, "regression line drawn");
    }

    @Test
    void measurementsWithoutARegressionLineSayWhy() throws IOException {
        EvaluationResult two = new EvaluationResult("suv-bias", 1, Map.of("a", 1.0, "b", 1.0), List.of(),
                Map.of("a", new EvaluationResult.Measurement(2, 3), "b", new EvaluationResult.Measurement(4, 5)));
        Path folder = work.resolve("two");
        ReportWriter.write(folder, pairs(2), List.of(two), ReportWriter.Options.DEFAULT);
        String html = Files.readString(folder.resolve("report.html"));
        assertTrue(html.contains("No regression line: agreement needs at least 3 angle pairs, got 2"), html);
        assertTrue(Files.exists(folder.resolve("suv-bias-bland-altman.png")));
    }

    private static int redPixels(BufferedImage image) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                count += ((rgb >> 16) & 0xFF) > 180 && ((rgb >> 8) & 0xFF) < 120 ? 1 : 0;
            }
        }
        return count;
    }

    private static int nonWhitePixels(BufferedImage image) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                count += (image.getRGB(x, y) & 0xFFFFFF) == 0xFFFFFF ? 0 : 1;
            }
        }
        return count;
    }

    @Test
    void scatterAndBlandAltmanPlotsDrawTheirData() {
        double[] a = new double[20];
        double[] b = new double[20];
        for (int i = 0; i < 20; i++) {
            a[i] = 20 + i + Math.sin(i);
            b[i] = 20 + i;
        }
        BufferedImage empty = Plots.scatter("t", "x", "y", new double[0], new double[0]);
        BufferedImage scatter = Plots.scatter("Cobb angle", "truth (deg)", "model (deg)", a, b);
        BufferedImage agreement = Plots.blandAltman("Agreement", "(deg)", a, b);
        assertEquals(Plots.WIDTH, agreement.getWidth());
        assertEquals(Plots.HEIGHT, scatter.getHeight());
        // 20 points of 8 px add at least a few hundred drawn pixels to the empty axes
        assertTrue(nonWhitePixels(scatter) > nonWhitePixels(empty) + 300);
        assertThrows(IllegalArgumentException.class, () -> Plots.blandAltman("t", "u", a, new double[3]));
    }
}
