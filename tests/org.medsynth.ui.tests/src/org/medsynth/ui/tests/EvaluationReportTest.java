package org.medsynth.ui.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.core.api.Contribution.Kind;
import org.medsynth.core.api.EvaluationResult;
import org.medsynth.core.jobs.EvaluationJob;
import org.medsynth.core.jobs.GenerationJob;
import org.medsynth.core.jobs.MedSynthJob;
import org.medsynth.core.registry.Contributions;
import org.medsynth.eval.report.ReportWriter;
import org.medsynth.ui.MedSynthUi;
import org.medsynth.ui.internal.chart.LineChart;
import org.medsynth.ui.internal.report.EvaluationReport;
import org.medsynth.ui.internal.report.EvaluationReportView;

/** Opens a report written by the evaluate command's writer, checks tables and plot, and exports CSV, HTML and PNG. */
@ExtendWith(IsolatedRunHistory.class)
class EvaluationReportTest {
    @TempDir
    Path temp;

    private final Display display = Display.getCurrent();

    @Test
    void showsAndExportsAReportOfTheEvaluateCommand() throws Exception {
        Path clean = generate(temp.resolve("clean"), "0");
        Path noisy = generate(temp.resolve("noisy"), "0.08");
        List<EvaluationJob.Pair> pairs = EvaluationJob.pair(clean, noisy);
        EvaluationJob evaluation = new EvaluationJob(List.of(Contributions.get().require(Kind.EVALUATOR, "psnr"),
                Contributions.get().require(Kind.EVALUATOR, "ssim")), Map.of(), pairs, null);
        run(evaluation);
        List<EvaluationResult> results = evaluation.results();
        ReportWriter.write(temp.resolve("report"), pairs, results, new ReportWriter.Options(200, 0.95, 0));

        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        EvaluationReportView view = (EvaluationReportView) page.showView(MedSynthUi.REPORT_VIEW_ID);
        view.open(temp.resolve("report/report.json"));
        UiTestSupport.spinUntil(display, () -> view.report() != null, () -> "the report was not shown");
        Shell shell = page.getWorkbenchWindow().getShell();
        Table summary = UiTestSupport.find(shell, MedSynthUi.REPORT_SUMMARY, Table.class);
        assertEquals(2, summary.getItemCount());
        for (int i = 0; i < 2; i++) {
            assertEquals(results.get(i).metric(), summary.getItem(i).getText(0));
            assertEquals(EvaluationReport.format(results.get(i).value()), summary.getItem(i).getText(1));
            assertEquals("2", summary.getItem(i).getText(2));
        }
        Table cases = UiTestSupport.find(shell, MedSynthUi.REPORT_CASES, Table.class);
        assertEquals(2, cases.getItemCount());
        String firstCase = pairs.get(0).caseId();
        assertEquals(firstCase, cases.getItem(0).getText(0));
        assertEquals(EvaluationReport.format(results.get(1).perCase().get(firstCase)), cases.getItem(0).getText(2));

        summary.setSelection(1);
        summary.notifyListeners(SWT.Selection, new Event());
        LineChart chart = UiTestSupport.find(shell, MedSynthUi.REPORT_CHART, LineChart.class);
        assertArrayEquals(results.get(1).perCase().values().stream().mapToDouble(Double::doubleValue).toArray(),
                chart.series().get(0).y(), "the plot shows the selected metric per case");
        UiTestSupport.saveScreenshot(display, UiTestSupport.screenArea(shell), UiTestSupport.screenshot("evaluation-report.png"));

        Path exports = temp.resolve("exports");
        view.export(exports.resolve("table.csv"));
        List<String> csv = Files.readAllLines(exports.resolve("table.csv"));
        assertEquals("case,psnr,ssim", csv.get(0));
        assertEquals(firstCase + "," + EvaluationReport.format(results.get(0).perCase().get(firstCase)) + ","
                + EvaluationReport.format(results.get(1).perCase().get(firstCase)), csv.get(1));
        assertEquals("summary," + EvaluationReport.format(results.get(0).value()) + ","
                + EvaluationReport.format(results.get(1).value()), csv.get(3));
        view.export(exports.resolve("report.html"));
        String html = Files.readString(exports.resolve("report.html"));
        assertTrue(html.contains("<img src=\"report-plot.png\"") && html.contains("<td>ssim</td>"), html);
        view.export(exports.resolve("plot.png"));
        ImageData png = new ImageLoader().load(exports.resolve("plot.png").toString())[0];
        assertEquals(800, png.width);
        assertEquals(500, png.height);
        assertTrue(Files.isRegularFile(exports.resolve("report-plot.png")));
    }

    @Test
    void readsUnknownMembersAndInfinityAndNamesABadFile() throws Exception {
        Path json = temp.resolve("report.json");
        Files.writeString(json, """
                {"pairs": [{"case": "a", "reference": "r/a.mha", "candidate": "c/a.mha", "note": "new"}],
                 "results": [{"metric": "psnr", "value": Infinity, "perCase": {"a": Infinity},
                              "warnings": ["identical images"], "ci": {"low": 1, "high": 2}, "n": 1}],
                 "createdBy": "a newer writer"}
                """);
        EvaluationReport report = EvaluationReport.read(json);
        EvaluationReport.Metric psnr = report.metrics().get(0);
        assertEquals(Double.POSITIVE_INFINITY, psnr.value());
        assertEquals(0, psnr.finiteValues().length);
        assertEquals("identical images; ci {\"low\":1,\"high\":2}; n 1", EvaluationReport.details(psnr));
        assertEquals(List.of("a"), report.caseIds());

        Files.writeString(json, "{\"pairs\": []}");
        IOException noResults = assertThrows(IOException.class, () -> EvaluationReport.read(json));
        assertTrue(noResults.getMessage().contains(json.toString()) && noResults.getMessage().contains("results"),
                noResults.getMessage());
        Files.writeString(json, "{\"results\": [");
        IOException broken = assertThrows(IOException.class, () -> EvaluationReport.read(json));
        assertTrue(broken.getMessage().startsWith(json + " is not valid JSON"), broken.getMessage());
    }

    private Path generate(Path folder, String noiseSigma) {
        GenerationJob job = new GenerationJob(Contributions.get().require(Kind.GENERATOR, "phantom.shepp-logan"),
                Map.of("size", "32", "noise-sigma", noiseSigma), 9, 2, List.of(), folder, List.of("mha"), "cpu");
        run(job);
        return folder;
    }

    private void run(MedSynthJob job) {
        job.schedule();
        UiTestSupport.spinUntil(display, () -> job.getResult() != null, () -> job.getName() + " did not finish");
        assertTrue(job.getResult().isOK(), job.getResult().toString());
    }
}
