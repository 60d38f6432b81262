package org.medsynth.ui.internal.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.part.ViewPart;
import org.medsynth.core.api.Contribution;
import org.medsynth.core.api.Contribution.Kind;
import org.medsynth.core.api.DatasetAdapter.DatasetCase;
import org.medsynth.core.api.ParameterSpec;
import org.medsynth.core.registry.Contributions;
import org.medsynth.data.dataset.Dataset;
import org.medsynth.data.dataset.PatientSplit;
import org.medsynth.ui.MedSynthUi;
import org.medsynth.ui.internal.dataset.Previews.Preview;
import org.medsynth.ui.internal.run.ParameterField;
import org.medsynth.ui.internal.viewer.ImageViewerView;

/**
 * A dataset opened through one of the installed layouts (the {@code org.medsynth.core.datasets} adapters: a folder,
 * paired folders, class folders, a CSV/JSON manifest, a NIfTI collection, a DICOM tree, ...): its cases with patient,
 * images by role and conditions (labels, angles, age, text). The layout's declared parameters are its form, built from
 * the declaration as the run dialog builds a generator's. Opening runs in a job and its error is shown as the layout
 * words it; each case's first image is then read in another job for its size, spacing, modality and thumbnail (kept
 * for the session, see {@link Previews}). "Make patient split" divides the patients into train/validation/test with
 * {@link PatientSplit}, writes the split file and shows each case's split. Double-click or Enter opens the selected
 * case's images side by side in the viewer.
 */
public class DatasetExplorerView extends ViewPart {
    private static final String DEFAULT_LAYOUT = "adapter.folder";
    private static final String[] TITLES = { "Case", "Patient", "Split", "Images", "Conditions", "Size (px)",
            "Spacing (mm)", "Modality", "Origin" };
    private static final int[] WIDTHS = { 160, 90, 50, 200, 200, 110, 110, 70, 200 };
    private static final int SPLIT_COLUMN = 2;
    private static final int FIRST_PREVIEW_COLUMN = 5;

    private Composite top;
    private Combo layoutChoice;
    private Text location;
    private Composite parameterForm;
    private final List<ParameterField> parameterFields = new ArrayList<>();
    private Text trainFraction;
    private Text valFraction;
    private Text testFraction;
    private Text seed;
    private Text splitFile;
    private Button makeSplit;
    private Table table;
    private Label status;
    private List<Contribution> layouts = List.of();
    private Dataset dataset;
    private Contribution openedLayout;
    private PatientSplit split;
    private Job reading;
    private final Map<String, Preview> previews = new HashMap<>();
    private final List<Image> thumbnails = new ArrayList<>();

