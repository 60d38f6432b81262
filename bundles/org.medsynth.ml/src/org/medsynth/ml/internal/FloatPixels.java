package org.medsynth.ml.internal;

import net.imglib2.Cursor;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.basictypeaccess.array.ArrayDataAccess;
import net.imglib2.type.NativeType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Bulk copies between ImgLib2 images and flat {@code float[]} in flat order (x fastest, then y, z, channel), which is
 * exactly the row-major order of an NDArray of shape (C[, D], H, W).
 */
public final class FloatPixels {
    private FloatPixels() {
    }

    /**
     * The float array behind a float {@code ArrayImg} (no copy), or {@code null} when the image stores anything
     * else.
     */
    public static float[] backingArray(Img<?> image) {
        if (image instanceof ArrayImg<?, ?> arrayImg && arrayImg.firstElement() instanceof FloatType
                && arrayImg.update(null) instanceof ArrayDataAccess<?> access
                && access.getCurrentStorageArray() instanceof float[] data && data.length == arrayImg.size()) {
            return data;
        }
        return null;
    }

    /** Copies {@code image} into {@code target} from {@code offset} in flat order, converting each value to float. */
    public static <T extends NativeType<T> & RealType<T>> void copy(Img<T> image, float[] target, int offset) {
        float[] data = backingArray(image);
        if (data != null) {
            System.arraycopy(data, 0, target, offset, data.length);
            return;
        }
        // flatIterable: a CellImg (or any non-array image) iterates cell by cell, not in flat order
        Cursor<T> cursor = Views.flatIterable(image).cursor();
        int i = offset;
        while (cursor.hasNext()) {
            target[i++] = cursor.next().getRealFloat();
        }
    }
}
