package org.medsynth.ui.internal.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.part.ViewPart;
import org.medsynth.core.jobs.AtomicFiles;
import org.medsynth.ui.MedSynthUi;
import org.medsynth.ui.internal.TextColumns;
import org.medsynth.ui.internal.chart.LineChart;
import org.medsynth.ui.internal.report.EvaluationReport.Metric;

/**
 * A {@code report.json} of {@code medsynth evaluate --report}: one row per metric (value, cases, warnings and any
 * further statistics), the per-case values of every metric, and a plot of the selected metric per case. Exports the
 * tables as CSV and HTML (with the plot as PNG beside it) and the plot as PNG.
 */
public class EvaluationReportView extends ViewPart {
    private static final int EXPORT_WIDTH = 800;
    private static final int EXPORT_HEIGHT = 500;

    private TableViewer summary;
    private TableViewer cases;
    private LineChart chart;
    private Label status;
    private final List<Button> exports = new ArrayList<>();
    private EvaluationReport report;

    @Override
    public void createPartControl(Composite parent) {
        Composite top = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().margins(2, 2).applyTo(top);
        Composite bar = new Composite(top, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(5).applyTo(bar);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(bar);
        Button open = new Button(bar, SWT.PUSH);
        open.setText("&Open report…");
        open.addListener(SWT.Selection, e -> {
            FileDialog dialog = new FileDialog(top.getShell(), SWT.OPEN);
            dialog.setFilterExtensions(new String[] { "report.json;*.json", "*" });
            String file = dialog.open();
            if (file != null) {
                open(Path.of(file));
            }
        });
        exportButton(bar, "Export &HTML…", "html", MedSynthUi.REPORT_EXPORT_HTML);
        exportButton(bar, "Export &CSV…", "csv", MedSynthUi.REPORT_EXPORT_CSV);
        exportButton(bar, "Export &PNG…", "png", MedSynthUi.REPORT_EXPORT_PNG);
        status = new Label(bar, SWT.NONE);
        status.setData(MedSynthUi.WIDGET_KEY, MedSynthUi.REPORT_STATUS);
        status.setText("Open a report.json written by 'medsynth evaluate --report FOLDER'");
        GridDataFactory.fillDefaults().grab(true, false).applyTo(status);

        SashForm vertical = new SashForm(top, SWT.VERTICAL);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(vertical);
        SashForm upper = new SashForm(vertical, SWT.HORIZONTAL);
        summary = TextColumns.table(upper, MedSynthUi.REPORT_SUMMARY);
        TextColumns.<Metric>add(summary, "Metric", Metric::name, Metric::name).getColumn().setWidth(110);
        TextColumns.<Metric>add(summary, "Value", m -> EvaluationReport.format(m.value()), null).getColumn().setWidth(90);
        TextColumns.<Metric>add(summary, "Cases", m -> Integer.toString(m.perCase().size()), null).getColumn().setWidth(50);
        TextColumns.<Metric>add(summary, "Details", EvaluationReport::details, EvaluationReport::details).getColumn()
                .setWidth(300);
        chart = new LineChart(upper);
        chart.setData(MedSynthUi.WIDGET_KEY, MedSynthUi.REPORT_CHART);
        upper.setWeights(1, 1);
        cases = TextColumns.table(vertical, MedSynthUi.REPORT_CASES);
        vertical.setWeights(3, 2);
        summary.addSelectionChangedListener(e -> plot());
        exports.forEach(b -> b.setEnabled(false));
    }

    private void exportButton(Composite bar, String text, String extension, String widgetName) {
        Button button = new Button(bar, SWT.PUSH);
        button.setText(text);
        button.setData(MedSynthUi.WIDGET_KEY, widgetName);
        button.addListener(SWT.Selection, e -> {
            FileDialog dialog = new FileDialog(bar.getShell(), SWT.SAVE);
            dialog.setOverwrite(true);
            dialog.setFileName("report." + extension);
            String file = dialog.open();
            if (file != null) {
                export(Path.of(file));
            }
        });
        exports.add(button);
    }


    /** Reads the report in a job and shows it; a bad file is named in the status line. */
    public void open(Path file) {
        status.setText("Reading " + file + "…");
        Job.create("Read " + file.getFileName(), monitor -> {
            try {
                EvaluationReport read = EvaluationReport.read(file);
                onUi(() -> show(read));
            } catch (IOException e) {
                onUi(() -> status.setText(e.getMessage()));
            }
            return Status.OK_STATUS;
        }).schedule();
    }

    private void onUi(Runnable action) {
        if (!status.isDisposed()) {
            status.getDisplay().asyncExec(() -> {
                if (!status.isDisposed()) {
                    action.run();
                }
            });
        }
    }

    /** The report shown, or null. */
    public EvaluationReport report() {
        return report;
    }

    private void show(EvaluationReport shown) {
        report = shown;
        summary.setInput(shown.metrics());
        for (var column : cases.getTable().getColumns()) {
            column.dispose();
        }
        TextColumns.<String>add(cases, "Case", id -> id, id -> pairText(shown, id)).getColumn().setWidth(160);
        for (Metric metric : shown.metrics()) {
            TextColumns.<String>add(cases, metric.name(), id -> caseValue(metric, id), null).getColumn().setWidth(100);
        }
        cases.setInput(shown.caseIds());
        cases.refresh();
        status.setText(shown.file() + ": " + shown.metrics().size() + " metrics, " + shown.caseIds().size() + " cases");
        status.getParent().layout();
        exports.forEach(b -> b.setEnabled(true));
        if (!shown.metrics().isEmpty()) {
            summary.getTable().select(0);
        }
        plot();
        setPartName("Evaluation report: " + shown.file().getParent().getFileName());
    }

    private static String pairText(EvaluationReport shown, String id) {
        return shown.pairs().stream().filter(p -> p.caseId().equals(id)).findFirst()
                .map(p -> "reference " + p.reference() + "\ncandidate " + p.candidate()).orElse(null);
    }

    private static String caseValue(Metric metric, String id) {
        Double v = metric.perCase().get(id);
        return v == null ? "" : EvaluationReport.format(v);
    }

    /** Per-case values of the selected metric (the first when none is selected), by case number. */
    private void plot() {
        if (report == null || report.metrics().isEmpty()) {
            chart.setSeries(List.of());
            return;
        }
        int index = Math.max(0, summary.getTable().getSelectionIndex());
        Metric metric = report.metrics().get(index);
        List<String> ids = report.caseIds();
        double[] x = new double[metric.perCase().size()];
        double[] y = new double[x.length];
        int i = 0;
        for (Map.Entry<String, Double> entry : metric.perCase().entrySet()) {
            x[i] = ids.indexOf(entry.getKey()) + 1;
            y[i++] = entry.getValue();
        }
        chart.setLabels(metric.name() + " per case (summary " + EvaluationReport.format(metric.value()) + ")", "case",
                metric.name());
        chart.setSeries(List.of(new LineChart.Series(metric.name(), x, y, true)));
    }

    /**
     * Writes the shown report as {@code .csv}, {@code .html} (with the plot as a PNG of the same name beside it) or
     * {@code .png} (the plot), each file whole or not at all.
     */
    public void export(Path file) {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        try {
            if (name.endsWith(".csv")) {
                AtomicFiles.writeString(file, report.toCsv());
            } else if (name.endsWith(".png")) {
                AtomicFiles.write(file, plotPng());
            } else {
                String stem = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
                Path plot = file.resolveSibling(stem + "-plot.png");
                AtomicFiles.write(plot, plotPng());
                AtomicFiles.writeString(file, report.toHtml(plot.getFileName().toString()));
            }
            status.setText("Exported " + file);
        } catch (IOException e) {
            status.setText("Could not export " + file + ": " + e.getMessage());
        }
    }

    private byte[] plotPng() {
        ImageData data = chart.snapshot(EXPORT_WIDTH, EXPORT_HEIGHT);
        ImageLoader loader = new ImageLoader();
        loader.data = new ImageData[] { data };
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        loader.save(png, SWT.IMAGE_PNG);
        return png.toByteArray();
    }

    @Override
    public void setFocus() {
        summary.getControl().setFocus();
    }
}
