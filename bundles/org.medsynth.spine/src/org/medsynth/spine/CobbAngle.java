package org.medsynth.spine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.medsynth.core.image.MedicalImage;
import org.medsynth.eval.BinaryMask;
import org.medsynth.eval.ConnectedComponents;
import org.medsynth.eval.ConnectedComponents.Connectivity;
import org.medsynth.eval.Voxels;
import org.medsynth.spine.SpinePhantom.Curve;

/**
 * Automatic Cobb angle measurement on coronal spine images: each vertebra's tilt from the second moments of its
 * region (the direction of the principal axis with the larger spread, the endplate direction of a vertebra wider
 * than tall), then the Cobb rule on the tilts ordered from top to bottom ({@link #curves}). Regions come from a label
 * map ({@link #fromLabelMap}) or are segmented from an AP radiograph ({@link #fromRadiograph}). Tilts are in degrees,
 * counter-clockwise as the image is displayed (row 0 at the top), moments in mm.
 */
public final class CobbAngle {
    /** Side of the square opening that estimates the radiograph's background: wider than any vertebral body. */
    static final double BACKGROUND_WINDOW_MM = 80;
    /** Window of the local peak a body is thresholded against. */
    static final double PEAK_WINDOW_MM = 50;
    /** Fraction of the local peak of the background-free radiograph that counts as vertebral body. */
    static final double BODY_FRACTION = 0.45;
    /**
     * A local peak counts only above this fraction of the image's {@value #BONE_PERCENTILE}th percentile of bone
     * signal (which lies in the vertebral bodies): it keeps the soft tissue's own unevenness out.
     */
    static final double MIN_PEAK_FRACTION = 0.4;
    static final double BONE_PERCENTILE = 99;
    /** Radius of the disc that opens the body mask: ribs and processes are thinner than its diameter. */
    static final double OPENING_RADIUS_MM = 5;
    /** Plausible vertebral body areas after thresholding (mm²) and the largest tilt a body may show. */
    static final double MIN_BODY_AREA_MM2 = 120;
    static final double MAX_BODY_AREA_MM2 = 3500;
    static final double MAX_TILT_DEGREES = 60;
    /** A body is wider than tall: the ratio of the principal spreads (standard deviations) at least this. */
    static final double MIN_ELONGATION = 1.15;
    static final double MAX_ELONGATION = 3;
    /** Largest sideways step between neighbouring bodies, in body widths, and largest vertical gap (mm). */
    static final double MAX_STEP_WIDTHS = 0.8;
    static final double MAX_GAP_MM = 60;
    /** Largest tilt difference between neighbouring bodies (a pelvic fragment below L5 turns much more). */
    static final double MAX_TILT_STEP_DEGREES = 30;

    /**
     * A region's centroid (mm, in the image's index frame scaled by the spacing), its tilt (degrees), area (mm²) and
     * elongation (ratio of the principal standard deviations, ≥ 1).
     *
     * @param label the label of the region in the label map, or its rank from the top in a radiograph
     */
    public record VertebraTilt(int label, double centreX, double centreY, double tiltDegrees, double areaMm2,
            double elongation) {
    }

    /** Tilts of the vertebrae found and the curves of their Cobb rule, major first. */
    public record Measurement(List<VertebraTilt> vertebrae, List<Curve> curves) {
        public Measurement {
            vertebrae = List.copyOf(vertebrae);
            curves = List.copyOf(curves);
        }

        /** The largest Cobb angle (degrees), 0 when fewer than two vertebrae were found. */
        public double majorCobbDegrees() {
            return curves.isEmpty() ? 0 : curves.get(0).angleDegrees();
        }
    }

    private CobbAngle() {
    }

    /**
     * The Cobb rule on tilts ordered from top to bottom: the major curve is the pair of vertebrae whose tilts differ
     * most (its end vertebrae); with {@code maxCurves ≥ 2}, the next curve is the largest such pair above the major
     * curve's upper end or below its lower end (end vertebrae may be shared), and so on. Curves are returned largest
     * first; fewer than {@code maxCurves} when no vertebrae are left.
     *
     * @throws IllegalArgumentException when a tilt is not finite or {@code maxCurves < 1}
     */
    public static List<Curve> curves(double[] tilts, int maxCurves) {
        if (maxCurves < 1) {
            throw new IllegalArgumentException("at least one curve must be asked for, got " + maxCurves);
        }
        for (int i = 0; i < tilts.length; i++) {
            if (!Double.isFinite(tilts[i])) {
                throw new IllegalArgumentException("tilt " + (i + 1) + " is not finite: " + tilts[i]);
            }
        }
        List<int[]> free = new ArrayList<>(List.of(new int[] {0, tilts.length - 1}));
        List<Curve> found = new ArrayList<>();
        while (found.size() < maxCurves) {
            Curve best = null;
            int[] bestRange = null;
            for (int[] range : free) {
                Curve c = largest(tilts, range[0], range[1]);
                if (c != null && (best == null || c.angleDegrees() > best.angleDegrees())) {
                    best = c;
                    bestRange = range;
                }
            }
            if (best == null) {
                break;
            }
            found.add(best);
            free.remove(bestRange);
            free.add(new int[] {bestRange[0], best.upperEnd()});
            free.add(new int[] {best.lowerEnd(), bestRange[1]});
        }
        return found;
    }

