package org.medsynth.ui.internal.viewer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Scale;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.ui.part.ViewPart;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.jobs.JobPreferences;
import org.medsynth.core.registry.ImageFormats;
import org.medsynth.ui.MedSynthUi;
import org.medsynth.ui.viewer.Annotation;

/**
 * Shows one image (a 2D image in one pane, a volume in axial, coronal and sagittal panes with linked cursors) or
 * several images side by side (e.g. input, generated, ground truth) with the difference of the last two. Files are
 * read by whatever installed format handles them, in a job; the panes read only the slices they show. A cine plays
 * the time frames of a 3D+t image or the slices of a plane (Play, or space in a pane; Left/Right step one frame).
 */
public class ImageViewerView extends ViewPart {
    private Composite top;
    private Composite panes;
    private Combo presetChoice;
    private Combo colorChoice;
    private Scale opacity;
    private Label status;
    private Button play;
    private Spinner rate;
    private ViewerState state;
    private Cine cine;
    private final List<SlicePane> shown = new ArrayList<>();

    @Override
    public void createPartControl(Composite parent) {
        top = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().margins(2, 2).applyTo(top);
        Composite bar = new Composite(top, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(12).applyTo(bar);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(bar);
        Button open = new Button(bar, SWT.PUSH);
        open.setText("&Open…");
        open.setToolTipText("Open one image, or several to compare (input, generated, ground truth)");
        open.addListener(SWT.Selection, e -> chooseAndOpen());
        new Label(bar, SWT.NONE).setText("&Window:");
        presetChoice = combo(bar, MedSynthUi.VIEWER_WINDOW);
        presetChoice.addListener(SWT.Selection, e -> {
            if (state != null && presetChoice.getSelectionIndex() >= 0) {
                state.setWindow(state.presets().get(presetChoice.getSelectionIndex()).window());
            }
        });
        new Label(bar, SWT.NONE).setText("&Colours:");
        colorChoice = combo(bar, MedSynthUi.VIEWER_COLOR_MAP);
        for (ColorMap map : ColorMap.values()) {
            colorChoice.add(map.label());
        }
        colorChoice.addListener(SWT.Selection, e -> {
            if (state != null) {
                state.setColorMap(ColorMap.values()[colorChoice.getSelectionIndex()]);
            }
        });
        Button labels = new Button(bar, SWT.PUSH);
        labels.setText("&Labels…");
        labels.setToolTipText("Show a label map or mask of the same size over the image");
        labels.addListener(SWT.Selection, e -> chooseLabels());
        new Label(bar, SWT.NONE).setText("O&pacity:");
        opacity = new Scale(bar, SWT.HORIZONTAL);
        opacity.setMaximum(100);
        opacity.setSelection(40);
        opacity.setPageIncrement(10);
        opacity.setData(MedSynthUi.WIDGET_KEY, MedSynthUi.VIEWER_OPACITY);
        opacity.addListener(SWT.Selection, e -> {
            if (state != null) {
                state.setLabelOpacity(opacity.getSelection() / 100.0);
            }
        });
        play = new Button(bar, SWT.PUSH);
        play.setData(MedSynthUi.WIDGET_KEY, MedSynthUi.VIEWER_PLAY);
        play.setToolTipText("Play the time frames of a 3D+t image, or the axial slices, as a film (space in a pane plays its plane)");
        play.setEnabled(false);
        play.addListener(SWT.Selection, e -> {
            if (cine != null) {
                cine.toggle(Plane.AXIAL);
            }
        });
        showPlaying(false);
        new Label(bar, SWT.NONE).setText("&Rate (fps):");
        rate = new Spinner(bar, SWT.BORDER);
        rate.setValues(Cine.DEFAULT_FRAMES_PER_SECOND, 1, Cine.MAX_FRAMES_PER_SECOND, 0, 1, 5);
        rate.setData(MedSynthUi.WIDGET_KEY, MedSynthUi.VIEWER_RATE);
        rate.setToolTipText("Frames per second of the cine");
        rate.addListener(SWT.Selection, e -> {
            if (cine != null) {
                cine.setFramesPerSecond(rate.getSelection());
            }
        });
        status = new Label(bar, SWT.NONE);
        status.setData(MedSynthUi.WIDGET_KEY, MedSynthUi.VIEWER_STATUS);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(status);
        status.setText("Open an image (mouse wheel or Up/Down: slice; drag: window/level; Ctrl+wheel: zoom; space: cine; Left/Right: frame)");
        panes = new Composite(top, SWT.NONE);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(panes);
    }

    private void showPlaying(boolean playing) {
        play.setText(playing ? "Pau&se" : "Pla&y");
        play.getParent().layout();
    }

    private static Combo combo(Composite parent, String widgetName) {
        Combo combo = new Combo(parent, SWT.READ_ONLY | SWT.DROP_DOWN);
        combo.setData(MedSynthUi.WIDGET_KEY, widgetName);
        GridDataFactory.swtDefaults().hint(130, SWT.DEFAULT).applyTo(combo);
        return combo;
    }

    private void chooseAndOpen() {
        FileDialog dialog = new FileDialog(top.getShell(), SWT.OPEN | SWT.MULTI);
        dialog.setFilterExtensions(new String[] { readablePattern(), "*" });
        if (dialog.open() == null) {
            return;
        }
        List<Path> files = new ArrayList<>();
        for (String name : dialog.getFileNames()) {
            files.add(Path.of(dialog.getFilterPath(), name));
        }
        open(files);
    }

    private static String readablePattern() {
        return String.join(";", ImageFormats.get().knownExtensions(false).stream().map(e -> "*." + e).toList());
    }

    private void chooseLabels() {
        if (state == null) {
            return;
        }
        FileDialog dialog = new FileDialog(top.getShell(), SWT.OPEN);
        dialog.setFilterExtensions(new String[] { readablePattern(), "*" });
        String file = dialog.open();
        if (file != null) {
            openLabels(Path.of(file));
        }
    }

    /** Reads the images in a job and shows them: one image alone, several side by side with a difference pane. */
    public void open(List<Path> files) {
        open(files.stream().map(f -> f.getFileName().toString()).toList(), index -> {
            checkBudget(files.get(index));
            return ImageFormats.get().read(files.get(index));
        });
    }

    /** Reads one image of several, in a job. */
    @FunctionalInterface
    public interface ImageReader {
        MedicalImage<?> read(int index) throws Exception;
    }

    /**
     * Reads {@code names.size()} images with {@code reader} in a job and shows them as {@link #open(List)} does,
     * labelled by {@code names} (e.g. the roles of a dataset case); a failure is shown in the status line.
     */
    public void open(List<String> names, ImageReader reader) {
        status.setText("Reading " + names.get(0) + (names.size() > 1 ? " and " + (names.size() - 1) + " more" : "") + "…");
        Job.create("Read " + names.get(0), monitor -> {
            SubMonitor progress = SubMonitor.convert(monitor, names.size() + 1);
            List<VolumeSlicer> slicers = new ArrayList<>();
            try {
                for (int i = 0; i < names.size(); i++) {
                    slicers.add(new VolumeSlicer(reader.read(i)));
                    progress.split(1);
                }
                List<WindowPresets.Preset> presets = WindowPresets.forImage(slicers.get(0));
                progress.split(1);
                onUiThread(() -> show(new ViewerState(slicers, names, presets)));
                return Status.OK_STATUS;
            } catch (Exception e) {
                String message = e.getMessage() == null ? e.toString() : e.getMessage();
                onUiThread(() -> status.setText(message));
                return Status.info(message); // shown in the view; a log entry would add nothing
            }
        }).schedule();
    }

    /**
     * Refuses a file larger than the memory budget (Preferences > MedSynth) before reading it: its size on disk is
     * what an uncompressed image takes in memory, and a lower bound for a compressed one.
     */
    public static void checkBudget(Path file) throws IOException {
        long budget = JobPreferences.memoryBudgetMb() * (1L << 20);
        long size = Files.size(file);
        if (size > budget) {
            throw new IOException(file.getFileName() + " is " + (size >> 20) + " MiB, more than the memory budget of "
                    + JobPreferences.memoryBudgetMb() + " MiB (Window > Preferences > MedSynth)");
        }
    }

    /** Reads a label map in a job and blends it over the shown image. */
    public void openLabels(Path file) {
        Job.create("Read " + file.getFileName(), (IProgressMonitor monitor) -> {
            try {
                checkBudget(file);
                MedicalImage<?> labelMap = ImageFormats.get().read(file);
                onUiThread(() -> {
                    try {
                        state.setLabels(new VolumeSlicer(labelMap));
                        status.setText("Labels: " + file.getFileName());
                    } catch (IllegalArgumentException e) {
                        status.setText(file.getFileName() + ": " + e.getMessage());
                    }
                });
                return Status.OK_STATUS;
            } catch (Exception e) {
                onUiThread(() -> status.setText(e.getMessage()));
                return Status.info(String.valueOf(e.getMessage()));
            }
        }).schedule();
    }

    private void onUiThread(Runnable action) {
        if (!top.isDisposed()) {
            top.getDisplay().asyncExec(() -> {
                if (!top.isDisposed()) {
                    action.run();
                }
            });
        }
    }

    private void show(ViewerState newState) {
        if (cine != null) {
            cine.dispose();
        }
        for (Control child : panes.getChildren()) {
            child.dispose();
        }
        shown.clear();
        state = newState;
        VolumeSlicer first = state.images().get(0);
        if (state.images().size() > 1) {
            int columns = state.images().size() + 1;
            GridLayoutFactory.fillDefaults().numColumns(columns).equalWidth(true).spacing(2, 2).applyTo(panes);
            for (int i = 0; i < state.images().size(); i++) {
                addPane(Plane.AXIAL, i);
            }
            addPane(Plane.AXIAL, SlicePane.DIFFERENCE);
        } else if (first.isVolume()) {
            GridLayoutFactory.fillDefaults().numColumns(3).equalWidth(true).spacing(2, 2).applyTo(panes);
            for (Plane plane : Plane.values()) {
                addPane(plane, 0);
            }
        } else {
            GridLayoutFactory.fillDefaults().applyTo(panes);
            addPane(Plane.AXIAL, 0);
        }
        presetChoice.removeAll();
        state.presets().forEach(p -> presetChoice.add(p.name()));
        presetChoice.select(0);
        colorChoice.select(state.colorMap().ordinal());
        colorChoice.setEnabled(first.channels() != 3);
        state.setLabelOpacity(opacity.getSelection() / 100.0);
        MedicalImage<?> image = first.image();
        status.setText(state.names().get(0) + ": " + first.size(0) + "×" + first.size(1)
                + (first.isVolume() ? "×" + first.size(2) : "") + " px, " + spacingText(first) + " mm, "
                + image.modality().dicomCode() + ", " + image.unit().symbol()
                + (image.isSynthetic() ? ", synthetic (" + image.provenance().generatorId() + ")" : ""));
        cine = new Cine(state, shown, top.getDisplay());
        cine.setFramesPerSecond(rate.getSelection());
        cine.addPlayingListener(() -> showPlaying(cine.isPlaying()));
        play.setEnabled(state.frames() > 1 || first.isVolume());
        showPlaying(false);
        panes.layout(true, true);
        shown.get(0).setFocus();
        setPartName("Image viewer: " + state.names().get(0));
    }

    private static String spacingText(VolumeSlicer s) {
        StringBuilder text = new StringBuilder();
        for (int axis = 0; axis < (s.isVolume() ? 3 : 2); axis++) {
            text.append(axis == 0 ? "" : "×").append(String.format(java.util.Locale.ROOT, "%.3g", s.spacing(axis)));
        }
        return text.toString();
    }

    private void addPane(Plane plane, int imageIndex) {
        SlicePane pane = new SlicePane(panes, state, plane, imageIndex);
        pane.setData(MedSynthUi.WIDGET_KEY, MedSynthUi.VIEWER_PANE_PREFIX + plane.name().toLowerCase(java.util.Locale.ROOT)
                + (imageIndex == SlicePane.DIFFERENCE ? ".difference" : state.images().size() > 1 ? "." + imageIndex : ""));
        GridDataFactory.fillDefaults().grab(true, true).hint(200, 200).applyTo(pane);
        pane.addListener(SWT.KeyDown, e -> cineKey(pane, e));
        shown.add(pane);
    }

    /** Space plays or pauses the cine in the pane's plane; Left/Right step it by one frame. */
    private void cineKey(SlicePane pane, Event e) {
        if (e.character == ' ') {
            cine.toggle(pane.plane());
        } else if (e.keyCode == SWT.ARROW_LEFT || e.keyCode == SWT.ARROW_RIGHT) {
            cine.step(pane.plane(), e.keyCode == SWT.ARROW_RIGHT ? 1 : -1);
        } else {
            return;
        }
        e.doit = false;
    }

    /** The cine of the shown images, or null before an image is shown. */
    public Cine cine() {
        return cine;
    }

    /** The shared state once an image is shown, else null. */
    public ViewerState state() {
        return state;
    }

    /** Draws landmarks and lines (e.g. Cobb lines) over the shown image. */
    public void setAnnotations(List<Annotation> annotations) {
        if (state != null) {
            state.setAnnotations(annotations);
        }
    }

    @Override
    public void dispose() {
        if (cine != null) {
            cine.dispose();
        }
        super.dispose();
    }

    @Override
    public void setFocus() {
        if (shown.isEmpty()) {
            top.setFocus();
        } else {
            shown.get(0).setFocus();
        }
    }
}
