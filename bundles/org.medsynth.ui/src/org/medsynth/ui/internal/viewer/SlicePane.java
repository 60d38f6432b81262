package org.medsynth.ui.internal.viewer;

import java.util.Locale;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.PaletteData;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Event;
import org.medsynth.ui.viewer.Annotation;

/**
 * One slice of one image (or of the difference of two) in one plane. When the shared state changes the pane reads
 * only its visible slice into buffers it keeps (values and one 24-bit {@link ImageData}), so a repaint never copies the
 * volume; a cine renders its frames elsewhere and {@link #offer}s them. Mouse: click sets the linked cursor, drag changes window/level, shift-drag or middle-drag pans, wheel
 * scrolls slices (Ctrl+wheel zooms). Keys: Up/Down and Page Up/Down scroll, Home/End jump, +/- zoom, 0 resets the view.
 */
public final class SlicePane extends Canvas {
    /** Where and how a slice was rendered: equal keys give equal pixels. */
    private record Key(int slice, int frame, ViewerState.Look look) {
    }

    /** Marks the difference pane in place of an image index. */
    public static final int DIFFERENCE = -1;
    private static final int DRAG_THRESHOLD = 3;
    private static final double ZOOM_STEP = 1.15;
    private static final int PAGE = 10;

    private final ViewerState state;
    private final Plane plane;
    private final int imageIndex;
    private final Runnable onChange = this::render;
    private float[] values = new float[0];
    private float[] second = new float[0];
    private float[] third = new float[0];
    private ImageData own;
    private ImageData rendered;
    private Key renderedKey;
    private Key offeredKey;
    private ImageData offered;
    private Image image;
    private double offsetX;
    private double offsetY;
    private double scaleX;
    private double scaleY;
    private int panX;
    private int panY;
    private Point dragStart;
    private Window dragWindow;
    private boolean dragging;
    private boolean panning;

    public SlicePane(Composite parent, ViewerState state, Plane plane, int imageIndex) {
        super(parent, SWT.DOUBLE_BUFFERED | SWT.NO_BACKGROUND);
        this.state = state;
        this.plane = plane;
        this.imageIndex = imageIndex;
        state.addListener(onChange);
        addListener(SWT.Paint, e -> paint(e.gc));
        addListener(SWT.Resize, e -> redraw());
        addListener(SWT.MouseDown, this::mouseDown);
        addListener(SWT.MouseMove, this::mouseMove);
        addListener(SWT.MouseUp, this::mouseUp);
        addListener(SWT.MouseVerticalWheel, this::wheel);
        addListener(SWT.KeyDown, this::key);
        // keyboard users move between panes and the rest of the view with Tab
        addListener(SWT.Traverse, e -> e.doit = e.detail == SWT.TRAVERSE_TAB_NEXT || e.detail == SWT.TRAVERSE_TAB_PREVIOUS);
        addListener(SWT.FocusIn, e -> redraw());
        addListener(SWT.FocusOut, e -> redraw());
        addListener(SWT.Dispose, e -> {
            state.removeListener(onChange);
            if (image != null) {
                image.dispose();
            }
        });
        render();
    }

    public Plane plane() {
        return plane;
    }

    /** The slice index shown: the linked cursor along this plane's normal. */
    public int sliceIndex() {
        return state.cursor()[plane.normalAxis()];
    }

    /** The pixels of the current slice as last rendered (row 0 at the top, one pixel per image pixel). */
    public ImageData renderedPixels() {
        return rendered;
    }

    private VolumeSlicer source() {
        return state.images().get(imageIndex == DIFFERENCE ? state.images().size() - 2 : imageIndex);
    }

    /**
     * Shows the visible slice: one handed in by {@link #offer} for exactly this position and look, else read and
     * rendered into the kept buffers; nothing is re-read when only the cursor lines, zoom or annotations changed.
     */
    private void render() {
        if (isDisposed()) {
            return;
        }
        Key key = new Key(sliceIndex(), state.frame(), state.look());
        if (!key.equals(renderedKey)) {
            if (key.equals(offeredKey)) {
                rendered = offered;
            } else {
                VolumeSlicer slicer = source();
                int count = slicer.width(plane) * slicer.height(plane);
                if (values.length != count) {
                    values = new float[count];
                    second = new float[count];
                    third = new float[count];
                    own = new ImageData(slicer.width(plane), slicer.height(plane), 24, new PaletteData(0xFF0000, 0xFF00, 0xFF));
                }
                renderInto(key, values, second, third, own);
                rendered = own;
            }
            renderedKey = key;
            if (image != null) {
                image.dispose();
            }
            image = new Image(getDisplay(), rendered);
        }
        offered = null;
        offeredKey = null;
        redraw();
    }

    /**
     * Renders slice {@code slice} of time frame {@code frame} as it would look in {@code look}, into new buffers: runs
     * on any thread (a cine's), touching no widget.
     */
    public ImageData prepare(int slice, int frame, ViewerState.Look look) {
        VolumeSlicer slicer = source();
        int count = slicer.width(plane) * slicer.height(plane);
        ImageData pixels = new ImageData(slicer.width(plane), slicer.height(plane), 24, new PaletteData(0xFF0000, 0xFF00, 0xFF));
        renderInto(new Key(slice, frame, look), new float[count], new float[count], new float[count], pixels);
        return pixels;
    }

