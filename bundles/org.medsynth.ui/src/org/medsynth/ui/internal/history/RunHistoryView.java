package org.medsynth.ui.internal.history;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.part.ViewPart;
import org.medsynth.core.api.Contribution;
import org.medsynth.core.api.Contribution.Kind;
import org.medsynth.core.jobs.RunHistory;
import org.medsynth.core.jobs.RunRecord;
import org.medsynth.core.registry.Contributions;
import org.medsynth.core.registry.ImageFormats;
import org.medsynth.ui.MedSynthUi;
import org.medsynth.ui.internal.TextColumns;
import org.medsynth.ui.internal.results.FinishedRun;
import org.medsynth.ui.internal.results.RunLog;
import org.medsynth.ui.internal.run.RunDialog;
import org.medsynth.ui.internal.run.RunLauncher;
import org.medsynth.ui.viewer.ImageViewers;

/**
 * Every run record in the run history ({@code medsynth.runs}), newest first, with the selected record as JSON. A run
 * can be run again (the run dialog opens filled with its settings and parameters) and its images opened in the
 * viewer. The history is read in a job, again whenever a run ends and on Refresh (F5).
 */
public class RunHistoryView extends ViewPart {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());
    /** Images opened side by side at most: more panes would be too small to read. */
    private static final int MAX_IMAGES = 4;

    private final Consumer<FinishedRun> onFinished = run -> refresh();
    private TableViewer runs;
    private Text details;
    private Button runAgain;
    private Button openImages;
    private Label status;

    @Override
    public void createPartControl(Composite parent) {
        Composite top = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().margins(2, 2).applyTo(top);
        Composite bar = new Composite(top, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(4).applyTo(bar);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(bar);
        runAgain = button(bar, "Run &again…", MedSynthUi.HISTORY_RUN_AGAIN,
                "Open the run dialog filled with this run's settings and parameters");
        runAgain.addListener(SWT.Selection, e -> selected().ifPresent(this::runAgain));
        openImages = button(bar, "&Open images", MedSynthUi.HISTORY_OPEN,
                "Show the run's images in the viewer (outputs of a generation, reference and candidate of an evaluation)");
        openImages.addListener(SWT.Selection, e -> selected().ifPresent(this::openImages));
        button(bar, "&Refresh", MedSynthUi.HISTORY_REFRESH, "Read the run history again (F5)")
                .addListener(SWT.Selection, e -> refresh());
        status = new Label(bar, SWT.NONE);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(status);

        SashForm sash = new SashForm(top, SWT.HORIZONTAL);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(sash);
        runs = TextColumns.table(sash, MedSynthUi.HISTORY_TABLE);
        column("Started", 140, r -> TIME.format(r.timings().start()));
        column("Kind", 70, RunRecord::kind);
        column("Contribution", 150, RunRecord::contributionId);
        column("Outcome", 80, r -> r.outcome().name().toLowerCase(Locale.ROOT));
        column("Duration", 70, r -> r.timings().end() == null ? "" : format(Duration.ofMillis(r.timings().durationMs())));
        column("Message", 240, RunRecord::message);
        details = new Text(sash, SWT.MULTI | SWT.READ_ONLY | SWT.BORDER | SWT.V_SCROLL | SWT.H_SCROLL);
        details.setData(MedSynthUi.WIDGET_KEY, MedSynthUi.HISTORY_DETAILS);
        sash.setWeights(3, 2);
        runs.addSelectionChangedListener(e -> selectionChanged());
        runs.addDoubleClickListener(e -> selected().ifPresent(this::openImages));
        runs.getTable().addListener(SWT.KeyDown, e -> {
            if (e.keyCode == SWT.F5) {
                refresh();
            }
        });
        getSite().setSelectionProvider(runs);
        RunLog.get().addListener(onFinished);
        selectionChanged();
        refresh();
    }

    private static Button button(Composite parent, String text, String widgetName, String tooltip) {
        Button button = new Button(parent, SWT.PUSH);
        button.setText(text);
        button.setToolTipText(tooltip);
        button.setData(MedSynthUi.WIDGET_KEY, widgetName);
        return button;
    }

    private void column(String title, int width, java.util.function.Function<RunRecord, String> text) {
        TextColumns.add(runs, title, text, text).getColumn().setWidth(width);
    }

    private static String format(Duration duration) {
        return duration.toSeconds() < 60 ? String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0)
                : String.format(Locale.ROOT, "%d:%02d min", duration.toMinutes(), duration.toSecondsPart());
    }

    /** Reads the history in a job and shows it, keeping the selected run selected. Safe from any thread. */
    public void refresh() {
        Job.create("Read the run history", monitor -> {
            List<RunRecord> records;
            try {
                records = new ArrayList<>(RunHistory.list());
            } catch (IOException e) {
                showStatus("Cannot read the run history " + RunHistory.folder() + ": " + e.getMessage());
                return Status.OK_STATUS;
            }
            java.util.Collections.reverse(records);
            runs.getControl().getDisplay().asyncExec(() -> show(records));
            return Status.OK_STATUS;
        }).schedule();
    }

    private void showStatus(String text) {
        runs.getControl().getDisplay().asyncExec(() -> {
            if (!status.isDisposed()) {
                status.setText(text);
            }
        });
    }

    private void show(List<RunRecord> records) {
        if (runs.getControl().isDisposed()) {
            return;
        }
        String selectedId = selected().map(RunRecord::runId).orElse(null);
        runs.setInput(records);
        records.stream().filter(r -> r.runId().equals(selectedId)).findFirst()
                .ifPresent(r -> runs.setSelection(new org.eclipse.jface.viewers.StructuredSelection(r), true));
        status.setText(records.size() + (records.size() == 1 ? " run in " : " runs in ") + RunHistory.folder());
        status.getParent().layout();
    }

    private Optional<RunRecord> selected() {
        return runs.getStructuredSelection().getFirstElement() instanceof RunRecord record ? Optional.of(record)
                : Optional.empty();
    }

    private void selectionChanged() {
        Optional<RunRecord> record = selected();
        details.setText(record.map(RunRecord::toJson).orElse(""));
        runAgain.setEnabled(record.flatMap(RunHistoryView::contributionOf).filter(RunDialog::canRun).isPresent());
        openImages.setEnabled(record.map(r -> !images(r).isEmpty()).orElse(false));
    }

    /** The installed contribution that made the run, if it is still installed. */
    static Optional<Contribution> contributionOf(RunRecord record) {
        Kind kind = switch (record.kind()) {
            case "generate" -> Kind.GENERATOR;
            case "evaluate" -> Kind.EVALUATOR;
            case "train" -> Kind.TRAINER;
            default -> null;
        };
        return kind == null ? Optional.empty() : Contributions.get().find(kind, record.contributionId());
    }

    private void runAgain(RunRecord record) {
        Optional<Contribution> contribution = contributionOf(record);
        if (contribution.isEmpty()) {
            status.setText(record.contributionId() + " is not installed");
            return;
        }
        RunLauncher.open(getViewSite(), contribution.get(), record);
    }

    /**
     * The images worth viewing: a generation's outputs (once per sample, in the first readable format) after its
     * inputs, an evaluation's reference and candidate; only files that still exist and that a format reads.
     */
    static List<Path> images(RunRecord record) {
        ImageFormats formats = ImageFormats.get();
        Map<String, Path> bySample = new LinkedHashMap<>();
        List<RunRecord.FileEntry> files = new ArrayList<>(record.inputs());
        files.addAll(record.outputs());
        for (RunRecord.FileEntry entry : files) {
            Path path = Path.of(entry.path());
            if (Files.isRegularFile(path) && formats.forFile(path, false).isPresent()) {
                String name = path.toString();
                String sample = name.substring(0, name.lastIndexOf('.') < 0 ? name.length() : name.lastIndexOf('.'));
                bySample.putIfAbsent(sample, path);
            }
        }
        return bySample.values().stream().limit(MAX_IMAGES).toList();
    }

    private void openImages(RunRecord record) {
        List<Path> images = images(record);
        if (images.isEmpty()) {
            status.setText("This run left no images that can be opened");
            return;
        }
        try {
            ImageViewers.open(getSite().getPage(), images);
        } catch (PartInitException e) {
            status.setText("The image viewer could not be opened: " + e.getMessage());
        }
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
