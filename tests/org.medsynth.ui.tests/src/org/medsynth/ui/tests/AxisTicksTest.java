package org.medsynth.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.medsynth.ui.internal.chart.AxisTicks;

/** Nice tick steps of 1, 2 and 5 times a power of ten, as in Heckbert's Graphics Gems algorithm. */
class AxisTicksTest {
    @Test
    void choosesNiceStepsAndCoversTheRange() {
        assertEquals(0.2, AxisTicks.step(1, 6), 1e-12); // raw 0.1667 -> 0.2
        assertEquals(50, AxisTicks.step(240, 6), 1e-12); // raw 40 -> 50
        assertEquals(1000, AxisTicks.step(6000, 6), 1e-12); // raw 1000 -> 1000
        assertEquals(List.of(0.0, 50.0, 100.0, 150.0, 200.0, 250.0), AxisTicks.ticks(3, 240, 6));
        List<Double> losses = AxisTicks.ticks(0.0123, 0.0871, 6);
        assertEquals(0.0, losses.get(0), 1e-12); // span 0.0748 / 6 = 0.0125 -> step 0.02
        assertEquals(0.1, losses.get(losses.size() - 1), 1e-12);
        assertEquals(6, losses.size());
        assertEquals(List.of(4.0, 4.5, 5.0, 5.5, 6.0), AxisTicks.ticks(5, 5, 6), "a flat range is widened by 1 each side");
    }

    @Test
    void labelsUseTheDecimalsOfTheStep() {
        assertEquals("0.25", AxisTicks.label(0.25, 0.05));
        assertEquals("150", AxisTicks.label(150, 50));
        assertEquals("0.0", AxisTicks.label(-1e-17, 0.1), "no -0.0 from rounding");
        assertEquals("2.5e+06", AxisTicks.label(2.5e6, 5e5));
    }
}
