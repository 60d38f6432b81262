package org.medsynth.ui.internal.viewer;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.ListenerList;
import org.medsynth.ui.viewer.Annotation;

/**
 * What every pane of one viewer shares: the images, the linked cursor (a voxel), the time frame of a 3D+t image,
 * window, colour map, zoom, label overlay and annotations. Changing any of them tells the panes, which re-render their
 * one slice. UI thread only; {@link #images()} and a {@link Look} may be read on any thread.
 */
public final class ViewerState {
    /** What a slice's pixels depend on besides its position: immutable, so a background renderer can hold one. */
    public record Look(Window window, ColorMap colorMap, VolumeSlicer labels, double labelOpacity) {
    }

    private final List<VolumeSlicer> images;
    private final List<String> names;
    private final List<WindowPresets.Preset> presets;
    private final int[] cursor = new int[3];
    private int frame;
    private final ListenerList<Runnable> listeners = new ListenerList<>();
    private Window window;
    private ColorMap colorMap;
    private double zoom = 1;
    private VolumeSlicer labels;
    private double labelOpacity = 0.4;
    private List<Annotation> annotations = List.of();

    public ViewerState(List<VolumeSlicer> images, List<String> names, List<WindowPresets.Preset> presets) {
        this.images = List.copyOf(images);
        this.names = List.copyOf(names);
        this.presets = List.copyOf(presets);
        VolumeSlicer first = images.get(0);
        for (int axis = 0; axis < 3; axis++) {
            cursor[axis] = first.size(axis) / 2;
        }
        window = presets.get(0).window();
        colorMap = WindowPresets.defaultColorMap(first);
    }

    public List<VolumeSlicer> images() {
        return images;
    }

    public List<String> names() {
        return names;
    }

    public List<WindowPresets.Preset> presets() {
        return presets;
    }

    /** Whether a difference pane is shown: for two or more images, the second-to-last minus the last. */
    public boolean hasDifference() {
        return images.size() >= 2;
    }

    public int[] cursor() {
        return cursor.clone();
    }

    /** Moves the linked cursor (clamped to the first image). */
    public void setCursor(int axis, int index) {
        int clamped = Math.max(0, Math.min(images.get(0).size(axis) - 1, index));
        if (cursor[axis] != clamped) {
            cursor[axis] = clamped;
            changed();
        }
    }

    /**
     * Time frames of the first image: the entries of its channel axis for a 3D+t image (any count but 3, which is
     * shown as colour), else 1.
     */
    public int frames() {
        int channels = images.get(0).channels();
        return channels == 3 ? 1 : channels;
    }

    /** The time frame shown (0 for an image without frames). */
    public int frame() {
        return frame;
    }

    /** Shows another time frame (clamped to the frames there are). */
    public void setFrame(int index) {
        int clamped = Math.max(0, Math.min(frames() - 1, index));
        if (frame != clamped) {
            frame = clamped;
            changed();
        }
    }

    /** Window, colours and label overlay as they are now. */
    public Look look() {
        return new Look(window, colorMap, labels, labelOpacity);
    }

    public Window window() {
        return window;
    }

    public void setWindow(Window newWindow) {
        window = newWindow;
        changed();
    }

    /** Intensity units per dragged screen pixel: the full automatic range over about two screen widths. */
    public double windowSensitivity() {
        return presets.get(presets.size() - 1).window().width() / 1024;
    }

    public ColorMap colorMap() {
        return colorMap;
    }

    public void setColorMap(ColorMap map) {
        colorMap = map;
        changed();
    }

    public double zoom() {
        return zoom;
    }

    public void setZoom(double factor) {
        zoom = Math.max(0.1, Math.min(64, factor));
        changed();
    }

    public VolumeSlicer labels() {
        return labels;
    }

    /** Shows a label map over the images; it must have the first image's size. */
    public void setLabels(VolumeSlicer labelMap) {
        if (labelMap != null) {
            for (int axis = 0; axis < 3; axis++) {
                if (labelMap.size(axis) != images.get(0).size(axis)) {
                    throw new IllegalArgumentException("the label map is " + size(labelMap) + ", the image "
                            + size(images.get(0)));
                }
            }
        }
        labels = labelMap;
        changed();
    }

    private static String size(VolumeSlicer s) {
        return s.size(0) + "×" + s.size(1) + "×" + s.size(2);
    }

    public double labelOpacity() {
        return labelOpacity;
    }

    public void setLabelOpacity(double opacity) {
        labelOpacity = Math.max(0, Math.min(1, opacity));
        changed();
    }

    public List<Annotation> annotations() {
        return annotations;
    }

    public void setAnnotations(List<Annotation> shown) {
        annotations = new ArrayList<>(shown);
        changed();
    }

    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    private void changed() {
        listeners.forEach(Runnable::run);
    }
}
