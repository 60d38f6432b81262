package org.medsynth.ui.internal.viewer;

/**
 * A display window (centre and width in the image's intensity unit), mapped to 0..255 by DICOM's LINEAR_EXACT VOI
 * function (PS3.3 C.11.2.1.3.2), which unlike LINEAR allows widths below 1, as float images in arbitrary units need.
 */
public record Window(double center, double width) {
    public Window {
        if (!(width > 0) || !Double.isFinite(width) || !Double.isFinite(center)) {
            throw new IllegalArgumentException("window needs a finite centre and a positive width: " + center + "/" + width);
        }
    }

    /** The window spanning {@code low..high}; a flat range gets width 1 so the image still shows. */
    public static Window ofRange(double low, double high) {
        double width = high > low ? high - low : 1;
        return new Window(high > low ? (low + high) / 2 : low, width);
    }

    public double lower() {
        return center - width / 2;
    }

    public double upper() {
        return center + width / 2;
    }

    /** The grey level 0..255 of a value. */
    public int level(double value) {
        if (value <= lower()) {
            return 0;
        }
        if (value > upper()) {
            return 255;
        }
        return (int) Math.round(((value - center) / width + 0.5) * 255);
    }

    /**
     * The window after dragging by {@code dx, dy} screen pixels (right widens, down raises the centre, as in most
     * PACS viewers); {@code sensitivity} is intensity units per pixel.
     */
    public Window dragged(int dx, int dy, double sensitivity) {
        return new Window(center + dy * sensitivity, Math.max(width + dx * sensitivity, sensitivity));
    }
}