    /** Hands in what {@link #prepare} made, to be shown instead of rendering when the state reaches that position. */
    public void offer(int slice, int frame, ViewerState.Look look, ImageData pixels) {
        offeredKey = new Key(slice, frame, look);
        offered = pixels;
    }

    private void renderInto(Key key, float[] first, float[] two, float[] three, ImageData out) {
        VolumeSlicer slicer = source();
        int width = slicer.width(plane);
        int height = slicer.height(plane);
        int count = width * height;
        int index = key.slice();
        Window window = key.look().window();
        if (imageIndex == DIFFERENCE) {
            VolumeSlicer last = state.images().get(state.images().size() - 1);
            slicer.extract(plane, index, channelOf(slicer, key.frame()), first);
            last.extract(plane, index, channelOf(last, key.frame()), two);
            SliceRenderer.difference(first, two, count, first);
            SliceRenderer.renderGrey(first, width, height, new Window(0, window.width()), ColorMap.GREY, out.data,
                    out.bytesPerLine);
        } else if (slicer.channels() == 3) {
            slicer.extract(plane, index, 0, first);
            slicer.extract(plane, index, 1, two);
            slicer.extract(plane, index, 2, three);
            SliceRenderer.renderRgb(first, two, three, width, height, window, out.data, out.bytesPerLine);
        } else {
            slicer.extract(plane, index, channelOf(slicer, key.frame()), first);
            SliceRenderer.renderGrey(first, width, height, window, key.look().colorMap(), out.data, out.bytesPerLine);
        }
        VolumeSlicer labels = key.look().labels();
        if (labels != null && imageIndex != DIFFERENCE && key.look().labelOpacity() > 0) {
            labels.extract(plane, index, 0, two);
            SliceRenderer.blendLabels(two, width, height, key.look().labelOpacity(), out.data, out.bytesPerLine);
        }
    }

    /** The channel holding a time frame: frames past an image's last (a shorter series beside it) show its last. */
    private static int channelOf(VolumeSlicer slicer, int frame) {
        return slicer.channels() == 3 ? 0 : Math.min(frame, slicer.channels() - 1);
    }

    private void paint(GC gc) {
        Rectangle area = getClientArea();
        gc.setBackground(getDisplay().getSystemColor(SWT.COLOR_BLACK));
        gc.fillRectangle(area);
        VolumeSlicer slicer = source();
        int width = slicer.width(plane);
        int height = slicer.height(plane);
        double aspect = slicer.pixelAspect(plane);
        double fit = Math.min(area.width / (double) width, area.height / (height * aspect));
        scaleX = fit * state.zoom();
        scaleY = scaleX * aspect;
        offsetX = (area.width - width * scaleX) / 2 + panX;
        offsetY = (area.height - height * scaleY) / 2 + panY;
        gc.setInterpolation(SWT.NONE);
        gc.drawImage(image, 0, 0, width, height, (int) Math.round(offsetX), (int) Math.round(offsetY),
                (int) Math.round(width * scaleX), (int) Math.round(height * scaleY));
        paintCursor(gc, slicer);
        paintAnnotations(gc);
        paintText(gc, slicer);
        if (isFocusControl()) {
            gc.setForeground(getDisplay().getSystemColor(SWT.COLOR_LIST_SELECTION));
            gc.drawRectangle(0, 0, area.width - 1, area.height - 1);
        }
    }

    private void paintCursor(GC gc, VolumeSlicer slicer) {
        if (!slicer.isVolume()) {
            return;
        }
        int[] cursor = state.cursor();
        int x = (int) Math.round(screenX(cursor[plane.horizontalAxis()] + 0.5));
        int y = (int) Math.round(screenY(cursor[plane.verticalAxis()] + 0.5));
        gc.setForeground(getDisplay().getSystemColor(SWT.COLOR_GREEN));
        gc.setLineStyle(SWT.LINE_DOT);
        Rectangle area = getClientArea();
        gc.drawLine(x, 0, x, area.height);
        gc.drawLine(0, y, area.width, y);
        gc.setLineStyle(SWT.LINE_SOLID);
    }

    private void paintAnnotations(GC gc) {
        gc.setForeground(getDisplay().getSystemColor(SWT.COLOR_YELLOW));
        gc.setLineWidth(2);
        int slice = sliceIndex();
        for (Annotation annotation : state.annotations()) {
            if (annotation.points().stream().anyMatch(p -> Math.abs(p[plane.normalAxis()] - slice) > 0.5)) {
                continue;
            }
            double[] first = annotation.points().get(0);
            int x = (int) Math.round(screenX(first[plane.horizontalAxis()] + 0.5));
            int y = (int) Math.round(screenY(first[plane.verticalAxis()] + 0.5));
            if (annotation.isLine()) {
                double[] last = annotation.points().get(1);
                gc.drawLine(x, y, (int) Math.round(screenX(last[plane.horizontalAxis()] + 0.5)),
                        (int) Math.round(screenY(last[plane.verticalAxis()] + 0.5)));
            } else {
                gc.drawOval(x - 4, y - 4, 8, 8);
            }
            gc.drawText(annotation.label(), x + 6, y + 2, true);
        }
        gc.setLineWidth(1);
    }

