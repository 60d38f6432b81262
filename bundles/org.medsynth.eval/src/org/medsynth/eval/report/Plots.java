package org.medsynth.eval.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

import org.medsynth.eval.stats.Summary;

/**
 * Report figures drawn with Java2D into {@value #WIDTH}×{@value #HEIGHT} RGB images (works headless): bars with
 * confidence-interval whiskers, histograms, scatter plots with the identity and a fitted line, and Bland–Altman
 * plots.
 */
public final class Plots {
    public static final int WIDTH = 800;
    public static final int HEIGHT = 520;
    private static final int LEFT = 100;
    private static final int RIGHT = 30;
    private static final int TOP = 60;
    private static final int BOTTOM = 80;
    private static final Color INK = new Color(0x22, 0x22, 0x22);
    private static final Color GRID = new Color(0xE4, 0xE4, 0xE4);
    private static final Color FILL = new Color(0x4C, 0x78, 0xA8);
    private static final Color ACCENT = new Color(0xE4, 0x57, 0x56);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 20);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 16);
    private static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 14);

    private Plots() {
    }

    /** One bar per name at {@code values}, with whiskers from {@code lows} to {@code highs} (NaN: no whisker). */
    public static BufferedImage bars(String title, String valueLabel, List<String> names, double[] values,
            double[] lows, double[] highs) {
        double min = 0;
        double max = 0;
        for (int i = 0; i < values.length; i++) {
            for (double v : new double[] {values[i], lows[i], highs[i]}) {
                if (Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        Canvas c = new Canvas(title, "", valueLabel, new double[] {0, names.size()}, new double[] {min, max}, false,
                false);
        double slot = (double) (c.plotWidth()) / names.size();
        for (int i = 0; i < names.size(); i++) {
            double center = LEFT + slot * (i + 0.5);
            double half = Math.min(60, slot * 0.3);
            if (Double.isFinite(values[i])) {
                double top = c.py(Math.max(0, values[i]));
                double bottom = c.py(Math.min(0, values[i]));
                c.g.setColor(FILL);
                c.g.fill(new Rectangle2D.Double(center - half, top, 2 * half, bottom - top));
            }
            if (Double.isFinite(lows[i]) && Double.isFinite(highs[i])) {
                c.g.setColor(INK);
                c.g.setStroke(new BasicStroke(2f));
                double lo = c.py(lows[i]);
                double hi = c.py(highs[i]);
                c.g.draw(new Line2D.Double(center, lo, center, hi));
                c.g.draw(new Line2D.Double(center - half / 2, lo, center + half / 2, lo));
                c.g.draw(new Line2D.Double(center - half / 2, hi, center + half / 2, hi));
            }
            c.g.setFont(TICK);
            c.g.setColor(INK);
            centered(c.g, names.get(i), center, HEIGHT - BOTTOM + 22);
        }
        return c.finish();
    }

    /** Histogram with Sturges' number of bins; non-finite values are left out. */
    public static BufferedImage histogram(String title, String valueLabel, double[] values) {
        double[] finite = Arrays.stream(values).filter(Double::isFinite).toArray();
        double min = Arrays.stream(finite).min().orElse(0);
        double max = Arrays.stream(finite).max().orElse(1);
        if (max == min) {
            min -= 0.5;
            max += 0.5;
        }
        int bins = Math.max(1, (int) Math.ceil(Math.log(Math.max(1, finite.length)) / Math.log(2)) + 1);
        int[] counts = new int[bins];
        for (double v : finite) {
            counts[Math.min(bins - 1, (int) ((v - min) / (max - min) * bins))]++;
        }
        int highest = Arrays.stream(counts).max().orElse(1);
        Canvas c = new Canvas(title, valueLabel, "cases", new double[] {min, max}, new double[] {0, highest}, true,
                true);
        double width = (max - min) / bins;
        for (int b = 0; b < bins; b++) {
            if (counts[b] == 0) {
                continue;
            }
            double x0 = c.px(min + b * width);
            double x1 = c.px(min + (b + 1) * width);
            double top = c.py(counts[b]);
            c.g.setColor(FILL);
            c.g.fill(new Rectangle2D.Double(x0, top, x1 - x0, c.py(0) - top));
            c.g.setColor(Color.WHITE);
            c.g.draw(new Rectangle2D.Double(x0, top, x1 - x0, c.py(0) - top));
        }
        return c.finish();
    }

    /** Scatter of y against x with the identity line y = x. */
    public static BufferedImage scatter(String title, String xLabel, String yLabel, double[] x, double[] y) {
        return scatter(title, xLabel, yLabel, x, y, Double.NaN, Double.NaN);
    }

    /**
     * Scatter of y against x with the identity line y = x (dashed) and the line y = slope · x + intercept (solid,
     * labelled; left out where either is NaN), e.g. the least-squares regression line.
     */
    public static BufferedImage scatter(String title, String xLabel, String yLabel, double[] x, double[] y,
            double slope, double intercept) {
        double[] range = range(x, y);
        Canvas c = new Canvas(title, xLabel, yLabel, range, range, true, false);
        c.g.setColor(Color.GRAY);
        c.g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
        c.g.draw(new Line2D.Double(c.px(c.xMin), c.py(c.xMin), c.px(c.xMax), c.py(c.xMax)));
        if (Double.isFinite(slope) && Double.isFinite(intercept)) {
            Shape clip = c.g.getClip();
            c.g.clip(new Rectangle2D.Double(LEFT, TOP, c.plotWidth(), c.plotHeight()));
            c.g.setColor(ACCENT);
            c.g.setStroke(new BasicStroke(2f));
            c.g.draw(new Line2D.Double(c.px(c.xMin), c.py(slope * c.xMin + intercept), c.px(c.xMax),
                    c.py(slope * c.xMax + intercept)));
            c.g.setClip(clip);
            c.g.setFont(TICK);
            c.g.drawString(String.format(Locale.ROOT, "fit: y = %.4g x %s %.4g   dashed: y = x", slope,
                    intercept < 0 ? "−" : "+", Math.abs(intercept)), LEFT + 8, TOP + 18);
        }
        points(c, x, y);
        return c.finish();
    }

    /**
     * Bland–Altman plot of two measurements of the same cases: difference a − b against the mean of a and b, with
     * the mean difference (bias) and the limits of agreement bias ± 1.96 sd.
     */
    public static BufferedImage blandAltman(String title, String measureLabel, double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("Bland–Altman needs paired values: " + a.length + " vs " + b.length);
        }
        double[] mean = new double[a.length];
        double[] diff = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            mean[i] = (a[i] + b[i]) / 2;
            diff[i] = a[i] - b[i];
        }
        Summary s = Summary.of(diff);
        double sd = Double.isNaN(s.sd()) ? 0 : s.sd();
        double[] lines = {s.mean() - 1.96 * sd, s.mean(), s.mean() + 1.96 * sd};
        double[] yRange = range(diff, lines);
        Canvas c = new Canvas(title, "mean of the two " + measureLabel, "difference " + measureLabel,
                range(mean, mean), yRange, true, false);
        String[] names = {"−1.96 sd", "bias", "+1.96 sd"};
        for (int i = 0; i < lines.length; i++) {
            c.g.setColor(i == 1 ? ACCENT : Color.GRAY);
            c.g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
                    i == 1 ? null : new float[] {6, 4}, 0));
            double yy = c.py(lines[i]);
            c.g.draw(new Line2D.Double(LEFT, yy, WIDTH - RIGHT, yy));
            c.g.setFont(TICK);
            String text = names[i] + " " + Ticks.format(lines[i], Math.max(Math.abs(lines[2] - lines[0]), 1e-12) / 400);
            c.g.drawString(text, WIDTH - RIGHT - c.g.getFontMetrics().stringWidth(text) - 4, (float) yy - 4);
        }
        points(c, mean, diff);
        return c.finish();
    }

    public static void writePng(BufferedImage image, Path file) throws IOException {
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer available for " + file);
        }
    }

    private static void points(Canvas c, double[] x, double[] y) {
        c.g.setColor(FILL);
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                c.g.fill(new java.awt.geom.Ellipse2D.Double(c.px(x[i]) - 4, c.py(y[i]) - 4, 8, 8));
            }
        }
    }

    /** Smallest and largest finite value over the arrays, widened when they coincide. */
    private static double[] range(double[]... arrays) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[] a : arrays) {
            for (double v : a) {
                if (Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (min > max) {
            return new double[] {0, 1};
        }
        if (min == max) {
            double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
            return new double[] {min - pad, max + pad};
        }
        return new double[] {min, max};
    }

    private static void centered(Graphics2D g, String text, double x, double baseline) {
        g.drawString(text, (float) (x - g.getFontMetrics().stringWidth(text) / 2.0), (float) baseline);
    }

    /** Nicely rounded tick positions covering a range. */
    static final class Ticks {
        final double start;
        final double step;
        final int count;

        /** @param whole ticks at whole numbers only (counts) */
        Ticks(double min, double max, boolean whole) {
            double raw = (max - min) / 6;
            double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
            double fraction = raw / magnitude;
            double nice = (fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10) * magnitude;
            step = whole ? Math.max(1, nice) : nice;
            start = Math.floor(min / step) * step;
            count = (int) Math.round((Math.ceil(max / step) * step - start) / step) + 1;
        }

        double first() {
            return start;
        }

        double last() {
            return start + (count - 1) * step;
        }

        double at(int i) {
            return start + i * step;
        }

        /** Enough decimals to tell ticks {@code step} apart. */
        static String format(double v, double step) {
            int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
            return String.format(Locale.ROOT, "%." + Math.min(decimals, 8) + "f", Math.abs(v) < step * 1e-9 ? 0 : v);
        }
    }

    /** A white image with title, axes, grid, ticks and labels; the data area spans the nice-rounded ranges. */
    private static final class Canvas {
        final BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();
        final double xMin;
        final double xMax;
        final double yMin;
        final double yMax;

        Canvas(String title, String xLabel, String yLabel, double[] xRange, double[] yRange, boolean numericX,
                boolean wholeY) {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            Ticks yTicks = new Ticks(yRange[0], yRange[1] > yRange[0] ? yRange[1] : yRange[0] + 1, wholeY);
            yMin = yTicks.first();
            yMax = yTicks.last();
            Ticks xTicks = numericX ? new Ticks(xRange[0], xRange[1], false) : null;
            xMin = numericX ? xTicks.first() : xRange[0];
            xMax = numericX ? xTicks.last() : xRange[1];
            g.setFont(TICK);
            FontMetrics tickMetrics = g.getFontMetrics();
            for (int i = 0; i < yTicks.count; i++) {
                double y = py(yTicks.at(i));
                g.setColor(GRID);
                g.draw(new Line2D.Double(LEFT, y, WIDTH - RIGHT, y));
                g.setColor(INK);
                String text = Ticks.format(yTicks.at(i), yTicks.step);
                g.drawString(text, LEFT - 8 - tickMetrics.stringWidth(text), (float) (y + tickMetrics.getAscent() / 2.5));
            }
            if (numericX) {
                for (int i = 0; i < xTicks.count; i++) {
                    double x = px(xTicks.at(i));
                    g.setColor(GRID);
                    g.draw(new Line2D.Double(x, TOP, x, HEIGHT - BOTTOM));
                    g.setColor(INK);
                    centered(g, Ticks.format(xTicks.at(i), xTicks.step), x, HEIGHT - BOTTOM + 22);
                }
            }
            g.setFont(TITLE);
            g.setColor(INK);
            centered(g, title, WIDTH / 2.0, 36);
            g.setFont(LABEL);
            centered(g, xLabel, LEFT + plotWidth() / 2.0, HEIGHT - 24);
            AffineTransform saved = g.getTransform();
            g.rotate(-Math.PI / 2);
            centered(g, yLabel, -(TOP + plotHeight() / 2.0), 26);
            g.setTransform(saved);
            g.setStroke(new BasicStroke(1f));
        }

        int plotWidth() {
            return WIDTH - LEFT - RIGHT;
        }

        int plotHeight() {
            return HEIGHT - TOP - BOTTOM;
        }

        double px(double x) {
            return LEFT + (x - xMin) / (xMax - xMin) * plotWidth();
        }

        double py(double y) {
            return HEIGHT - BOTTOM - (y - yMin) / (yMax - yMin) * plotHeight();
        }

        /** Draws the axis lines over the data, so bars never hide them. */
        BufferedImage finish() {
            g.setColor(INK);
            g.setStroke(new BasicStroke(1.5f));
            g.draw(new Line2D.Double(LEFT, TOP, LEFT, HEIGHT - BOTTOM));
            g.draw(new Line2D.Double(LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM));
            g.dispose();
            return image;
        }
    }
}
