package org.medsynth.ui.internal.viewer;

/**
 * A slice orientation, by pixel axes (x = 0, y = 1, z = 2). Coronal and sagittal slices show z upwards, so the top
 * of the head is at the top for the usual feet-to-head axial stacks.
 */
public enum Plane {
    AXIAL("Axial", 0, 1, 2, false), CORONAL("Coronal", 0, 2, 1, true), SAGITTAL("Sagittal", 1, 2, 0, true);

    private final String label;
    private final int horizontalAxis;
    private final int verticalAxis;
    private final int normalAxis;
    private final boolean flipVertical;

    Plane(String label, int horizontalAxis, int verticalAxis, int normalAxis, boolean flipVertical) {
        this.label = label;
        this.horizontalAxis = horizontalAxis;
        this.verticalAxis = verticalAxis;
        this.normalAxis = normalAxis;
        this.flipVertical = flipVertical;
    }

    public String label() {
        return label;
    }

    public int horizontalAxis() {
        return horizontalAxis;
    }

    public int verticalAxis() {
        return verticalAxis;
    }

    /** The axis that the slice index moves along. */
    public int normalAxis() {
        return normalAxis;
    }

    /** Whether row 0 of the slice is the highest index along the vertical axis. */
    public boolean flipVertical() {
        return flipVertical;
    }
}