    /** The pair i < j in [from, to] with the largest |tilt i − tilt j|, or null for fewer than two vertebrae. */
    private static Curve largest(double[] tilts, int from, int to) {
        Curve best = null;
        for (int i = from; i <= to; i++) {
            for (int j = i + 1; j <= to; j++) {
                double d = Math.abs(tilts[i] - tilts[j]);
                if (best == null || d > best.angleDegrees()) {
                    best = new Curve(i, j, d);
                }
            }
        }
        return best;
    }

    /**
     * Measures a label map: vertebra k is the region of label k for k in 1 … {@code vertebraLabels} (labels absent
     * from the map are skipped), ordered by label.
     *
     * @throws IllegalArgumentException when the image is not 2D or holds a non-integer label
     */
    public static Measurement fromLabelMap(MedicalImage<?> labels, int vertebraLabels, int maxCurves) {
        Voxels v = planar(labels);
        int[] regions = new int[v.values().length];
        for (int i = 0; i < regions.length; i++) {
            double value = v.values()[i];
            if (value != Math.rint(value)) {
                throw new IllegalArgumentException("label map pixel " + i + " holds " + value
                        + ", not an integer label");
            }
            regions[i] = value >= 1 && value <= vertebraLabels ? (int) value : 0;
        }
        List<VertebraTilt> tilts = new ArrayList<>();
        for (Moments m : Moments.of(regions, vertebraLabels, v.dims(), v.spacing())) {
            if (m != null) {
                tilts.add(m.tilt());
            }
        }
        return measure(tilts, maxCurves);
    }

