package org.medsynth.eval.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.core.api.EvaluationResult;
import org.medsynth.core.jobs.EvaluationJob;
import org.medsynth.eval.DistributionMetrics;
import org.medsynth.eval.report.SampleReportWriter;

/** The report of distribution metrics on two samples: values, components, extractor and small-sample warnings. */
class SampleReportWriterTest {
    @TempDir
    Path work;

    private static double[][] features(int n, double shift) {
        double[][] x = new double[n][4];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 4; j++) {
                x[i][j] = Math.sin(1.7 * i + 0.9 * j) + shift * j;
            }
        }
        return x;
    }

    private static EvaluationResult result(String metric, DistributionMetrics.Value v) {
        List<String> warnings = new ArrayList<>(List.of("features: test features (4 per image)"));
        warnings.addAll(v.warnings());
        return new EvaluationResult(metric, v.value(), v.components(), warnings);
    }

    @Test
    void namesTheExtractorShowsComponentsAndWarnsAboutSmallSamples() throws IOException {
        double[][] x = features(4, 0);
        double[][] y = features(5, 0.3);
        EvaluationResult fid = result("fid", DistributionMetrics.frechetDistance(x, y));
        EvaluationResult kid = result("kid", DistributionMetrics.kernelInceptionDistance(x, y,
                DistributionMetrics.randomSubsets(4, 10, 3, 0), DistributionMetrics.randomSubsets(5, 10, 3, 1)));
        EvaluationJob.Samples samples = new EvaluationJob.Samples(
                List.of(Path.of("r1.mha"), Path.of("r2.mha"), Path.of("r3.mha"), Path.of("r4.mha")),
                List.of(Path.of("c1.mha"), Path.of("c2.mha"), Path.of("c3.mha"), Path.of("c4.mha"), Path.of("c5.mha")));
        Path folder = work.resolve("report");
        List<String> written = SampleReportWriter.write(folder, samples, List.of(fid, kid)).stream()
                .map(p -> p.getFileName().toString()).toList();
        assertEquals(List.of("kid-components.png", "report.html", "report.json"), written);
        String html = Files.readString(folder.resolve("report.html"));
        assertTrue(html.contains("4 reference and 5 candidate images"), html);
        assertTrue(html.contains("<p>Feature extractor: test features (4 per image)</p>"), html);
        assertTrue(html.contains("<p class=\"warning\">reference sample has 4 images for 4 features: its covariance"),
                html);
        String kidComponents = "mean " + String.format(java.util.Locale.ROOT, "%.6g", kid.perCase().get("mean"))
                + ", sd " + String.format(java.util.Locale.ROOT, "%.6g", kid.perCase().get("sd"));
        assertTrue(html.contains(kidComponents), html);
        JsonObject json = JsonParser.parseString(Files.readString(folder.resolve("report.json"))).getAsJsonObject();
        assertEquals(5, json.getAsJsonObject("samples").getAsJsonArray("candidate").size());
        assertEquals(kid.perCase().get("sd"), json.getAsJsonArray("results").get(1).getAsJsonObject()
                .getAsJsonObject("perCase").get("sd").getAsDouble());
        assertEquals(Map.of(), fid.perCase());
    }
}
