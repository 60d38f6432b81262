package org.medsynth.spine;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;

import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;

/**
 * A coronal (AP) phantom of the spine T1–L5 with a scoliosis of known Cobb angle, plus sacrum, iliac wings and
 * ribs, rendered as a label map, an X-ray-like radiograph and a coronal spine ultrasound projection of the same
 * anatomy.
 * <p>
 * The spine's centre line is built from its tangent angle θ(s) along the arc length s: θ is prescribed at the end
 * vertebrae of each curve (the curve's Cobb angle split between its two ends) and at the centres of T1 and L5 (0,
 * level), with half-cosine steps between these knots, so θ is monotone between knots and its derivative vanishes at
 * them. Every vertebra is a rounded rectangle (with pedicles, transverse and spinous processes) rotated by the
 * tangent angle at its centre. The end vertebrae sit exactly on the knots, so their tilts, and with them the Cobb
 * angles by the rule of {@link CobbAngle#curves}, are known exactly by construction; the seed only varies the sizes
 * of vertebrae and discs (±4%), the body outline and the ultrasound speckle, never the curve angles.
 * <p>
 * Frame: x to the image's right, y down the image, both in mm, x = 0 on the body's midline and y = 0 at the top
 * edge of a {@value #FIELD_WIDTH_MM} × {@value #FIELD_HEIGHT_MM} mm field. A positive tilt turns a vertebra's
 * endplates counter-clockwise as the image is displayed (the right end higher).
 */
public final class SpinePhantom {
    /** Vertebrae T1–L5. */
    public static final int VERTEBRAE = 17;
    /** Label of the sacrum in the label map; vertebra k (1 = T1 … 17 = L5) has label k. */
    public static final int SACRUM_LABEL = 18;
    /** Label of the iliac wings. */
    public static final int PELVIS_LABEL = 19;
    /** Label of the ribs. */
    public static final int RIB_LABEL = 20;
    /** Largest Cobb angle of one curve the construction keeps free of overlapping vertebrae (degrees). */
    public static final double MAX_COBB_DEGREES = 80;
    public static final double FIELD_WIDTH_MM = 310;
    public static final double FIELD_HEIGHT_MM = 620;

    /** Linear attenuation of soft tissue, and the excess of cancellous and cortical bone over it, per mm (60 keV). */
    public static final double MU_SOFT_TISSUE = 0.02;
    public static final double MU_CANCELLOUS_EXCESS = 0.015;
    public static final double MU_CORTICAL_EXCESS = 0.04;
    /** Cortical shell thickness of vertebral bodies and ribs (mm). */
    private static final double SHELL_MM = 1.5;

    private static final double TOP_MARGIN_MM = 40;
    private static final double STEP_MM = 0.05;
    private static final int RIB_PAIRS = 12;
    /** Fewest levels between an end vertebra and T1 or L5 over which the tilt returns to level. */
    private static final int MIN_TAPER_LEVELS = 3;

    /** Single (C) or double (S) curve. */
    public enum CurveType {
        C, S
    }

    /** Level names, T1 … L5, indexed 0 … 16. */
    public static String levelName(int index) {
        if (index < 0 || index >= VERTEBRAE) {
            throw new IllegalArgumentException("vertebra index " + index + " is outside T1..L5 (0.." + (VERTEBRAE - 1)
                    + ")");
        }
        return index < 12 ? "T" + (index + 1) : "L" + (index - 11);
    }

