package org.medsynth.ui.internal.results;

import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.part.ViewPart;
import org.medsynth.core.api.EvaluationResult;
import org.medsynth.ui.MedSynthUi;
import org.medsynth.ui.internal.TextColumns;

/**
 * Finished runs, newest first (time, kind, contribution, outcome, metric values or outputs, run record), and for the
 * selected run its outputs or its metric values per case. A new run is selected as it arrives.
 */
public class RunResultsView extends ViewPart {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    /** One line of the details table. */
    private record Detail(String item, String value) {
    }

    private final Consumer<FinishedRun> onFinished = this::runFinished;
    private TableViewer runs;
    private TableViewer details;
    private Display display;

    @Override
    public void createPartControl(Composite parent) {
        display = parent.getDisplay();
        SashForm sash = new SashForm(parent, SWT.HORIZONTAL);
        runs = TextColumns.table(sash, MedSynthUi.RESULTS_TABLE);
        column(runs, "Finished", 70, (FinishedRun r) -> TIME.format(r.finished()));
        column(runs, "Kind", 70, FinishedRun::kind);
        column(runs, "Contribution", 140, FinishedRun::contributionId);
        column(runs, "Outcome", 80, (FinishedRun r) -> r.outcome().name().toLowerCase(Locale.ROOT));
        column(runs, "Result", 260, FinishedRun::summary);
        column(runs, "Run record", 300, (FinishedRun r) -> Objects.toString(r.runRecordFile(), "(not written)"));
        details = TextColumns.table(sash, MedSynthUi.RESULTS_DETAILS);
        column(details, "Item", 140, Detail::item);
        column(details, "Value", 320, Detail::value);
        sash.setWeights(3, 2);

        runs.addSelectionChangedListener(event -> showDetails(
                event.getStructuredSelection().getFirstElement() instanceof FinishedRun run ? run : null));
        getSite().setSelectionProvider(runs);
        RunLog.get().addListener(onFinished);
        runs.setInput(RunLog.get().runs());
        List<FinishedRun> shown = RunLog.get().runs();
        if (!shown.isEmpty()) {
            runs.setSelection(new StructuredSelection(shown.get(0)), true);
        }
    }


    /** A column whose tooltip repeats the cell: cells are often cut off (paths, metric lists). */
    private static <T> void column(TableViewer viewer, String title, int width, Function<T, String> text) {
        TextColumns.add(viewer, title, text, text).getColumn().setWidth(width);
    }

    /** Called on the finished job's thread. */
    private void runFinished(FinishedRun run) {
        if (display.isDisposed()) {
            return;
        }
        display.asyncExec(() -> {
            if (runs.getControl().isDisposed()) {
                return;
            }
            runs.setInput(RunLog.get().runs());
            runs.setSelection(new StructuredSelection(run), true);
        });
    }

    private void showDetails(FinishedRun run) {
        List<Detail> rows = new ArrayList<>();
        if (run != null) {
            rows.add(new Detail("outcome", run.outcome().name().toLowerCase(Locale.ROOT)
                    + (run.message().isBlank() ? "" : ": " + run.message())));
            for (EvaluationResult result : run.metrics()) {
                rows.add(new Detail(result.metric(), FinishedRun.format(result.value())));
                result.perCase().forEach((caseId, value) ->
                        rows.add(new Detail("  " + result.metric() + " [" + caseId + "]", FinishedRun.format(value))));
                result.warnings().forEach(warning -> rows.add(new Detail("  warning", warning)));
            }
            for (Path output : run.outputs()) {
                rows.add(new Detail("output", output.toString()));
            }
            rows.add(new Detail("run record", Objects.toString(run.runRecordFile(), "(not written, see the error log)")));
        }
        details.setInput(rows);
    }

    @Override
    public void setFocus() {
        runs.getControl().setFocus();
    }

    @Override
    public void dispose() {
        RunLog.get().removeListener(onFinished);
        super.dispose();
    }
}
