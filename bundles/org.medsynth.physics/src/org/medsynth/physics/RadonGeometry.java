package org.medsynth.physics;

/**
 * Views and detector bins of a 2D CT scan, in pixel units (the image pixel is 1 × 1, the image centred on the
 * origin). View angle θ: parallel rays run along (−sin θ, cos θ) and bin s is the signed distance s·(cos θ, sin θ)
 * from the centre; a fan-beam source sits at −R·(−sin θ, cos θ) and its rays pass through the bins of a virtual
 * flat detector through the centre.
 */
public record RadonGeometry(double[] anglesRadians, int bins, double binSpacing, double sourceToCentre) {

    public RadonGeometry {
        if (anglesRadians.length == 0 || bins < 1 || !(binSpacing > 0)) {
            throw new IllegalArgumentException("scan needs at least one view and one bin of positive spacing, got "
                    + anglesRadians.length + " views, " + bins + " bins of " + binSpacing);
        }
        if (sourceToCentre < 0) {
            throw new IllegalArgumentException("source-to-centre distance must be positive, got " + sourceToCentre);
        }
        anglesRadians = anglesRadians.clone();
    }

    /** {@code views} angles evenly over [0, π), bins of spacing 1. */
    public static RadonGeometry parallel(int views, int bins) {
        return new RadonGeometry(evenAngles(views, Math.PI), bins, 1, 0);
    }

    /** Fan beam: {@code views} source angles evenly over [0, 2π), source at {@code sourceToCentre} pixels. */
    public static RadonGeometry fan(int views, int bins, double binSpacing, double sourceToCentre) {
        if (!(sourceToCentre > 0)) {
            throw new IllegalArgumentException("fan beam needs a positive source distance, got " + sourceToCentre);
        }
        return new RadonGeometry(evenAngles(views, 2 * Math.PI), bins, binSpacing, sourceToCentre);
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

    /** The scan restricted to the kept views. */
    public RadonGeometry select(boolean[] keep) {
        if (keep.length != views()) {
            throw new IllegalArgumentException("view mask has " + keep.length + " entries for " + views() + " views");
        }
        return new RadonGeometry(java.util.stream.IntStream.range(0, keep.length).filter(v -> keep[v])
                .mapToDouble(v -> anglesRadians[v]).toArray(), bins, binSpacing, sourceToCentre);
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
