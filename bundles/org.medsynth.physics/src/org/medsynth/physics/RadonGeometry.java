package org.medsynth.physics;

/**
 * Views and detector bins of a 2D CT scan, in pixel units (the image pixel is 1 × 1, the image centred on the
 * origin). View angle θ: parallel rays run along (−sin θ, cos θ) and bin s is the signed distance s·(cos θ, sin θ)
 * from the centre.
 * <p>
 * Fan beam uses a flat detector (equally spaced collinear bins, as on a C-arm or flat-panel CT): the source sits at
 * −R·(−sin θ, cos θ), R = {@code sourceToCentre}; the detector is perpendicular to the central ray at
 * {@code sourceToDetector} D ≥ R from the source, with bins {@code binSpacing} apart on it. Scaled to the centre
 * (the virtual detector through the isocentre) a bin lies at s·R/D; D = R is that virtual detector itself.
 * Parallel beam has both distances 0.
 */
public record RadonGeometry(double[] anglesRadians, int bins, double binSpacing, double sourceToCentre,
        double sourceToDetector) {

    public RadonGeometry {
        if (anglesRadians.length == 0 || bins < 1 || !(binSpacing > 0)) {
            throw new IllegalArgumentException("scan needs at least one view and one bin of positive spacing, got "
                    + anglesRadians.length + " views, " + bins + " bins of " + binSpacing);
        }
        if (sourceToCentre < 0) {
            throw new IllegalArgumentException("source-to-centre distance must be positive, got " + sourceToCentre);
        }
        if (sourceToCentre == 0 ? sourceToDetector != 0 : !(sourceToDetector >= sourceToCentre)) {
            throw new IllegalArgumentException("source-to-detector distance " + sourceToDetector
                    + " must be at least the source-to-centre distance " + sourceToCentre
                    + " (and 0 for parallel beam)");
        }
        anglesRadians = anglesRadians.clone();
    }

    /** {@code views} angles evenly over [0, π), bins of spacing 1. */
    public static RadonGeometry parallel(int views, int bins) {
        return new RadonGeometry(evenAngles(views, Math.PI), bins, 1, 0, 0);
    }

    /**
     * Fan beam with the detector through the centre (D = R): {@code views} source angles evenly over [0, 2π),
     * source at {@code sourceToCentre} pixels, bins {@code binSpacing} apart at the centre.
     */
    public static RadonGeometry fan(int views, int bins, double binSpacing, double sourceToCentre) {
        return fan(views, bins, binSpacing, sourceToCentre, sourceToCentre);
    }

    /**
     * Fan beam onto a flat detector: {@code views} source angles evenly over [0, 2π), source at
     * {@code sourceToCentre} pixels from the centre, detector at {@code sourceToDetector} pixels from the source
     * with bins {@code detectorSpacing} apart (the magnification D/R shrinks them to detectorSpacing·R/D at the
     * centre).
     */
    public static RadonGeometry fan(int views, int bins, double detectorSpacing, double sourceToCentre,
            double sourceToDetector) {
        if (!(sourceToCentre > 0)) {
            throw new IllegalArgumentException("fan beam needs a positive source distance, got " + sourceToCentre);
        }
        return new RadonGeometry(evenAngles(views, 2 * Math.PI), bins, detectorSpacing, sourceToCentre,
                sourceToDetector);
    }

    public boolean isFan() {
        return sourceToCentre > 0;
    }

    public int views() {
        return anglesRadians.length;
    }

    @Override
    public double[] anglesRadians() {
        return anglesRadians.clone();
    }

    double angle(int view) {
        return anglesRadians[view];
    }

    /** Bin spacing scaled to the centre: binSpacing·R/D for fan beam, binSpacing for parallel beam. */
    public double binSpacingAtCentre() {
        return isFan() ? binSpacing * sourceToCentre / sourceToDetector : binSpacing;
    }

    /** Signed position of {@code bin} on the (virtual, for fan beam) detector through the centre. */
    double binOffsetAtCentre(int bin) {
        return (bin - 0.5 * (bins - 1)) * binSpacingAtCentre();
    }

    /**
     * Angular step of the views (radians): the smallest gap between consecutive sorted angles, so a sparse-view or
     * limited-angle selection of an evenly spaced scan keeps the step it really has; one view counts as a full turn
     * (parallel: half a turn).
     */
    double angularStep() {
        if (views() == 1) {
            return isFan() ? 2 * Math.PI : Math.PI;
        }
        double[] sorted = anglesRadians.clone();
        java.util.Arrays.sort(sorted);
        double step = Double.MAX_VALUE;
        for (int v = 1; v < sorted.length; v++) {
            if (sorted[v] > sorted[v - 1]) {
                step = Math.min(step, sorted[v] - sorted[v - 1]);
            }
        }
        if (step == Double.MAX_VALUE) {
            throw new IllegalArgumentException("all " + views() + " views share one angle");
        }
        return step;
    }

    /** Keeps every {@code factor}-th view (sparse-view CT). */
    public boolean[] sparseViewMask(int factor) {
        if (factor < 1) {
            throw new IllegalArgumentException("sparse-view factor must be ≥ 1, got " + factor);
        }
        boolean[] keep = new boolean[views()];
        for (int v = 0; v < keep.length; v += factor) {
            keep[v] = true;
        }
        return keep;
    }

    /** Keeps the views whose angle lies in [from, to] radians (limited-angle CT). */
    public boolean[] limitedAngleMask(double fromRadians, double toRadians) {
        boolean[] keep = new boolean[views()];
        for (int v = 0; v < keep.length; v++) {
            keep[v] = anglesRadians[v] >= fromRadians && anglesRadians[v] <= toRadians;
        }
        return keep;
    }

    /** The scan restricted to the kept views (same detector and distances). */
    public RadonGeometry select(boolean[] keep) {
        if (keep.length != views()) {
            throw new IllegalArgumentException("view mask has " + keep.length + " entries for " + views() + " views");
        }
        double[] kept = java.util.stream.IntStream.range(0, keep.length).filter(v -> keep[v])
                .mapToDouble(v -> anglesRadians[v]).toArray();
        if (kept.length == 0) {
            throw new IllegalArgumentException("view mask keeps none of the " + views() + " views");
        }
        return new RadonGeometry(kept, bins, binSpacing, sourceToCentre, sourceToDetector);
    }

    private static double[] evenAngles(int views, double range) {
        if (views < 1) {
            throw new IllegalArgumentException("need at least one view, got " + views);
        }
        double[] a = new double[views];
        for (int v = 0; v < views; v++) {
            a[v] = range * v / views;
        }
        return a;
    }
}
