package org.medsynth.ui.internal.viewer;

/**
 * Grey level (0..255) to packed RGB. {@link #HOT} is the black–red–yellow–white ramp PET readers expect (matplotlib's
 * "hot": red rises over the first 3/8 of the range, green over the next 3/8, blue over the last quarter).
 */
public enum ColorMap {
    GREY("Grey"), HOT("Hot"), INVERTED("Inverted grey");

    /** Where matplotlib's hot map saturates red and green. */
    private static final double HOT_RED_END = 0.365079;
    private static final double HOT_GREEN_END = 0.746032;

    private final String label;
    private final int[] table = new int[256];

    ColorMap(String label) {
        this.label = label;
    }

    static {
        for (ColorMap map : values()) {
            for (int level = 0; level < 256; level++) {
                map.table[level] = map.compute(level / 255.0);
            }
        }
    }

    public String label() {
        return label;
    }

    /** Packed 0xRRGGBB of a grey level 0..255. */
    public int rgb(int level) {
        return table[level];
    }

    private int compute(double t) {
        return switch (this) {
            case GREY -> pack(t, t, t);
            case INVERTED -> pack(1 - t, 1 - t, 1 - t);
            case HOT -> pack(ramp(t, 0, HOT_RED_END), ramp(t, HOT_RED_END, HOT_GREEN_END), ramp(t, HOT_GREEN_END, 1));
        };
    }

    private static double ramp(double t, double start, double end) {
        return Math.max(0, Math.min(1, (t - start) / (end - start)));
    }

    private static int pack(double r, double g, double b) {
        return (channel(r) << 16) | (channel(g) << 8) | channel(b);
    }

    private static int channel(double v) {
        return (int) Math.round(v * 255);
    }
}
