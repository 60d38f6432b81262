package org.medsynth.ui.internal.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.part.ViewPart;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.jobs.JobPreferences;
import org.medsynth.core.registry.ImageFormats;
import org.medsynth.ui.MedSynthUi;
import org.medsynth.ui.internal.viewer.Thumbnails;
import org.medsynth.ui.viewer.ImageViewers;

/**
 * The images in a folder (and its subfolders, a few levels deep): every file an installed format reads, with a
 * thumbnail, size, spacing, modality, unit and whether it is synthetic. Files are read in a job and listed as they
 * are read; one that cannot be read is listed with the reason. Double-click or Enter opens the selection in the viewer
 * (several side by side).
 */
public class DatasetExplorerView extends ViewPart {
    /** Case folders (patient/study/series) are rarely deeper. */
    private static final int MAX_DEPTH = 4;
    private static final int THUMBNAIL = 48;

    /** One listed file: what was read of it, or why it could not be. */
    public record Case(Path file, String size, String spacing, String modality, String unit, String origin,
            ImageData thumbnail, String problem) {
    }

    private Table table;
    private Label status;
    private Path folder;
    private Job reading;
    private final List<Case> cases = new ArrayList<>();
    private final List<Image> thumbnails = new ArrayList<>();

    @Override
    public void createPartControl(Composite parent) {
        Composite top = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().margins(2, 2).applyTo(top);
        Composite bar = new Composite(top, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(3).applyTo(bar);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(bar);
        Button choose = new Button(bar, SWT.PUSH);
        choose.setText("Open &folder…");
        choose.addListener(SWT.Selection, e -> {
            String chosen = new DirectoryDialog(top.getShell()).open();
            if (chosen != null) {
                open(Path.of(chosen));
            }
        });
        Button view = new Button(bar, SWT.PUSH);
        view.setText("Open in &viewer");
        view.setToolTipText("Show the selected images (several side by side) in the image viewer (or double-click)");
        view.setData(MedSynthUi.WIDGET_KEY, MedSynthUi.DATASET_OPEN);
        view.addListener(SWT.Selection, e -> openSelected());
        status = new Label(bar, SWT.NONE);
        status.setData(MedSynthUi.WIDGET_KEY, MedSynthUi.DATASET_STATUS);
        status.setText("Open a folder of images (" + String.join(", ", ImageFormats.get().knownExtensions(false)) + ")");
        GridDataFactory.fillDefaults().grab(true, false).applyTo(status);

        table = new Table(top, SWT.MULTI | SWT.FULL_SELECTION | SWT.BORDER | SWT.V_SCROLL | SWT.H_SCROLL);
        table.setHeaderVisible(true);
        table.setLinesVisible(true);
        table.setData(MedSynthUi.WIDGET_KEY, MedSynthUi.DATASET_TABLE);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(table);
        String[] titles = { "File", "Size (px)", "Spacing (mm)", "Modality", "Unit", "Origin" };
        int[] widths = { 260, 110, 130, 70, 60, 260 };
        for (int i = 0; i < titles.length; i++) {
            TableColumn column = new TableColumn(table, SWT.LEFT);
            column.setText(titles[i]);
            column.setWidth(widths[i]);
        }
        table.addListener(SWT.DefaultSelection, e -> openSelected());
    }

    /** Lists the readable images under {@code root}, reading them in a job (a running listing is cancelled). */
    public void open(Path root) {
        if (reading != null) {
            reading.cancel();
        }
        folder = root;
        cases.clear();
        table.removeAll();
        thumbnails.forEach(Image::dispose);
        thumbnails.clear();
        status.setText("Reading " + root + "…");
        setPartName("Datasets: " + root.getFileName());
        Job job = Job.create("List the images in " + root, (IProgressMonitor monitor) -> {
            List<Path> files;
            try {
                files = readableFiles(root);
            } catch (IOException e) {
                onUi(() -> status.setText("Cannot list " + root + ": " + e.getMessage()));
                return Status.OK_STATUS;
            }
            SubMonitor progress = SubMonitor.convert(monitor, files.size());
            for (Path file : files) {
                progress.split(1);
                Case read = read(file);
                onUi(() -> {
                    if (root.equals(folder)) {
                        add(read);
                    }
                });
            }
            onUi(() -> {
                if (root.equals(folder)) {
                    status.setText(files.size() + (files.size() == 1 ? " image" : " images") + " in " + root);
                    status.getParent().layout();
                }
            });
            return Status.OK_STATUS;
        });
        job.setSystem(false);
        reading = job;
        job.schedule();
    }

    /** Files below {@code root} that an installed format reads, in path order; hidden files and folders skipped. */
    static List<Path> readableFiles(Path root) throws IOException {
        ImageFormats formats = ImageFormats.get();
        try (Stream<Path> walk = Files.walk(root, MAX_DEPTH)) {
            return walk.filter(Files::isRegularFile).filter(p -> !hidden(root, p)).filter(p -> formats.forFile(p, false).isPresent()).sorted().toList();
        }
    }

    private static boolean hidden(Path root, Path file) {
        for (Path part : root.relativize(file)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static Case read(Path file) {
        try {
            long budget = JobPreferences.memoryBudgetMb() * (1L << 20);
            if (Files.size(file) > budget) {
                return problem(file, "larger than the memory budget of " + JobPreferences.memoryBudgetMb() + " MiB");
            }
            MedicalImage<?> image = ImageFormats.get().read(file);
            long[] dims = image.dimensions();
            int spatial = image.geometry().dimensions();
            StringBuilder size = new StringBuilder();
            StringBuilder spacing = new StringBuilder();
            for (int axis = 0; axis < spatial; axis++) {
                size.append(axis == 0 ? "" : "×").append(dims[axis]);
                spacing.append(axis == 0 ? "" : "×")
                        .append(String.format(Locale.ROOT, "%.3g", image.geometry().spacing(axis)));
            }
            if (image.channels() > 1) {
                size.append(" (").append(image.channels()).append(" channels)");
            }
            String origin = image.isSynthetic() ? "synthetic: " + image.provenance().generatorId() : "acquired";
            return new Case(file, size.toString(), spacing.toString(), image.modality().dicomCode(),
                    image.unit().symbol(), origin, Thumbnails.render(image, THUMBNAIL), null);
        } catch (Exception e) {
            return problem(file, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private static Case problem(Path file, String why) {
        return new Case(file, "", "", "", "", why, null, why);
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

    private void add(Case read) {
        cases.add(read);
        TableItem item = new TableItem(table, SWT.NONE);
        item.setData(read);
        item.setText(new String[] { folder.relativize(read.file()).toString(), read.size(), read.spacing(),
                read.modality(), read.unit(), read.origin() });
        if (read.thumbnail() != null) {
            Image image = new Image(table.getDisplay(), read.thumbnail());
            thumbnails.add(image);
            item.setImage(0, image);
        }
    }

    /** The files listed so far, in order. */
    public List<Case> cases() {
        return List.copyOf(cases);
    }

    private void openSelected() {
        List<Path> files = new ArrayList<>();
        for (TableItem item : table.getSelection()) {
            if (item.getData() instanceof Case c && c.problem() == null) {
                files.add(c.file());
            }
        }
        if (files.isEmpty()) {
            return;
        }
        try {
            ImageViewers.open(getSite().getPage(), files);
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
