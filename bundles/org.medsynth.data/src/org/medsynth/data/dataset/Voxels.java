package org.medsynth.data.dataset;

import net.imglib2.Cursor;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;

/**
 * An image's pixels as one float array, x fastest, then y, z and channel (ImgLib2's flat order), plus its spatial
 * size: the working form of the transforms, which all produce float images.
 */
final class Voxels {
    final int[] size;
    final int channels;
    final float[] data;

    Voxels(int[] size, int channels, float[] data) {
        this.size = size;
        this.channels = channels;
        this.data = data;
    }

    Voxels(int[] size, int channels) {
        this(size, channels, new float[Math.toIntExact(count(size) * channels)]);
    }

    static long count(int[] size) {
        long n = 1;
        for (int s : size) {
            n *= s;
        }
        return n;
    }

    /** A float copy of an image's pixels. */
    static Voxels of(MedicalImage<?> image) {
        int d = image.geometry().dimensions();
        int[] size = new int[d];
        for (int a = 0; a < d; a++) {
            size[a] = Math.toIntExact(image.pixels().dimension(a));
        }
        long total = count(size) * image.channels();
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("image of " + total + " values is too large for the transforms (at most 2^31)");
        }
        float[] data = new float[(int) total];
        Cursor<? extends RealType<?>> c = Views.flatIterable(image.pixels()).cursor();
        for (int i = 0; i < data.length; i++) {
            data[i] = c.next().getRealFloat();
        }
        return new Voxels(size, image.channels(), data);
    }

    int perChannel() {
        return data.length / channels;
    }

    /** Flat index of a spatial position in channel 0. */
    int index(int[] position) {
        int index = 0;
        for (int a = size.length - 1; a >= 0; a--) {
            index = index * size[a] + position[a];
        }
        return index;
    }

    /** Advances a spatial position in flat order; false after the last one. */
    static boolean next(int[] position, int[] size) {
        for (int a = 0; a < size.length; a++) {
            if (++position[a] < size[a]) {
                return true;
            }
            position[a] = 0;
        }
        return false;
    }

    /** These pixels as an image with the meaning (modality, channels, provenance) of {@code like}. */
    MedicalImage<FloatType> image(Geometry geometry, MedicalImage<?> like) {
        return image(geometry, like, like.unit());
    }

    MedicalImage<FloatType> image(Geometry geometry, MedicalImage<?> like, IntensityUnit unit) {
        long[] dims = new long[size.length + (like.channelLabels().isEmpty() ? 0 : 1)];
        for (int a = 0; a < size.length; a++) {
            dims[a] = size[a];
        }
        if (dims.length > size.length) {
            dims[size.length] = channels;
        }
        return new MedicalImage<>(ArrayImgs.floats(data, dims), geometry, like.modality(), unit, like.channelLabels(),
                like.provenance());
    }

    /**
     * Linear interpolation of one channel at a continuous index. Coordinates outside [0, size − 1] take the nearest
     * edge value when {@code outside} is NaN (clamped), else are {@code outside}; a coordinate within 1e-6 of the
     * edge counts as on it, so rounding in a transform does not turn border voxels into fill.
     */
    double linear(int channel, double[] index, double outside) {
        int d = size.length;
        int[] low = new int[d];
        int[] high = new int[d];
        double[] frac = new double[d];
        for (int a = 0; a < d; a++) {
            double x = index[a];
            int last = size[a] - 1;
            if (!Double.isNaN(outside) && (x < -1e-6 || x > last + 1e-6)) {
                return outside;
            }
            x = Math.max(0, Math.min(last, x));
            low[a] = Math.min((int) Math.floor(x), last);
            high[a] = Math.min(low[a] + 1, last);
            frac[a] = x - low[a];
        }
        int base = channel * perChannel();
        double sum = 0;
        for (int corner = 0; corner < 1 << d; corner++) {
            double w = 1;
            int flat = 0;
            for (int a = d - 1; a >= 0; a--) {
                boolean up = (corner >> a & 1) == 1;
                w *= up ? frac[a] : 1 - frac[a];
                flat = flat * size[a] + (up ? high[a] : low[a]);
            }
            if (w != 0) {
                sum += w * data[base + flat];
            }
        }
        return sum;
    }
}
