package org.medsynth.ui.internal.chart;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;

/**
 * A small x–y chart drawn with SWT's GC: one or more series as lines or points, nice ticks on both axes, a title and
 * a legend. The same drawing serves the screen and PNG export ({@link #snapshot}).
 */
public final class LineChart extends Canvas {
    private static final RGB[] PALETTE = { new RGB(31, 119, 180), new RGB(255, 127, 14), new RGB(44, 160, 44),
            new RGB(214, 39, 40), new RGB(148, 103, 189), new RGB(140, 86, 75) };
    private static final int TICKS = 6;
    private static final int MARGIN = 8;

    /** One series; {@code points} draws markers only (e.g. per-case values), otherwise a line. */
    public record Series(String name, double[] x, double[] y, boolean points) {
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException(name + ": " + x.length + " x values but " + y.length + " y values");
            }
        }
    }

    private final List<Series> series = new ArrayList<>();
    private String title = "";
    private String xLabel = "";
    private String yLabel = "";

    public LineChart(Composite parent) {
        super(parent, SWT.DOUBLE_BUFFERED);
        addListener(SWT.Paint, e -> draw(e.gc, getClientArea()));
        addListener(SWT.Resize, e -> redraw());
    }

    public void setLabels(String chartTitle, String xAxis, String yAxis) {
        title = chartTitle;
        xLabel = xAxis;
        yLabel = yAxis;
        redraw();
    }

    public void setSeries(List<Series> shown) {
        series.clear();
        series.addAll(shown);
        redraw();
    }

    public List<Series> series() {
        return List.copyOf(series);
    }

    /** The chart drawn at {@code width} × {@code height}, e.g. for export. */
    public ImageData snapshot(int width, int height) {
        Image image = new Image(getDisplay(), width, height);
        GC gc = new GC(image);
        try {
            draw(gc, new Rectangle(0, 0, width, height));
            return image.getImageData();
        } finally {
            gc.dispose();
            image.dispose();
        }
    }

    private void draw(GC gc, Rectangle area) {
        Display display = getDisplay();
        gc.setBackground(display.getSystemColor(SWT.COLOR_WHITE));
        gc.fillRectangle(area);
        gc.setForeground(display.getSystemColor(SWT.COLOR_BLACK));
        gc.setAntialias(SWT.ON);
        int lineHeight = gc.getFontMetrics().getHeight();
        Point titleSize = gc.textExtent(title);
        gc.drawText(title, area.x + (area.width - titleSize.x) / 2, area.y + MARGIN / 2, true);
        double[] range = range();
        if (range == null) {
            String empty = "No data yet";
            Point size = gc.textExtent(empty);
            gc.drawText(empty, area.x + (area.width - size.x) / 2, area.y + (area.height - size.y) / 2, true);
            return;
        }
        List<Double> xTicks = AxisTicks.ticks(range[0], range[1], TICKS);
        List<Double> yTicks = AxisTicks.ticks(range[2], range[3], TICKS);
        double xStep = xTicks.get(1) - xTicks.get(0);
        double yStep = yTicks.get(1) - yTicks.get(0);
        int labelWidth = 0;
        for (double tick : yTicks) {
            labelWidth = Math.max(labelWidth, gc.textExtent(AxisTicks.label(tick, yStep)).x);
        }
        Rectangle plot = new Rectangle(area.x + MARGIN + lineHeight + labelWidth + 4, area.y + lineHeight + MARGIN,
                0, 0);
        plot.width = Math.max(10, area.x + area.width - MARGIN - plot.x);
        plot.height = Math.max(10, area.y + area.height - 2 * lineHeight - MARGIN - plot.y - legendHeight(lineHeight));
        double x0 = xTicks.get(0);
        double x1 = xTicks.get(xTicks.size() - 1);
        double y0 = yTicks.get(0);
        double y1 = yTicks.get(yTicks.size() - 1);
        Color grid = new Color(225, 225, 225);
        try {
            for (double tick : xTicks) {
                int x = (int) Math.round(plot.x + (tick - x0) / (x1 - x0) * plot.width);
                gc.setForeground(grid);
                gc.drawLine(x, plot.y, x, plot.y + plot.height);
                gc.setForeground(display.getSystemColor(SWT.COLOR_BLACK));
                String label = AxisTicks.label(tick, xStep);
                gc.drawText(label, x - gc.textExtent(label).x / 2, plot.y + plot.height + 2, true);
            }
            for (double tick : yTicks) {
                int y = (int) Math.round(plot.y + plot.height - (tick - y0) / (y1 - y0) * plot.height);
                gc.setForeground(grid);
                gc.drawLine(plot.x, y, plot.x + plot.width, y);
                gc.setForeground(display.getSystemColor(SWT.COLOR_BLACK));
                String label = AxisTicks.label(tick, yStep);
                gc.drawText(label, plot.x - 4 - gc.textExtent(label).x, y - lineHeight / 2, true);
            }
        } finally {
            grid.dispose();
        }
        gc.drawRectangle(plot);
        Point xSize = gc.textExtent(xLabel);
        gc.drawText(xLabel, plot.x + (plot.width - xSize.x) / 2, plot.y + plot.height + lineHeight + 2, true);
        gc.drawText(yLabel, area.x + MARGIN / 2, area.y + MARGIN / 2, true);
        int legendY = plot.y + plot.height + 2 * lineHeight + 4;
        int legendX = plot.x;
        for (int s = 0; s < series.size(); s++) {
            Series one = series.get(s);
            Color colour = new Color(PALETTE[s % PALETTE.length]);
            try {
                gc.setForeground(colour);
                gc.setBackground(colour);
                gc.setLineWidth(2);
                int previousX = 0;
                int previousY = 0;
                for (int i = 0; i < one.x().length; i++) {
                    if (!Double.isFinite(one.x()[i]) || !Double.isFinite(one.y()[i])) {
                        continue; // e.g. an infinite PSNR of identical images: listed in the table, not plotted
                    }
                    int x = (int) Math.round(plot.x + (one.x()[i] - x0) / (x1 - x0) * plot.width);
                    int y = (int) Math.round(plot.y + plot.height - (one.y()[i] - y0) / (y1 - y0) * plot.height);
                    if (one.points()) {
                        gc.fillOval(x - 3, y - 3, 7, 7);
                    } else if (i > 0) {
                        gc.drawLine(previousX, previousY, x, y);
                    }
                    previousX = x;
                    previousY = y;
                }
                if (series.size() > 1) {
                    gc.fillRectangle(legendX, legendY + lineHeight / 2 - 3, 12, 6);
                    gc.setForeground(display.getSystemColor(SWT.COLOR_BLACK));
                    gc.drawText(one.name(), legendX + 16, legendY, true);
                    legendX += 16 + gc.textExtent(one.name()).x + 16;
                }
            } finally {
                gc.setLineWidth(1);
                colour.dispose();
            }
        }
    }

    private int legendHeight(int lineHeight) {
        return series.size() > 1 ? lineHeight + 4 : 0;
    }

    /** x min, x max, y min, y max over finite values of all series; null when there is nothing to draw. */
    private double[] range() {
        double[] range = { Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY };
        boolean any = false;
        for (Series one : series) {
            for (int i = 0; i < one.x().length; i++) {
                if (Double.isFinite(one.x()[i]) && Double.isFinite(one.y()[i])) {
                    range[0] = Math.min(range[0], one.x()[i]);
                    range[1] = Math.max(range[1], one.x()[i]);
                    range[2] = Math.min(range[2], one.y()[i]);
                    range[3] = Math.max(range[3], one.y()[i]);
                    any = true;
                }
            }
        }
        return any ? range : null;
    }
}
