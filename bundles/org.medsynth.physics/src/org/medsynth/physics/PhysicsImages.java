package org.medsynth.physics;

import net.imglib2.Cursor;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;

/** Entry points between {@link MedicalImage}s and the array operators of this package. */
public final class PhysicsImages {

    private PhysicsImages() {
    }

    /**
     * The 3D image's voxels as a {@link Volume} with the image's spacing, centred on the origin in index axes (the
     * projectors work in the volume's own frame; the image's origin and direction cosines do not move it).
     */
    public static Volume volume(MedicalImage<?> image) {
        long[] dims = image.dimensions();
        if (dims.length != 3) {
            throw new IllegalArgumentException("a projection volume must be 3D, the image is " + dims.length + "D");
        }
        if (dims[0] * dims[1] * dims[2] > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("volume of " + dims[0] + "×" + dims[1] + "×" + dims[2]
                    + " voxels exceeds one array");
        }
        float[] data = flatten(image, (int) (dims[0] * dims[1] * dims[2]));
        double[] s = image.geometry().spacing();
        return new Volume(data, (int) dims[0], (int) dims[1], (int) dims[2], s[0], s[1], s[2]);
    }

    /**
     * The 2D single-channel image's pixels, row-major {@code pixels[x + width·y]} (the layout of {@link Radon} and
     * {@link SenseOperator}).
     */
    public static float[] pixels2d(MedicalImage<?> image) {
        long[] dims = image.dimensions();
        if (dims.length != 2) {
            throw new IllegalArgumentException("expected a 2D single-channel image, the image has shape "
                    + java.util.Arrays.toString(dims));
        }
        return flatten(image, Math.toIntExact(dims[0] * dims[1]));
    }

    /** The pixels in flat iteration order (x fastest). */
    private static float[] flatten(MedicalImage<?> image, int length) {
        float[] data = new float[length];
        Cursor<? extends RealType<?>> cursor = Views.flatIterable(image.pixels()).cursor();
        for (int i = 0; cursor.hasNext(); i++) {
            data[i] = cursor.next().getRealFloat();
        }
        return data;
    }

    /** A detector image (row-major {@code width × height}, pixel size in mm) as a 2D image of the given kind. */
    public static MedicalImage<FloatType> image(float[] pixels, int width, int height, double columnSpacingMm,
            double rowSpacingMm, Modality modality, IntensityUnit unit) {
        if (pixels.length != width * height) {
            throw new IllegalArgumentException("image of " + width + "×" + height + " needs " + width * height
                    + " values, got " + pixels.length);
        }
        return MedicalImage.of(ArrayImgs.floats(pixels, width, height),
                Geometry.of(new double[] {columnSpacingMm, rowSpacingMm}), modality, unit);
    }
}