    /**
     * Measures an AP radiograph in which bone is bright (e.g. −ln I/I₀): removes the slowly varying soft-tissue
     * background by a grey-level opening ({@value #BACKGROUND_WINDOW_MM} mm square) of the image smoothed by two 3 × 3
     * means, keeps pixels above {@value #BODY_FRACTION} of the local peak (over {@value #PEAK_WINDOW_MM} mm, where
     * that peak is bone-like, see {@link #MIN_PEAK_FRACTION}), opens that mask
     * with a disc of radius {@value #OPENING_RADIUS_MM} mm (cutting off ribs and processes), labels the 4-connected
     * components and keeps those shaped like vertebral bodies (area, elongation, tilt below
     * {@value #MAX_TILT_DEGREES}°), ordered from top to bottom.
     *
     * @throws IllegalArgumentException when the image is not 2D or holds a non-finite value
     */
    public static Measurement fromRadiograph(MedicalImage<?> radiograph, int maxCurves) {
        Voxels v = planar(radiograph);
        int nx = v.dims()[0];
        int ny = v.dims()[1];
        double[] values = v.values();
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("radiograph pixel " + i + " is not finite: " + values[i]);
            }
        }
        double[] smooth = Filters.mean3x3(Filters.mean3x3(values, nx, ny), nx, ny);
        int[] background = Filters.windowPixels(BACKGROUND_WINDOW_MM, v.spacing());
        double[] opened = Filters.max(Filters.min(smooth, nx, ny, background), nx, ny, background);
        double[] bone = new double[smooth.length];
        for (int i = 0; i < bone.length; i++) {
            bone[i] = smooth[i] - opened[i];
        }
        double[] peak = Filters.max(bone, nx, ny, Filters.windowPixels(PEAK_WINDOW_MM, v.spacing()));
        double floor = MIN_PEAK_FRACTION * percentile(bone, BONE_PERCENTILE);
        boolean[] body = new boolean[bone.length];
        for (int i = 0; i < bone.length; i++) {
            body[i] = peak[i] > floor && bone[i] > BODY_FRACTION * peak[i];
        }
        body = Filters.openWithDisc(body, nx, ny, OPENING_RADIUS_MM / v.spacing()[0],
                OPENING_RADIUS_MM / v.spacing()[1]);
        ConnectedComponents.Labelling components = ConnectedComponents.label(new BinaryMask(body, v.dims(),
                v.spacing()), Connectivity.FACE);
        List<VertebraTilt> candidates = new ArrayList<>();
        for (Moments m : Moments.of(components.labels(), components.count(), v.dims(), v.spacing())) {
            VertebraTilt t = m.tilt();
            if (t.areaMm2() >= MIN_BODY_AREA_MM2 && t.areaMm2() <= MAX_BODY_AREA_MM2
                    && t.elongation() >= MIN_ELONGATION
                    && t.elongation() <= MAX_ELONGATION && Math.abs(t.tiltDegrees()) <= MAX_TILT_DEGREES) {
                candidates.add(t);
            }
        }
        List<VertebraTilt> chain = spineChain(candidates);
        List<VertebraTilt> ranked = new ArrayList<>();
        for (VertebraTilt t : chain) {
            ranked.add(new VertebraTilt(ranked.size() + 1, t.centreX(), t.centreY(), t.tiltDegrees(), t.areaMm2(),
                    t.elongation()));
        }
        return measure(ranked, maxCurves);
    }

    /**
     * The column of vertebral bodies among body-like regions (rib and pelvis fragments may pass the shape tests):
     * the longest chain of regions, each the nearest below the one before, whose centres lie within
     * {@value #MAX_STEP_WIDTHS} body widths sideways and {@value #MAX_GAP_MM} mm vertically of each other and whose tilts
     * differ by at most {@value #MAX_TILT_STEP_DEGREES}°. Top to bottom.
     */
    private static List<VertebraTilt> spineChain(List<VertebraTilt> candidates) {
        List<VertebraTilt> byY = new ArrayList<>(candidates);
        byY.sort(Comparator.comparingDouble(VertebraTilt::centreY));
        List<VertebraTilt> longest = List.of();
        for (VertebraTilt start : byY) {
            List<VertebraTilt> chain = new ArrayList<>(List.of(start));
            VertebraTilt current = start;
            for (VertebraTilt next = below(current, byY); next != null; next = below(current, byY)) {
                chain.add(next);
                current = next;
            }
            if (chain.size() > longest.size()) {
                longest = chain;
            }
        }
        return longest;
    }

    /** The nearest region below {@code current} that can be the next vertebra, or null. */
    private static VertebraTilt below(VertebraTilt current, List<VertebraTilt> byY) {
        for (VertebraTilt c : byY) {
            double dy = c.centreY() - current.centreY();
            double width = Math.max(bodyWidth(c), bodyWidth(current));
            if (dy > 0 && dy <= MAX_GAP_MM && Math.abs(c.centreX() - current.centreX()) <= MAX_STEP_WIDTHS * width
                    && Math.abs(c.tiltDegrees() - current.tiltDegrees()) <= MAX_TILT_STEP_DEGREES) {
                return c;
            }
        }
        return null;
    }

    /** Width of a rectangle with the region's area and elongation (mm). */
    private static double bodyWidth(VertebraTilt t) {
        return Math.sqrt(t.areaMm2() * t.elongation());
    }

    /** The p-th percentile (nearest rank) of the values. */
    private static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.clamp((long) Math.ceil(p / 100 * sorted.length) - 1, 0, sorted.length - 1)];
    }

    private static Measurement measure(List<VertebraTilt> tilts, int maxCurves) {
        return new Measurement(tilts, curves(tilts.stream().mapToDouble(VertebraTilt::tiltDegrees).toArray(),
                maxCurves));
    }

    private static Voxels planar(MedicalImage<?> image) {
        Voxels v = Voxels.of(image);
        if (v.dims().length != 2) {
            throw new IllegalArgumentException("a coronal spine image must be 2D, got dimensions "
                    + Arrays.toString(v.dims()));
        }
        return v;
    }

    /** Zeroth, first and second moments of one region, in mm. */
    private static final class Moments {
        private final int label;
        private long n;
        private double sx;
        private double sy;
        private double sxx;
        private double syy;
        private double sxy;
        private double pixelArea;

        private Moments(int label) {
            this.label = label;
        }

        /** Moments of regions 1 … count of a labelling (null where a label has no pixel). */
        static Moments[] of(int[] labels, int count, int[] dims, double[] spacing) {
            Moments[] all = new Moments[count];
            int nx = dims[0];
            for (int i = 0; i < labels.length; i++) {
                int l = labels[i];
                if (l == 0) {
                    continue;
                }
                Moments m = all[l - 1];
                if (m == null) {
                    m = new Moments(l);
                    m.pixelArea = spacing[0] * spacing[1];
                    all[l - 1] = m;
                }
                double x = (i % nx) * spacing[0];
                double y = (i / nx) * spacing[1];
                m.n++;
                m.sx += x;
                m.sy += y;
                m.sxx += x * x;
                m.syy += y * y;
                m.sxy += x * y;
            }
            return all;
        }

        /**
         * Centroid, tilt and elongation: the principal axis of the larger spread makes the angle
         * ½·atan2(2μxy, μxx − μyy) with the x axis, measured towards +y (down, so clockwise as displayed).
         */
        VertebraTilt tilt() {
            double cx = sx / n;
            double cy = sy / n;
            double mxx = sxx / n - cx * cx;
            double myy = syy / n - cy * cy;
            double mxy = sxy / n - cx * cy;
            double angle = 0.5 * Math.atan2(2 * mxy, mxx - myy);
            double root = Math.sqrt((mxx - myy) * (mxx - myy) / 4 + mxy * mxy);
            double major = (mxx + myy) / 2 + root;
            double minor = (mxx + myy) / 2 - root;
            double elongation = minor > 0 ? Math.sqrt(major / minor) : Double.POSITIVE_INFINITY;
            return new VertebraTilt(label, cx, cy, -Math.toDegrees(angle), n * pixelArea, elongation);
        }
    }
}