    /** Index 0 … 16 of a level name such as {@code T8} or {@code L2} (case-insensitive). */
    public static int levelIndex(String name) {
        for (int i = 0; i < VERTEBRAE; i++) {
            if (levelName(i).equalsIgnoreCase(name.strip())) {
                return i;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not a vertebra of T1..L5");
    }

    /**
     * One vertebra as built: centre (mm), tilt (degrees, counter-clockwise as displayed), body width and height (mm).
     */
    public record Vertebra(int index, double centreX, double centreY, double tiltDegrees, double width,
            double height) {
        public String name() {
            return levelName(index);
        }

        /** Transverse process length beyond the body (mm): longer in the thoracic spine. */
        double transverseLength() {
            return index < 12 ? 0.42 * width : 0.32 * width;
        }

        /**
         * The point's coordinates in the vertebra's frame (u along the endplates, v down its axis), or null when it
         * lies too far away to touch any part of the vertebra (a cheap first test).
         */
        double[] localNear(double x, double y) {
            double t = Math.toRadians(tiltDegrees);
            double dx = x - centreX;
            double dy = y - centreY;
            double u = dx * Math.cos(t) - dy * Math.sin(t);
            double v = dx * Math.sin(t) + dy * Math.cos(t);
            return Math.abs(u) > width || Math.abs(v) > height ? null : new double[] {u, v};
        }

        /** The global point of local coordinates (u, v). */
        double[] global(double u, double v) {
            double t = Math.toRadians(tiltDegrees);
            return new double[] {centreX + u * Math.cos(t) + v * Math.sin(t), centreY - u * Math.sin(t) + v * Math.cos(t)};
        }

        boolean inBody(double u, double v) {
            return roundedRectangle(u, v, width / 2, height / 2, 0.2 * height);
        }

        boolean inTransverseProcess(double u, double v) {
            double a = Math.abs(u);
            return a > width / 2 && a <= width / 2 + transverseLength() && Math.abs(v + 0.15 * height) <= 0.16 * height;
        }

        boolean inSpinousProcess(double u, double v) {
            return ellipse(u, v - 0.3 * height, 0.07 * width, 0.3 * height);
        }

        /** Pedicle rings: the cortical shells seen end-on in an AP view. */
        boolean inPedicleRing(double u, double v) {
            double ax = 0.09 * width;
            double ay = 0.2 * height;
            double cu = Math.abs(u) - 0.32 * width;
            double cv = v + 0.12 * height;
            return ellipse(cu, cv, ax, ay) && !ellipse(cu, cv, 0.6 * ax, 0.6 * ay);
        }

        /** Laminae: the posterior bony plates either side of the spinous process. */
        boolean inLamina(double u, double v) {
            double a = Math.abs(u);
            return a >= 0.1 * width && a <= 0.36 * width && v >= -0.3 * height && v <= 0.5 * height;
        }

        /**
         * Adds the AP chord lengths (mm) of this vertebra's bone at local (u, v) to {@code chords}: [0] cancellous,
         * [1] cortical. The body is cancellous bone in a cortical shell with an elliptical cross-section (depth 0.7 ×
         * width); pedicle rings, the spinous and the transverse processes add cortical bone.
         */
        void addBoneChords(double u, double v, double[] chords) {
            if (inBody(u, v)) {
                addShelledChords(u, width / 2, 0.35 * width, chords);
            }
            if (inPedicleRing(u, v)) {
                chords[1] += 3;
            }
            if (inSpinousProcess(u, v)) {
                chords[1] += 4;
            }
            if (inTransverseProcess(u, v)) {
                chords[1] += 5;
            }
        }

        /** Echo amplitude of this vertebra's posterior surfaces at local (u, v), 0 where it has none. */
        double echo(double u, double v) {
            if (inLamina(u, v)) {
                return 1.0;
            }
            if (inSpinousProcess(u, v)) {
                return 0.85;
            }
            return inTransverseProcess(u, v) ? 0.7 : 0;
        }
    }

    /**
     * A curve of the spine between two end vertebrae (indices from the top, 0 = T1 in a complete spine) and its Cobb angle (degrees, positive): the
     * difference of their tilts.
     */
    public record Curve(int upperEnd, int lowerEnd, double angleDegrees) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "vertebrae %d-%d: %.2f°", upperEnd + 1, lowerEnd + 1,
                    angleDegrees);
        }
    }

    /** A rib: polyline of its centre (mm) and its radius (mm). */
    private record Rib(double[] xs, double[] ys, double radius) {
        /** Whether the point lies outside the rib's bounding box grown by its radius (a cheap first test). */
        boolean farFrom(double x, double y) {
            double minX = Math.min(xs[0], xs[xs.length - 1]) - radius;
            double maxX = Math.max(xs[0], xs[xs.length - 1]) + radius;
            return x < minX || x > maxX || y < ys[0] - radius || y > ys[ys.length - 1] + radius;
        }
    }

    private final CurveType type;
    private final List<Vertebra> vertebrae;
    private final List<Rib> ribs = new ArrayList<>();
    private final long seed;
    private final double bodyHalfWidth;
    private final double sacrumTop;
    private final double sacrumX;
    private final double sacrumTopHalfWidth;

    private SpinePhantom(CurveType type, long seed, double[] knotLevels, double[] knotTilts) {
        this.type = type;
        this.seed = seed;
        SplittableRandom random = new SplittableRandom(seed);
        double[] heights = new double[VERTEBRAE];
        double[] widths = new double[VERTEBRAE];
        double[] discs = new double[VERTEBRAE];
        for (int k = 0; k < VERTEBRAE; k++) {
            double f = k / (VERTEBRAE - 1.0);
            heights[k] = (15 + 11 * f) * jitter(random);
            widths[k] = (28 + 24 * f) * jitter(random);
            discs[k] = (5 + 4 * f) * jitter(random);
        }
        double[] arc = new double[VERTEBRAE];
        arc[0] = heights[0] / 2;
        for (int k = 1; k < VERTEBRAE; k++) {
            arc[k] = arc[k - 1] + heights[k - 1] / 2 + discs[k - 1] + heights[k] / 2;
        }
        double[] knotArcs = new double[knotLevels.length];
        for (int i = 0; i < knotLevels.length; i++) {
            knotArcs[i] = arc[(int) knotLevels[i]];
        }
        // integrate the centre line from T1's centre down, sampling it at every vertebra centre
        double[] xs = new double[VERTEBRAE];
        double[] ys = new double[VERTEBRAE];
        double x = 0;
        double y = 0;
        double s = arc[0];
        for (int k = 1; k < VERTEBRAE; k++) {
            while (s < arc[k]) {
                double step = Math.min(STEP_MM, arc[k] - s);
                double t = Math.toRadians(tangentAngle(s + step / 2, knotArcs, knotTilts));
                x += step * Math.sin(t);
                y += step * Math.cos(t);
                s += step;
            }
            xs[k] = x;
            ys[k] = y;
        }
        // midline halfway between T1 and L5; L5's lower endplate then leads to the sacrum
        double shiftX = -(xs[0] + xs[VERTEBRAE - 1]) / 2;
        double shiftY = TOP_MARGIN_MM + heights[0] / 2;
        List<Vertebra> built = new ArrayList<>();
        for (int k = 0; k < VERTEBRAE; k++) {
            built.add(new Vertebra(k, xs[k] + shiftX, ys[k] + shiftY, tangentAngle(arc[k], knotArcs, knotTilts),
                    widths[k], heights[k]));
        }
        vertebrae = List.copyOf(built);
        bodyHalfWidth = 130 * jitter(random);
        Vertebra l5 = vertebrae.get(VERTEBRAE - 1);
        double[] l5Bottom = l5.global(0, l5.height() / 2 + discs[VERTEBRAE - 1]);
        sacrumX = l5Bottom[0];
        sacrumTop = l5Bottom[1];
        sacrumTopHalfWidth = 0.5 * l5.width();
        for (int k = 0; k < RIB_PAIRS; k++) {
            Vertebra v = vertebrae.get(k);
            for (int side = -1; side <= 1; side += 2) {
                ribs.add(rib(v, side, k));
            }
        }
    }

    private static double jitter(SplittableRandom random) {
        return 1 + 0.04 * (2 * random.nextDouble() - 1);
    }

    /**
     * A single (C) curve with its apex at {@code apex} and end vertebrae {@code halfSpan} levels above and below it
     * (moved onto T1 or L5 when closer than {@value #MIN_TAPER_LEVELS} levels to them): the upper end vertebra tilts
     * by +cobb/2, the lower by −cobb/2.
     *
     * @throws IllegalArgumentException when the angle is outside 0 … {@value #MAX_COBB_DEGREES}, the apex is T1 or
     *                                  L5, or the half span is below 2
     */
    public static SpinePhantom singleCurve(long seed, double cobbDegrees, int apex, int halfSpan) {
        checkAngle("cobb angle", cobbDegrees);
        checkApex("apex", apex);
        if (halfSpan < 2) {
            throw new IllegalArgumentException("the curve's half span must be at least 2 levels, got " + halfSpan);
        }
        int upper = endAbove(apex - halfSpan);
        int lower = endBelow(apex + halfSpan);
        return new SpinePhantom(CurveType.C, seed, knots(upper, lower), tilts(upper, lower, cobbDegrees / 2,
                -cobbDegrees / 2));
    }

    /**
     * A double (S) curve: an upper curve with apex {@code upperApex} and a lower one, bending the other way, with
     * apex {@code lowerApex}. They meet at the junction vertebra halfway between the apexes; the outer end vertebrae
     * lie as far beyond each apex as the junction. The junction tilts by −b with b = min(upper, lower)/2, the outer
     * ends by upper − b and lower − b, so each curve has its Cobb angle exactly. Beyond the outer ends the tilt returns
     * to level over compensatory curves of upper − b and lower − b; {@link #trueCurves} applies the measurement's rule,
     * so when one curve is more than about 1.5 times the other, its compensatory curve can rank second.
     *
     * @throws IllegalArgumentException when an angle is outside 0 … {@value #MAX_COBB_DEGREES} or zero, or the apexes
     *                                  are not at least 2 levels apart with the upper above the lower
     */
    public static SpinePhantom doubleCurve(long seed, double upperCobbDegrees, int upperApex, double lowerCobbDegrees,
            int lowerApex) {
        checkAngle("upper cobb angle", upperCobbDegrees);
        checkAngle("lower cobb angle", lowerCobbDegrees);
        if (upperCobbDegrees == 0 || lowerCobbDegrees == 0) {
            throw new IllegalArgumentException("a double curve needs two curves above 0°, got " + upperCobbDegrees
                    + "° and " + lowerCobbDegrees + "° (use a single curve)");
        }
        checkApex("upper apex", upperApex);
        checkApex("lower apex", lowerApex);
        if (lowerApex - upperApex < 2) {
            throw new IllegalArgumentException("the lower apex (" + levelName(lowerApex) + ") must lie at least 2 levels"
                    + " below the upper apex (" + levelName(upperApex) + ")");
        }
        int junction = (upperApex + lowerApex) / 2;
        int upper = endAbove(upperApex - (junction - upperApex));
        int lower = endBelow(lowerApex + (lowerApex - junction));
        double b = Math.min(upperCobbDegrees, lowerCobbDegrees) / 2;
        double[] levels = knots(upper, junction, lower);
        return new SpinePhantom(CurveType.S, seed, levels, tilts(upper, lower, upperCobbDegrees - b, -b,
                lowerCobbDegrees - b));
    }

    /**
     * The upper end vertebra at the given level, moved onto T1 when fewer than {@value #MIN_TAPER_LEVELS} levels
     * would be left to bring the tilt back to level (the vertebrae would overlap).
     */
    private static int endAbove(int level) {
        return level < MIN_TAPER_LEVELS ? 0 : level;
    }

    /** The lower end vertebra at the given level, moved onto L5 as {@link #endAbove} moves the upper one. */
    private static int endBelow(int level) {
        return level > VERTEBRAE - 1 - MIN_TAPER_LEVELS ? VERTEBRAE - 1 : level;
    }

    private static void checkAngle(String what, double degrees) {
        if (!(degrees >= 0 && degrees <= MAX_COBB_DEGREES)) {
            throw new IllegalArgumentException("the " + what + " must lie in 0.." + MAX_COBB_DEGREES + "°, got "
                    + degrees);
        }
    }

    private static void checkApex(String what, int apex) {
        if (apex <= 0 || apex >= VERTEBRAE - 1) {
            throw new IllegalArgumentException("the " + what + " must lie between T2 and L4, got "
                    + (apex < 0 || apex >= VERTEBRAE ? "index " + apex : levelName(apex)));
        }
    }

    /** Knot levels: T1, the given end vertebrae, L5 (T1 or L5 only once where an end vertebra is one of them). */
    private static double[] knots(int... ends) {
        List<Double> levels = new ArrayList<>();
        if (ends[0] > 0) {
            levels.add(0.0);
        }
        for (int e : ends) {
            levels.add((double) e);
        }
        if (ends[ends.length - 1] < VERTEBRAE - 1) {
            levels.add(VERTEBRAE - 1.0);
        }
        return levels.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Knot tilts matching {@link #knots}: 0 at T1 and L5 where they are not end vertebrae. */
    private static double[] tilts(int upper, int lower, double... endTilts) {
        List<Double> tilts = new ArrayList<>();
        if (upper > 0) {
            tilts.add(0.0);
        }
        for (double t : endTilts) {
            tilts.add(t);
        }
        if (lower < VERTEBRAE - 1) {
            tilts.add(0.0);
        }
        return tilts.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** θ(s) in degrees: half-cosine steps between the knots, constant beyond the first and last. */
    static double tangentAngle(double s, double[] knotArcs, double[] knotTilts) {
        if (s <= knotArcs[0]) {
            return knotTilts[0];
        }
        for (int i = 1; i < knotArcs.length; i++) {
            if (s <= knotArcs[i]) {
                double f = (s - knotArcs[i - 1]) / (knotArcs[i] - knotArcs[i - 1]);
                return knotTilts[i - 1] + (knotTilts[i] - knotTilts[i - 1]) * (1 - Math.cos(Math.PI * f)) / 2;
            }
        }
        return knotTilts[knotTilts.length - 1];
    }

    /** Rib of thoracic vertebra k: from beyond the transverse process tip, out and down along a drooping arc. */
    private Rib rib(Vertebra v, int side, int k) {
        double[] start = v.global(side * (v.width() / 2 + v.transverseLength() + 4), -0.15 * v.height());
        double length = 45 + 45 * Math.sin(Math.PI * (k + 1) / (RIB_PAIRS + 2));
        double drop = 25 + 2.5 * k;
        int n = 24;
        double[] xs = new double[n];
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            double t = i / (n - 1.0);
            xs[i] = start[0] + side * length * Math.sin(0.5 * Math.PI * t);
            ys[i] = start[1] + drop * t * t;
        }
        return new Rib(xs, ys, 3.5 + 1.0 * k / RIB_PAIRS);
    }

    public CurveType type() {
        return type;
    }

    public long seed() {
        return seed;
    }

    /** The vertebrae T1 … L5 as built, with their exact tilts. */
    public List<Vertebra> vertebrae() {
        return vertebrae;
    }

    /** The exact tilts T1 … L5 (degrees). */
    public double[] tilts() {
        return vertebrae.stream().mapToDouble(Vertebra::tiltDegrees).toArray();
    }

    /** The curves of the exact tilts by the rule of {@link CobbAngle#curves}: the true Cobb angles. */
    public List<Curve> trueCurves() {
        return CobbAngle.curves(tilts(), type == CurveType.S ? 2 : 1);
    }

    // ---- rendering -------------------------------------------------------------------------------------------

    /** Pixel grid of a rendering: {@code columns × 2·columns} pixels over the field. */
    private record Grid(int columns, int rows, double spacing) {
        double x(double i) {
            return -FIELD_WIDTH_MM / 2 + i * spacing;
        }

        double y(double j) {
            return j * spacing;
        }

        Geometry geometry() {
            return new Geometry(new double[] {spacing, spacing}, new double[] {x(0.5), y(0.5)}, Geometry.identity(2));
        }
    }

    private static Grid grid(int columns) {
        if (columns < 64 || columns > 2048) {
            throw new IllegalArgumentException("the image width must be 64..2048 pixels, got " + columns);
        }
        return new Grid(columns, 2 * columns, FIELD_WIDTH_MM / columns);
    }

    /** Label at a point (mm): vertebrae over the pelvis over the ribs; no bone outside the body outline. */
    int labelAt(double x, double y) {
        if (Math.abs(x) >= bodyHalfWidth(y)) {
            return 0;
        }
        for (Vertebra v : vertebrae) {
            double[] p = v.localNear(x, y);
            if (p != null && (v.inBody(p[0], p[1]) || v.inTransverseProcess(p[0], p[1]))) {
                return v.index() + 1;
            }
        }
        if (inSacrum(x, y)) {
            return SACRUM_LABEL;
        }
        if (inIlium(x, y)) {
            return PELVIS_LABEL;
        }
        for (Rib r : ribs) {
            if (ribDistance(r, x, y) < r.radius()) {
                return RIB_LABEL;
            }
        }
        return 0;
    }

    private boolean inSacrum(double x, double y) {
        double f = (y - sacrumTop) / 95;
        return f >= 0 && f <= 1 && Math.abs(x - sacrumX) <= sacrumTopHalfWidth * (1 - 0.75 * f);
    }

    private boolean inIlium(double x, double y) {
        double dx = Math.abs(x - sacrumX) - sacrumTopHalfWidth - 55;
        double dy = y - sacrumTop - 30;
        return ellipse(dx, dy, 52, 42) && dy < 30;
    }

    /** Distance (mm) from the point to a rib's centre line. */
    private static double ribDistance(Rib r, double x, double y) {
        if (r.farFrom(x, y)) {
            return Double.MAX_VALUE;
        }
        double best = Double.MAX_VALUE;
        double[] xs = r.xs();
        double[] ys = r.ys();
        for (int i = 1; i < xs.length; i++) {
            best = Math.min(best, segmentDistance(x, y, xs[i - 1], ys[i - 1], xs[i], ys[i]));
        }
        return best;
    }

    private static double segmentDistance(double x, double y, double x0, double y0, double x1, double y1) {
        double dx = x1 - x0;
        double dy = y1 - y0;
        double t = Math.max(0, Math.min(1, ((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy)));
        double ex = x - x0 - t * dx;
        double ey = y - y0 - t * dy;
        return Math.sqrt(ex * ex + ey * ey);
    }

    /**
     * Half-width (mm) of the body outline at height y: a trunk with a waist above the pelvis.
     */
    private double bodyHalfWidth(double y) {
        double waist = sacrumTop - 60;
        return bodyHalfWidth * (1 - 0.12 * Math.exp(-Math.pow((y - waist) / 70, 2)));
    }

    /**
     * Line integral ∫μ dl (dimensionless) of an AP ray through the point: soft tissue over an elliptical trunk
     * section 200 mm deep, plus the excess attenuation of the bone the ray crosses. Vertebral bodies and ribs are
     * cancellous bone in a cortical shell, so their projections are nearly flat with bright edges, as in a radiograph.
     */
    double lineIntegral(double x, double y) {
        double half = bodyHalfWidth(y);
        double r = x / half;
        if (r * r >= 1) {
            return 0;
        }
        return MU_SOFT_TISSUE * 200 * Math.sqrt(1 - r * r) + boneLineIntegral(x, y);
    }

    /**
     * The excess line integral ∫(μ − μ_soft tissue) dl of an AP ray through the point (mm) over the bone alone:
     * vertebrae, sacrum, iliac wings and ribs, without this phantom's body outline, so that a larger phantom can lay
     * the spine into a body of its own.
     */
    public double boneLineIntegral(double x, double y) {
        // excess chord lengths (mm) through cancellous and cortical bone
        double[] chords = new double[2];
        for (Vertebra v : vertebrae) {
            double[] p = v.localNear(x, y);
            if (p != null) {
                v.addBoneChords(p[0], p[1], chords);
            }
        }
        if (inSacrum(x, y)) {
            chords[0] += 20;
            chords[1] += 4;
        }
        if (inIlium(x, y)) {
            chords[0] += 8;
            chords[1] += 4;
        }
        for (Rib rib : ribs) {
            addShelledChords(ribDistance(rib, x, y), rib.radius(), rib.radius(), chords);
        }
        return MU_CANCELLOUS_EXCESS * chords[0] + MU_CORTICAL_EXCESS * chords[1];
    }

    /**
     * The excess line integral of an AP ray at lateral offset u through a long bone of elliptical section (semi-axes
     * a lateral, b deep): cancellous core in a cortical shell, as the vertebral bodies and ribs are rendered.
     */
    public static double shelledBoneIntegral(double u, double a, double b) {
        double[] chords = new double[2];
        addShelledChords(u, a, b, chords);
        return MU_CANCELLOUS_EXCESS * chords[0] + MU_CORTICAL_EXCESS * chords[1];
    }

    /**
     * Centre (mm) of the hip joint on the given side (−1 the image's left, +1 its right): below the lateral part of
     * the iliac wing, where the femoral head of a body built around this spine sits.
     */
    public double[] hipJoint(int side) {
        return new double[] {sacrumX + side * (sacrumTopHalfWidth + 70), sacrumTop + 75};
    }

    /**
     * Adds the chords at lateral offset u through an elliptical bone section (semi-axes a lateral, b deep) to
     * {@code chords}: [0] through its cancellous core, [1] through its cortical shell of {@value #SHELL_MM} mm.
     */
    private static void addShelledChords(double u, double a, double b, double[] chords) {
        double inner = chord(u, a - SHELL_MM, b - SHELL_MM);
        chords[0] += inner;
        chords[1] += chord(u, a, b) - inner;
    }

    /** Chord length at lateral offset u through an ellipse with lateral semi-axis a and depth semi-axis b. */
    public static double chord(double u, double a, double b) {
        double e = u / a;
        return e * e < 1 ? 2 * b * Math.sqrt(1 - e * e) : 0;
    }

    /**
     * Echo amplitude (before speckle) of the coronal ultrasound projection at the point: the posterior bony
     * surfaces (laminae, spinous and transverse processes, posterior ribs) echo brightly; soft tissue weakly; the
     * bone casts an acoustic shadow over everything deeper, which a coronal projection shows as a uniformly dark
     * footprint (independent of depth) where no posterior surface echoes.
     */
    double echoAt(double x, double y) {
        double half = bodyHalfWidth(y);
        if (Math.abs(x) >= half) {
            return 0;
        }
        double echo = 0;
        boolean shadowed = false;
        for (Vertebra v : vertebrae) {
            double[] p = v.localNear(x, y);
            if (p != null) {
                echo = Math.max(echo, v.echo(p[0], p[1]));
                shadowed |= v.inBody(p[0], p[1]);
            }
        }
        for (Rib rib : ribs) {
            if (Math.abs(x - rib.xs()[0]) < 45 && ribDistance(rib, x, y) < rib.radius()) {
                echo = Math.max(echo, 0.45);
            }
        }
        if (echo > 0) {
            return echo;
        }
        return shadowed || inSacrum(x, y) ? 0.03 : 0.15;
    }

    /** The label map: 0 background, vertebra k = k (T1 = 1 … L5 = 17), sacrum 18, iliac wings 19, ribs 20. */
    public MedicalImage<FloatType> labelMap(int columns) {
        Grid g = grid(columns);
        float[] data = new float[g.columns() * g.rows()];
        for (int j = 0; j < g.rows(); j++) {
            for (int i = 0; i < g.columns(); i++) {
                data[j * g.columns() + i] = labelAt(g.x(i + 0.5), g.y(j + 0.5));
            }
        }
        return MedicalImage.of(ArrayImgs.floats(data, g.columns(), g.rows()), g.geometry(), Modality.OT,
                IntensityUnit.LABEL);
    }

    /**
     * The AP radiograph: −ln(I/I₀) = ∫μ dl of each pixel (Beer–Lambert transmission I/I₀ = exp(−∫μ dl), displayed as
     * its negative logarithm so bone is bright), averaged over 2 × 2 sub-rays for partial-volume edges.
     */
    public MedicalImage<FloatType> radiograph(int columns) {
        Grid g = grid(columns);
        float[] data = new float[g.columns() * g.rows()];
        for (int j = 0; j < g.rows(); j++) {
            for (int i = 0; i < g.columns(); i++) {
                double sum = 0;
                for (int a = 0; a < 2; a++) {
                    for (int b = 0; b < 2; b++) {
                        sum += lineIntegral(g.x(i + 0.25 + 0.5 * a), g.y(j + 0.25 + 0.5 * b));
                    }
                }
                data[j * g.columns() + i] = (float) (sum / 4);
            }
        }
        return MedicalImage.of(ArrayImgs.floats(data, g.columns(), g.rows()), g.geometry(), Modality.DX,
                IntensityUnit.OPACITY);
    }

    /**
     * The coronal ultrasound projection: echo amplitudes of {@link #echoAt} times fully developed speckle, a
     * Rayleigh-distributed factor of mean 1 per pixel drawn from the phantom's seed.
     */
    public MedicalImage<FloatType> ultrasound(int columns) {
        Grid g = grid(columns);
        SplittableRandom speckle = new SplittableRandom(seed ^ 0x5eed5eedL);
        double sigma = Math.sqrt(2 / Math.PI);
        float[] data = new float[g.columns() * g.rows()];
        for (int j = 0; j < g.rows(); j++) {
            for (int i = 0; i < g.columns(); i++) {
                double rayleigh = sigma * Math.sqrt(-2 * Math.log(1 - speckle.nextDouble()));
                data[j * g.columns() + i] = (float) (echoAt(g.x(i + 0.5), g.y(j + 0.5)) * rayleigh);
            }
        }
        return MedicalImage.of(ArrayImgs.floats(data, g.columns(), g.rows()), g.geometry(), Modality.US,
                IntensityUnit.ARBITRARY);
    }

    private static boolean ellipse(double u, double v, double a, double b) {
        double p = u / a;
        double q = v / b;
        return p * p + q * q <= 1;
    }

    /** Whether (u, v) lies in the rectangle |u| ≤ a, |v| ≤ b with corners rounded to radius r. */
    private static boolean roundedRectangle(double u, double v, double a, double b, double r) {
        double du = Math.abs(u) - (a - r);
        double dv = Math.abs(v) - (b - r);
        if (Math.abs(u) > a || Math.abs(v) > b) {
            return false;
        }
        return du <= 0 || dv <= 0 || du * du + dv * dv <= r * r;
    }
}
