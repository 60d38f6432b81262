package org.medsynth.ui.internal.viewer;

/**
 * Turns slice values into 24-bit RGB rows (red, green, blue bytes; the layout of an SWT {@code ImageData} of depth 24
 * with masks 0xFF0000, 0xFF00, 0xFF), optionally blending a label map over them. No UI resources: the pane owns the
 * buffers and reuses them for every repaint.
 */
public final class SliceRenderer {
    /** Colours of labels 1, 2, ... (repeating); label 0 is background and never drawn. */
    private static final int[] LABEL_COLOURS = { 0xE6194B, 0x3CB44B, 0xFFE119, 0x4363D8, 0xF58231, 0x911EB4, 0x46F0F0,
            0xF032E6, 0xBCF60C, 0xFABEBE, 0x008080, 0xE6BEFF };

    private SliceRenderer() {
    }

    /** One channel through a window and a colour map. */
    public static void renderGrey(float[] values, int width, int height, Window window, ColorMap map, byte[] out,
            int bytesPerLine) {
        for (int row = 0; row < height; row++) {
            int o = row * bytesPerLine;
            int v = row * width;
            for (int column = 0; column < width; column++, o += 3) {
                put(out, o, map.rgb(window.level(values[v + column])));
            }
        }
    }

    /** Three channels as true colour, each through the same window. */
    public static void renderRgb(float[] red, float[] green, float[] blue, int width, int height, Window window,
            byte[] out, int bytesPerLine) {
        for (int row = 0; row < height; row++) {
            int o = row * bytesPerLine;
            int v = row * width;
            for (int column = 0; column < width; column++, o += 3) {
                int i = v + column;
                out[o] = (byte) window.level(red[i]);
                out[o + 1] = (byte) window.level(green[i]);
                out[o + 2] = (byte) window.level(blue[i]);
            }
        }
    }

    /** Blends the colour of every non-zero label over the rendered pixels with {@code opacity} (0..1). */
    public static void blendLabels(float[] labels, int width, int height, double opacity, byte[] out, int bytesPerLine) {
        for (int row = 0; row < height; row++) {
            int o = row * bytesPerLine;
            int v = row * width;
            for (int column = 0; column < width; column++, o += 3) {
                int label = Math.round(labels[v + column]);
                if (label != 0) {
                    int colour = labelColour(label);
                    out[o] = blend(out[o], colour >> 16, opacity);
                    out[o + 1] = blend(out[o + 1], colour >> 8, opacity);
                    out[o + 2] = blend(out[o + 2], colour, opacity);
                }
            }
        }
    }

    /** Packed 0xRRGGBB of a non-zero label. */
    public static int labelColour(int label) {
        return LABEL_COLOURS[Math.floorMod(label - 1, LABEL_COLOURS.length)];
    }

    /** {@code minuend - subtrahend}, element by element, into {@code out} (which may be either input). */
    public static void difference(float[] minuend, float[] subtrahend, int count, float[] out) {
        for (int i = 0; i < count; i++) {
            out[i] = minuend[i] - subtrahend[i];
        }
    }

    private static byte blend(byte under, int over, double opacity) {
        int below = under & 0xFF;
        return (byte) Math.round(below + ((over & 0xFF) - below) * opacity);
    }

    private static void put(byte[] out, int offset, int rgb) {
        out[offset] = (byte) (rgb >> 16);
        out[offset + 1] = (byte) (rgb >> 8);
        out[offset + 2] = (byte) rgb;
    }
}
