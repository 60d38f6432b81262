package org.medsynth.eval.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.core.api.EvaluationResult;
import org.medsynth.core.jobs.EvaluationJob;
import org.medsynth.eval.report.ComparisonReportWriter;
import org.medsynth.eval.report.ModelComparison;
import org.medsynth.eval.report.ModelComparison.Candidate;
import org.medsynth.eval.report.ModelComparison.Paired;
import org.medsynth.eval.report.ReportWriter;

/** Several models side by side: paired tests per metric against scipy, and the comparison report folder. */
class ModelComparisonTest {
    private static final int CASES = 15;

    @TempDir
    Path work;

    private static double a(int i) {
        return 30 + 3 * Math.sin(1.3 * i);
    }

    /** The three models of comparison_reference.py. */
    private static List<Candidate> models() {
        return List.of(model("a", ModelComparisonTest::a),
                model("b", i -> a(i) + 0.4 + 0.5 * Math.cos(2.1 * i)),
                model("c", i -> a(i) + 0.02 * Math.sin(0.7 * i + 0.3)));
    }

    private static Candidate model(String name, IntToDoubleFunction value) {
        Map<String, Double> perCase = new LinkedHashMap<>();
        for (int i = 0; i < CASES; i++) {
            perCase.put("case-" + i, value.applyAsDouble(i));
        }
        double mean = perCase.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        List<EvaluationJob.Pair> pairs = perCase.keySet().stream().map(id -> new EvaluationJob.Pair(id,
                Path.of("ref", id), Path.of(name, id))).toList();
        return new Candidate(name, pairs, List.of(new EvaluationResult("psnr", mean, perCase, List.of())));
    }

    @Test
    void pairedTestsBetweenModelsEqualScipy() throws IOException {
        List<Paired> comparisons = ModelComparison.compare(models(), ReportWriter.Options.DEFAULT);
        JsonArray expected = ReferenceFiles.json("comparison_reference.json").getAsJsonArray("comparisons");
        assertEquals(expected.size(), comparisons.size());
        for (int k = 0; k < comparisons.size(); k++) {
            JsonObject e = expected.get(k).getAsJsonObject();
            Paired p = comparisons.get(k);
            String which = p.first() + " − " + p.second();
            assertEquals(e.get("first").getAsString(), p.first());
            assertEquals(e.get("second").getAsString(), p.second());
            assertEquals(CASES, p.n());
            assertRelative(e.get("meanDifference").getAsDouble(), p.meanDifference(), which + " mean difference");
            assertRelative(e.get("t").getAsDouble(), p.tTest().statistic(), which + " t");
            assertRelative(e.get("tPValue").getAsDouble(), p.tTest().pValue(), which + " t-test p");
            assertEquals(e.get("wilcoxon").getAsDouble(), p.wilcoxon().statistic(), 0, which + " W");
            assertRelative(e.get("wilcoxonPValue").getAsDouble(), p.wilcoxon().pValue(), which + " Wilcoxon p");
            assertTrue(p.interval().low() < p.meanDifference() && p.meanDifference() < p.interval().high(), which);
            assertEquals(List.of(), p.notes());
        }
    }

    private static void assertRelative(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-6 * Math.abs(expected), what);
    }

    @Test
    void casesMissingOrNotFiniteForOneModelAreLeftOutOfItsPairs() {
        Map<String, Double> first = Map.of("x", 1.0, "y", 2.0, "z", Double.NaN);
        Map<String, Double> second = Map.of("x", 1.5, "y", 2.5);
        List<Paired> p = ModelComparison.compare(List.of(
                new Candidate("one", List.of(), List.of(new EvaluationResult("mae", 1.5, first, List.of()))),
                new Candidate("two", List.of(), List.of(new EvaluationResult("mae", 2, second, List.of())))),
                ReportWriter.Options.DEFAULT);
        assertEquals(1, p.size());
        assertEquals(2, p.get(0).n());
        assertEquals(-0.5, p.get(0).meanDifference(), 1e-15);
        assertNull(p.get(0).tTest(), "equal differences: t undefined");
        assertEquals(List.of("compared on the 2 cases with a finite value for both models",
                "t-test: all paired differences are equal (-0.5): t is undefined"), p.get(0).notes());
    }

    @Test
    void writesTablesPlotsAndJsonPerMetric() throws IOException {
        Path folder = work.resolve("comparison");
        List<String> written = ComparisonReportWriter.write(folder, Path.of("ref"), models(),
                ReportWriter.Options.DEFAULT).stream().map(p -> p.getFileName().toString()).toList();
        assertEquals(List.of("psnr-models.png", "report.html", "report.json"), written);
        JsonObject json = JsonParser.parseString(Files.readString(folder.resolve("report.json"))).getAsJsonObject();
        assertEquals(3, json.getAsJsonArray("models").size());
        assertEquals(CASES, json.getAsJsonArray("models").get(1).getAsJsonObject().getAsJsonArray("pairs").size());
        JsonObject psnr = json.getAsJsonArray("metrics").get(0).getAsJsonObject();
        assertEquals("psnr", psnr.get("metric").getAsString());
        assertEquals(List.of("a", "b", "c"), psnr.getAsJsonArray("models").asList().stream()
                .map(m -> m.getAsJsonObject().get("name").getAsString()).toList());
        JsonElement bc = psnr.getAsJsonArray("comparisons").get(2);
        JsonObject expected = ReferenceFiles.json("comparison_reference.json").getAsJsonArray("comparisons").get(2)
                .getAsJsonObject();
        assertRelative(expected.get("tPValue").getAsDouble(), bc.getAsJsonObject().getAsJsonObject("tTest")
                .get("pValue").getAsDouble(), "b − c p in JSON");
        String html = Files.readString(folder.resolve("report.html"));
        assertTrue(html.contains("<img src=\"psnr-models.png\""), html);
        assertTrue(html.contains("<tr><td>b − c</td><td>15</td><td>" + String.format(java.util.Locale.ROOT, "%.6g",
                expected.get("meanDifference").getAsDouble())), html);
        assertThrows(IllegalArgumentException.class, () -> ComparisonReportWriter.write(work.resolve("one"),
                Path.of("ref"), models().subList(0, 1), ReportWriter.Options.DEFAULT));
    }
}