    private void paintText(GC gc, VolumeSlicer slicer) {
        gc.setForeground(getDisplay().getSystemColor(SWT.COLOR_WHITE));
        String name = imageIndex == DIFFERENCE
                ? state.names().get(state.names().size() - 2) + " − " + state.names().get(state.names().size() - 1)
                : state.names().get(imageIndex);
        String title = slicer.isVolume()
                ? String.format(Locale.ROOT, "%s  %s %d/%d", name, plane.label(), sliceIndex() + 1, slicer.slices(plane))
                : name;
        if (state.frames() > 1) {
            title += String.format(Locale.ROOT, "  t %d/%d", state.frame() + 1, state.frames());
        }
        gc.drawText(title, 4, 2, true);
        Window w = state.window();
        int[] cursor = state.cursor();
        String info = String.format(Locale.ROOT, "W %.4g  L %.4g  |  (%d, %d, %d) = %.5g", w.width(), w.center(),
                cursor[0], cursor[1], cursor[2], slicer.value(cursor, channelOf(slicer, state.frame())));
        gc.drawText(info, 4, getClientArea().height - gc.getFontMetrics().getHeight() - 2, true);
    }

    /** Screen x of a continuous pixel coordinate along the horizontal axis. */
    private double screenX(double pixel) {
        return offsetX + pixel * scaleX;
    }

    private double screenY(double pixel) {
        int height = source().height(plane);
        double row = plane.flipVertical() ? height - pixel : pixel;
        return offsetY + row * scaleY;
    }

    private void mouseDown(Event e) {
        forceFocus();
        dragStart = new Point(e.x, e.y);
        dragWindow = state.window();
        dragging = false;
        panning = e.button == 2 || (e.button == 1 && (e.stateMask & SWT.SHIFT) != 0);
    }

    private void mouseMove(Event e) {
        if (dragStart == null) {
            return;
        }
        int dx = e.x - dragStart.x;
        int dy = e.y - dragStart.y;
        if (!dragging && Math.abs(dx) + Math.abs(dy) < DRAG_THRESHOLD) {
            return;
        }
        dragging = true;
        if (panning) {
            panX += e.x - dragStart.x;
            panY += e.y - dragStart.y;
            dragStart = new Point(e.x, e.y);
            redraw();
        } else {
            state.setWindow(dragWindow.dragged(dx, dy, state.windowSensitivity()));
        }
    }

    private void mouseUp(Event e) {
        if (dragStart != null && !dragging && e.button == 1) {
            moveCursorTo(e.x, e.y);
        }
        dragStart = null;
    }

    /** Sets the linked cursor's in-plane coordinates to the pixel under a screen point. */
    private void moveCursorTo(int x, int y) {
        VolumeSlicer slicer = source();
        int column = (int) Math.floor((x - offsetX) / scaleX);
        int row = (int) Math.floor((y - offsetY) / scaleY);
        int height = slicer.height(plane);
        if (column < 0 || row < 0 || column >= slicer.width(plane) || row >= height) {
            return;
        }
        state.setCursor(plane.horizontalAxis(), column);
        state.setCursor(plane.verticalAxis(), plane.flipVertical() ? height - 1 - row : row);
    }

    private void wheel(Event e) {
        if ((e.stateMask & SWT.MOD1) != 0) {
            state.setZoom(state.zoom() * Math.pow(ZOOM_STEP, Integer.signum(e.count)));
        } else {
            scroll(Integer.signum(e.count));
        }
        e.doit = false;
    }

    /** Moves this plane's slice by {@code delta}; the linked cursor moves with it. */
    public void scroll(int delta) {
        state.setCursor(plane.normalAxis(), sliceIndex() + delta);
    }

    private void key(Event e) {
        switch (e.keyCode) {
            case SWT.ARROW_UP -> scroll(1);
            case SWT.ARROW_DOWN -> scroll(-1);
            case SWT.PAGE_UP -> scroll(PAGE);
            case SWT.PAGE_DOWN -> scroll(-PAGE);
            case SWT.HOME -> state.setCursor(plane.normalAxis(), 0);
            case SWT.END -> state.setCursor(plane.normalAxis(), source().slices(plane) - 1);
            default -> {
                switch (e.character) {
                    case '+', '=' -> state.setZoom(state.zoom() * ZOOM_STEP);
                    case '-' -> state.setZoom(state.zoom() / ZOOM_STEP);
                    case '0' -> {
                        panX = 0;
                        panY = 0;
                        state.setZoom(1);
                    }
                    default -> {
                        return;
                    }
                }
            }
        }
        e.doit = false;
    }
}
