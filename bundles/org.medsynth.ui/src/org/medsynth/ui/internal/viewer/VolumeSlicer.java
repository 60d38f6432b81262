package org.medsynth.ui.internal.viewer;

import java.util.Arrays;

import org.medsynth.core.image.MedicalImage;

import net.imglib2.RandomAccess;
import net.imglib2.type.numeric.RealType;

/**
 * Reads one slice of an image at a time into a caller's buffer: a repaint touches only the pixels it shows, never a
 * copy of the volume. A 2D image is a volume of one axial slice. Holds no UI resources.
 */
public final class VolumeSlicer {
    /** Samples taken for the automatic window: enough for stable percentiles, cheap on any volume. */
    private static final int PERCENTILE_SAMPLES = 1 << 18;

    private final MedicalImage<?> image;
    private final long[] size = new long[3];
    private final double[] spacing = { 1, 1, 1 };
    private final int channels;
    private final int channelAxis;

    public VolumeSlicer(MedicalImage<?> image) {
        this.image = image;
        int spatial = image.geometry().dimensions();
        long[] dims = image.dimensions();
        Arrays.fill(size, 1);
        for (int axis = 0; axis < spatial; axis++) {
            size[axis] = dims[axis];
            spacing[axis] = image.geometry().spacing(axis);
        }
        channels = image.channels();
        channelAxis = image.channelLabels().isEmpty() ? -1 : spatial;
    }

    public MedicalImage<?> image() {
        return image;
    }

    public boolean isVolume() {
        return size[2] > 1;
    }

    public int channels() {
        return channels;
    }

    /** Pixels along a pixel axis (0..2); 1 for the z axis of a 2D image. */
    public int size(int axis) {
        return (int) size[axis];
    }

    /** Millimetres between pixel centres along an axis (1 for the z axis of a 2D image). */
    public double spacing(int axis) {
        return spacing[axis];
    }

    public int width(Plane plane) {
        return size(plane.horizontalAxis());
    }

    public int height(Plane plane) {
        return size(plane.verticalAxis());
    }

    /** Slices along the plane's normal. */
    public int slices(Plane plane) {
        return size(plane.normalAxis());
    }

    /** Height of a displayed pixel relative to its width: anisotropic spacing is drawn to scale. */
    public double pixelAspect(Plane plane) {
        return spacing(plane.verticalAxis()) / spacing(plane.horizontalAxis());
    }

    /**
     * Fills {@code buffer} (at least width × height, row-major, row 0 at the top) with slice {@code index} of one
     * channel.
     */
    public void extract(Plane plane, int index, int channel, float[] buffer) {
        int width = width(plane);
        int height = height(plane);
        if (buffer.length < width * height) {
            throw new IllegalArgumentException("buffer holds " + buffer.length + " values, the slice " + width * height);
        }
        if (index < 0 || index >= slices(plane)) {
            throw new IndexOutOfBoundsException(plane.label() + " slice " + index + " of " + slices(plane));
        }
        RandomAccess<? extends RealType<?>> access = access();
        long[] position = new long[image.pixels().numDimensions()];
        if (plane.normalAxis() < image.geometry().dimensions()) {
            position[plane.normalAxis()] = index;
        }
        if (channelAxis >= 0) {
            position[channelAxis] = channel;
        }
        int h = plane.horizontalAxis();
        int v = plane.verticalAxis();
        for (int row = 0; row < height; row++) {
            int vIndex = plane.flipVertical() ? height - 1 - row : row;
            if (v < image.geometry().dimensions()) {
                position[v] = vIndex;
            }
            for (int column = 0; column < width; column++) {
                position[h] = column;
                access.setPosition(position);
                buffer[row * width + column] = access.get().getRealFloat();
            }
        }
    }

    /** The value at a voxel (x, y, z) of one channel. */
    public double value(int[] voxel, int channel) {
        RandomAccess<? extends RealType<?>> access = access();
        long[] position = new long[image.pixels().numDimensions()];
        for (int axis = 0; axis < image.geometry().dimensions(); axis++) {
            position[axis] = voxel[axis];
        }
        if (channelAxis >= 0) {
            position[channelAxis] = channel;
        }
        access.setPosition(position);
        return access.get().getRealDouble();
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private RandomAccess<? extends RealType<?>> access() {
        return (RandomAccess) image.pixels().randomAccess();
    }

    /**
     * The {@code low} and {@code high} quantiles (0..1) of the values, from an evenly strided sample of at most
     * {@value #PERCENTILE_SAMPLES} pixels (finite ones; 0 and 1 when there are none), so outliers (a hot voxel, the air outside a scan) do not set the window.
     */
    public double[] quantiles(double low, double high) {
        long total = image.pixels().size();
        long stride = Math.max(1, total / PERCENTILE_SAMPLES);
        float[] sample = new float[(int) ((total + stride - 1) / stride)];
        var cursor = image.pixels().cursor();
        long i = 0;
        int n = 0;
        while (cursor.hasNext()) {
            var value = cursor.next();
            if (i++ % stride == 0) {
                float v = ((RealType<?>) value).getRealFloat();
                if (Float.isFinite(v)) { // a NaN or infinite pixel must not set the window
                    sample[n++] = v;
                }
            }
        }
        if (n == 0) {
            return new double[] { 0, 1 };
        }
        Arrays.sort(sample, 0, n);
        return new double[] { sample[rank(low, n)], sample[rank(high, n)] };
    }

    private static int rank(double quantile, int n) {
        return (int) Math.min(n - 1, Math.max(0, Math.round(quantile * (n - 1))));
    }
}