    @Override
    public void createPartControl(Composite parent) {
        top = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().margins(2, 2).applyTo(top);

        Composite source = new Composite(top, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(7).applyTo(source);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(source);
        new Label(source, SWT.NONE).setText("&Layout:");
        layoutChoice = new Combo(source, SWT.READ_ONLY | SWT.DROP_DOWN);
        layoutChoice.setData(MedSynthUi.WIDGET_KEY, MedSynthUi.DATASET_LAYOUT);
        layoutChoice.addListener(SWT.Selection, e -> layoutChosen());
        new Label(source, SWT.NONE).setText("Lo&cation:");
        location = new Text(source, SWT.BORDER | SWT.SINGLE);
        location.setMessage("a folder, or a manifest file");
        location.setData(MedSynthUi.WIDGET_KEY, MedSynthUi.DATASET_LOCATION);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(location);
        Button folder = new Button(source, SWT.PUSH);
        folder.setText("F&older…");
        folder.addListener(SWT.Selection, e -> browse(true));
        Button file = new Button(source, SWT.PUSH);
        file.setText("F&ile…");
        file.addListener(SWT.Selection, e -> browse(false));
        Button open = new Button(source, SWT.PUSH);
        open.setText("&Open");
        open.setToolTipText("Open the location with the chosen layout and parameters");
        open.setData(MedSynthUi.WIDGET_KEY, MedSynthUi.DATASET_OPEN_LAYOUT);
        open.addListener(SWT.Selection, e -> openFromForm());
        location.addListener(SWT.DefaultSelection, e -> openFromForm());

        parameterForm = new Composite(top, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(3).applyTo(parameterForm);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(parameterForm);

        Composite splitRow = new Composite(top, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(12).applyTo(splitRow);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(splitRow);
        trainFraction = field(splitRow, "Train:", MedSynthUi.DATASET_SPLIT_TRAIN, "0.7", "Fraction of the patients for training");
        valFraction = field(splitRow, "Val:", MedSynthUi.DATASET_SPLIT_VAL, "0.15", "Fraction of the patients for validation");
        testFraction = field(splitRow, "Test:", MedSynthUi.DATASET_SPLIT_TEST, "0.15", "Fraction of the patients for testing");
        seed = field(splitRow, "Seed:", MedSynthUi.DATASET_SPLIT_SEED, "0", "Equal seeds and patients give equal splits");
        splitFile = field(splitRow, "Split file:", MedSynthUi.DATASET_SPLIT_FILE, "", "Where the split is written (JSON)");
        GridDataFactory.fillDefaults().grab(true, false).applyTo(splitFile);
        makeSplit = new Button(splitRow, SWT.PUSH);
        makeSplit.setText("Make patient &split");
        makeSplit.setToolTipText("Divide the patients (never a patient's cases) into train, validation and test, write the split file");
        makeSplit.setData(MedSynthUi.WIDGET_KEY, MedSynthUi.DATASET_MAKE_SPLIT);
        makeSplit.setEnabled(false);
        makeSplit.addListener(SWT.Selection, e -> makeSplitFromForm());
        Button view = new Button(splitRow, SWT.PUSH);
        view.setText("Open in &viewer");
        view.setToolTipText("Show the selected case's images side by side in the image viewer (or double-click)");
        view.setData(MedSynthUi.WIDGET_KEY, MedSynthUi.DATASET_OPEN);
        view.addListener(SWT.Selection, e -> openSelected());

        status = new Label(top, SWT.WRAP);
        status.setData(MedSynthUi.WIDGET_KEY, MedSynthUi.DATASET_STATUS);
        status.setText("Choose a layout and a location, then Open");
        GridDataFactory.fillDefaults().grab(true, false).applyTo(status);

        table = new Table(top, SWT.SINGLE | SWT.FULL_SELECTION | SWT.BORDER | SWT.V_SCROLL | SWT.H_SCROLL);
        table.setHeaderVisible(true);
        table.setLinesVisible(true);
        table.setData(MedSynthUi.WIDGET_KEY, MedSynthUi.DATASET_TABLE);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(table);
        for (int i = 0; i < TITLES.length; i++) {
            TableColumn column = new TableColumn(table, SWT.LEFT);
            column.setText(TITLES[i]);
            column.setWidth(WIDTHS[i]);
        }
        table.addListener(SWT.DefaultSelection, e -> openSelected());

        layouts = Contributions.get().list(Kind.ADAPTER);
        layouts.forEach(l -> layoutChoice.add(l.name()));
        int initial = layouts.stream().map(Contribution::id).toList().indexOf(DEFAULT_LAYOUT);
        layoutChoice.select(Math.max(0, initial));
        layoutChosen();
    }

    private static Text field(Composite parent, String label, String widgetName, String initial, String help) {
        new Label(parent, SWT.NONE).setText(label);
        Text text = new Text(parent, SWT.BORDER | SWT.SINGLE);
        text.setText(initial);
        text.setToolTipText(help);
        text.setData(MedSynthUi.WIDGET_KEY, widgetName);
        GridDataFactory.swtDefaults().hint(50, SWT.DEFAULT).applyTo(text);
        return text;
    }

    private Contribution chosenLayout() {
        int index = layoutChoice.getSelectionIndex();
        return index < 0 || index >= layouts.size() ? null : layouts.get(index);
    }

    /** Rebuilds the parameter form from the chosen layout's declaration. */
    private void layoutChosen() {
        for (Control child : parameterForm.getChildren()) {
            child.dispose();
        }
        parameterFields.clear();
        Contribution layout = chosenLayout();
        if (layout != null) {
            layoutChoice.setToolTipText(layout.description());
            for (ParameterSpec spec : layout.parameters()) {
                parameterFields.add(ParameterField.create(parameterForm, spec, MedSynthUi.DATASET_PARAMETER_PREFIX, () -> {
                }));
            }
        }
        ((GridData) parameterForm.getLayoutData()).exclude = parameterFields.isEmpty();
        parameterForm.setVisible(!parameterFields.isEmpty());
        top.layout(true, true);
    }

    private void browse(boolean folder) {
        String chosen;
        if (folder) {
            DirectoryDialog dialog = new DirectoryDialog(top.getShell());
            dialog.setFilterPath(location.getText());
            chosen = dialog.open();
        } else {
            FileDialog dialog = new FileDialog(top.getShell(), SWT.OPEN);
            dialog.setFileName(location.getText());
            chosen = dialog.open();
        }
        if (chosen != null) {
            location.setText(chosen);
            openFromForm();
        }
    }

    /** Opens what the form names: the chosen layout, the location and the parameters as entered. */
    private void openFromForm() {
        Contribution layout = chosenLayout();
        if (layout == null) {
            status.setText("No dataset layout is installed");
            return;
        }
        if (location.getText().isBlank()) {
            status.setText("Choose a folder or a manifest file to open");
            return;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (ParameterField field : parameterFields) {
            String problem = field.problem();
            if (problem != null) {
                status.setText(problem);
                return;
            }
            if (!field.value().isEmpty()) {
                parameters.put(field.name(), field.value());
            }
        }
        open(layout.id(), Path.of(location.getText().trim()), parameters);
    }

    /**
     * Opens {@code root} with the layout {@code layoutId} and its parameters (name → text) in a job, then reads the
     * cases' first images for the preview columns in another; a listing still running is cancelled.
     */
    public void open(String layoutId, Path root, Map<String, String> parameters) {
        if (reading != null) {
            reading.cancel();
        }
        Contribution layout = Contributions.get().require(Kind.ADAPTER, layoutId);
        int index = layouts.indexOf(layout);
        if (index >= 0 && index != layoutChoice.getSelectionIndex()) {
            layoutChoice.select(index);
            layoutChosen();
        }
        location.setText(root.toString());
        clear();
        status.setText("Opening " + root + " as " + layout.name() + "…");
        setPartName("Datasets: " + root.getFileName());
        Job job = Job.create("Open the dataset " + root, (IProgressMonitor monitor) -> {
            Job self = Job.getJobManager().currentJob(); // a later open replaces it as `reading`
            Dataset opened;
            try {
                opened = Dataset.open(layoutId, root, parameters);
            } catch (IOException | IllegalArgumentException e) {
                failed(self, layout, root, e.getMessage());
                return Status.OK_STATUS;
            } catch (CoreException e) {
                failed(self, layout, root, e.getStatus().getMessage());
                return Status.OK_STATUS;
            }
            onUi(() -> {
                if (reading == self) {
                    show(layout, opened);
                }
            });
            SubMonitor progress = SubMonitor.convert(monitor, opened.cases().size());
            for (DatasetCase c : opened.cases()) {
                progress.split(1);
                Preview preview = Previews.of(opened, c);
                onUi(() -> {
                    if (dataset == opened) {
                        showPreview(c, preview);
                    }
                });
            }
            onUi(() -> {
                if (dataset == opened) {
                    status.setText(summary());
                }
            });
            return Status.OK_STATUS;
        });
        job.setSystem(false);
        reading = job;
        job.schedule();
    }

    /** Shows why the layout refused the location: its own words (they name the file and the problem). */
    private void failed(Job opening, Contribution layout, Path root, String message) {
        String why = message == null || message.isBlank() ? "no reason given" : message;
        onUi(() -> {
            if (reading == opening) {
                status.setText("Cannot open " + root + " as " + layout.name() + ": " + why);
                top.layout(true, true);
            }
        });
    }

    private void clear() {
        dataset = null;
        openedLayout = null;
        split = null;
        previews.clear();
        table.removeAll();
        thumbnails.forEach(Image::dispose);
        thumbnails.clear();
        makeSplit.setEnabled(false);
    }

    private void show(Contribution layout, Dataset opened) {
        dataset = opened;
        openedLayout = layout;
        Path root = opened.root();
        splitFile.setText((Files.isDirectory(root) ? root.resolve("split.json")
                : root.resolveSibling(stem(root.getFileName().toString()) + "-split.json")).toString());
        for (DatasetCase c : opened.cases()) {
            TableItem item = new TableItem(table, SWT.NONE);
            item.setData(c);
            item.setText(new String[] { c.id(), c.patientId() == null ? "" : c.patientId(), "", images(root, c),
                    conditions(c), "", "", "", "" });
        }
        makeSplit.setEnabled(!opened.cases().isEmpty());
        status.setText(summary() + "; reading the images…");
        top.layout(true, true);
    }

    private static String stem(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** Each role with its file, relative to the dataset (a DICOM series as its file count). */
    private static String images(Path root, DatasetCase c) {
        List<String> roles = Dataset.roles(c);
        if (roles.equals(List.of(Dataset.SERIES))) {
            return Dataset.SERIES + ": " + c.images().size() + (c.images().size() == 1 ? " file" : " files");
        }
        Path base = Files.isDirectory(root) ? root : root.getParent();
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < roles.size(); i++) {
            Path file = c.images().get(i);
            String shown = base != null && file.startsWith(base) ? base.relativize(file).toString() : file.toString();
            parts.add(roles.size() == 1 && roles.get(0).equals(Dataset.IMAGE) ? shown : roles.get(i) + ": " + shown);
        }
        return String.join(", ", parts);
    }

    /** The case's conditions but the image roles, sorted by name: "age=63, label=tumour". */
    private static String conditions(DatasetCase c) {
        return new TreeMap<>(c.conditions()).entrySet().stream().filter(e -> !e.getKey().equals(Dataset.ROLES))
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    private void showPreview(DatasetCase c, Preview preview) {
        previews.put(c.id(), preview);
        TableItem item = table.getItem(dataset.cases().indexOf(c));
        String[] values = preview.problem() == null
                ? new String[] { preview.size(), preview.spacing(), preview.modality(), preview.origin() }
                : new String[] { "", "", "", "cannot read: " + preview.problem() };
        for (int i = 0; i < values.length; i++) {
            item.setText(FIRST_PREVIEW_COLUMN + i, values[i]);
        }
        if (preview.thumbnail() != null) {
            Image image = new Image(table.getDisplay(), preview.thumbnail());
            thumbnails.add(image);
            item.setImage(0, image);
        }
    }

    private String summary() {
        int count = dataset.cases().size();
        long patients = dataset.cases().stream().map(DatasetCase::patientId).distinct().count();
        long unreadable = previews.values().stream().filter(p -> p.problem() != null).count();
        return count + (count == 1 ? " case" : " cases") + " of " + patients + (patients == 1 ? " patient" : " patients")
                + " in " + dataset.root() + " (" + openedLayout.name() + ")"
                + (unreadable > 0 ? "; " + unreadable + " cannot be read" : "");
    }

    private void makeSplitFromForm() {
        double[] fractions = new double[3];
        Text[] fields = { trainFraction, valFraction, testFraction };
        String[] names = { "train", "val", "test" };
        for (int i = 0; i < 3; i++) {
            try {
                fractions[i] = Double.parseDouble(fields[i].getText().trim());
            } catch (NumberFormatException e) {
                status.setText(names[i] + " fraction: '" + fields[i].getText() + "' is not a number");
                return;
            }
        }
        long seedValue;
        try {
            seedValue = Long.parseLong(seed.getText().trim());
        } catch (NumberFormatException e) {
            status.setText("seed: '" + seed.getText() + "' is not an integer");
            return;
        }
        if (splitFile.getText().isBlank()) {
            status.setText("Choose where the split file goes");
            return;
        }
        makeSplit(fractions[0], fractions[1], fractions[2], seedValue, Path.of(splitFile.getText().trim()));
    }

    /**
     * Splits the open dataset's patients into train/validation/test (fractions of patients, summing to 1), writes the
     * split to {@code file} and shows each case's split; a problem (bad fractions, a case without patient, an unwritable
     * file) is shown in the status line.
     */
    public void makeSplit(double train, double val, double test, long seedValue, Path file) {
        if (dataset == null) {
            status.setText("Open a dataset first");
            return;
        }
        PatientSplit made;
        try {
            made = PatientSplit.create(dataset.cases(), seedValue, train, val, test);
            made.write(file);
        } catch (IllegalArgumentException | IOException e) {
            status.setText("No split made: " + e.getMessage());
            return;
        }
        split = made;
        Map<PatientSplit.Part, Integer> patients = new EnumMap<>(PatientSplit.Part.class);
        made.patients().values().forEach(p -> patients.merge(p, 1, Integer::sum));
        for (TableItem item : table.getItems()) {
            item.setText(SPLIT_COLUMN, made.ofCase(((DatasetCase) item.getData()).id()).key());
        }
        status.setText(String.format(Locale.ROOT, "Split the patients (seed %d): %d train, %d val, %d test; written to %s",
                seedValue, patients.getOrDefault(PatientSplit.Part.TRAIN, 0), patients.getOrDefault(PatientSplit.Part.VAL, 0),
                patients.getOrDefault(PatientSplit.Part.TEST, 0), file));
        top.layout(true, true);
    }

    private void onUi(Runnable action) {
        if (!table.isDisposed()) {
            table.getDisplay().asyncExec(() -> {
                if (!table.isDisposed()) {
                    action.run();
                }
            });
        }
    }

    /** The open dataset, or null. */
    public Dataset dataset() {
        return dataset;
    }

    /** The preview of a case's first image once read, else null. */
    public Preview preview(String caseId) {
        return previews.get(caseId);
    }

    /** The split made last for the open dataset, or null. */
    public PatientSplit split() {
        return split;
    }

    /** Opens the selected case's images, by role, side by side in the image viewer. */
    private void openSelected() {
        TableItem[] selection = table.getSelection();
        if (dataset == null || selection.length == 0) {
            return;
        }
        DatasetCase c = (DatasetCase) selection[0].getData();
        Dataset shown = dataset;
        List<String> roles = Dataset.roles(c);
        List<String> names = roles.stream().map(role -> c.id() + " " + role).toList();
        try {
            ImageViewerView viewer = (ImageViewerView) getSite().getPage().showView(MedSynthUi.VIEWER_VIEW_ID);
            viewer.open(names, index -> {
                if (!roles.get(index).equals(Dataset.SERIES)) {
                    ImageViewerView.checkBudget(c.images().get(index));
                }
                return shown.read(c, roles.get(index));
            });
        } catch (PartInitException e) {
            status.setText("The image viewer could not be opened: " + e.getMessage());
        }
    }

    @Override
    public void setFocus() {
        table.setFocus();
    }

    @Override
    public void dispose() {
        if (reading != null) {
            reading.cancel();
        }
        thumbnails.forEach(Image::dispose);
        super.dispose();
    }
}
