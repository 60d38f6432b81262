package org.medsynth.ui.internal.chart;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * "Nice" axis ticks (steps of 1, 2 or 5 times a power of ten) covering a data range, after Heckbert's "Nice numbers
 * for graph labels" (Graphics Gems, 1990). No UI resources.
 */
public final class AxisTicks {
    private AxisTicks() {
    }

    /** The tick step for about {@code count} intervals over {@code span}. */
    public static double step(double span, int count) {
        double raw = span / Math.max(1, count);
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double fraction = raw / magnitude;
        double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * magnitude;
    }

    /**
     * Ticks from the last multiple of the step at or below {@code min} to the first at or above {@code max}; a flat
     * range is widened by one unit either side so it still has an axis.
     */
    public static List<Double> ticks(double min, double max, int count) {
        if (!(max > min)) {
            double pad = Math.max(1, Math.abs(min) * 0.1);
            min -= pad;
            max += pad;
        }
        double step = step(max - min, count);
        double first = Math.floor(min / step) * step;
        double last = Math.ceil(max / step) * step;
        List<Double> ticks = new ArrayList<>();
        for (int i = 0; first + i * step <= last + step / 2; i++) {
            ticks.add(first + i * step);
        }
        return ticks;
    }

    /** A tick label with as many decimals as the step needs. */
    public static String label(double value, double step) {
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
        if (Math.abs(value) < step / 2) {
            value = 0; // no "-0.00"
        }
        return decimals > 6 || Math.abs(value) >= 1e6 ? String.format(Locale.ROOT, "%.2g", value)
                : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
