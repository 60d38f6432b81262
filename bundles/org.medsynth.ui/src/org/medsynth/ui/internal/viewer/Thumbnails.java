package org.medsynth.ui.internal.viewer;

import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.PaletteData;
import org.medsynth.core.image.MedicalImage;

/**
 * A small picture of an image: its middle axial slice in its default window and colours, scaled (nearest pixel,
 * spacing respected) to fit a square. Makes only {@link ImageData}, so it runs in jobs; the caller makes the Image.
 */
public final class Thumbnails {
    private Thumbnails() {
    }

    public static ImageData render(MedicalImage<?> image, int maxSize) {
        VolumeSlicer slicer = new VolumeSlicer(image);
        Plane plane = Plane.AXIAL;
        int width = slicer.width(plane);
        int height = slicer.height(plane);
        int slice = slicer.slices(plane) / 2;
        Window window = WindowPresets.forImage(slicer).get(0).window();
        ImageData full = new ImageData(width, height, 24, new PaletteData(0xFF0000, 0xFF00, 0xFF));
        float[] red = new float[width * height];
        slicer.extract(plane, slice, 0, red);
        if (slicer.channels() == 3) {
            float[] green = new float[width * height];
            float[] blue = new float[width * height];
            slicer.extract(plane, slice, 1, green);
            slicer.extract(plane, slice, 2, blue);
            SliceRenderer.renderRgb(red, green, blue, width, height, window, full.data, full.bytesPerLine);
        } else {
            SliceRenderer.renderGrey(red, width, height, window, WindowPresets.defaultColorMap(slicer), full.data,
                    full.bytesPerLine);
        }
        double displayHeight = height * slicer.pixelAspect(plane);
        double scale = maxSize / Math.max(width, displayHeight);
        int scaledWidth = Math.max(1, (int) Math.round(width * scale));
        int scaledHeight = Math.max(1, (int) Math.round(displayHeight * scale));
        return full.scaledTo(scaledWidth, scaledHeight);
    }
}
