package org.medsynth.ml;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.medsynth.core.image.MedicalImage;
import org.medsynth.ml.internal.FloatPixels;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;

/**
 * Conversions between {@link MedicalImage} and float32 {@link NDArray}.
 * <p>
 * Axis mapping: image pixel axes are (x, y[, z][, channel]) with x fastest; the array is channels-first and
 * row-major, (C, H, W) for 2D and (C, D, H, W) for 3D, with C = 1 when the image has no channel axis. Pixel
 * (x, y, z, c) is array element [c, z, y, x]. Both layouts keep x fastest, so the pixels are copied in one flat pass
 * (directly from the {@code float[]} of a float {@code ArrayImg}); other pixel types are converted to float.
 * Batches prepend N: (N, C, H, W) and (N, C, D, H, W).
 * <p>
 * Arrays carry no geometry, so converting back takes a template image whose geometry, modality, intensity unit,
 * channel labels and provenance the result gets; give a generated image its own provenance with
 * {@link MedicalImage#withProvenance}.
 */
public final class ImageTensors {
    /** The most elements one Java array (and so one ArrayImg) can hold. */
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private ImageTensors() {
    }

    /** The image as an array of shape (C, H, W) or (C, D, H, W), created in {@code manager}. */
    public static NDArray toNDArray(MedicalImage<?> image, NDManager manager) {
        Shape shape = arrayShape(image, image.channelLabels());
        float[] data = FloatPixels.backingArray(image.pixels());
        if (data == null) {
            data = new float[checkedSize(shape.size(), describe(image))];
            FloatPixels.copy(image.pixels(), data, 0);
        }
        return manager.create(data, shape);
    }

    /**
     * The images as one array of shape (N, C, H, W) or (N, C, D, H, W), created in {@code manager}.
     *
     * @throws IllegalArgumentException when the list is empty or the images differ in size or channel count
     */
    public static NDArray toBatch(List<? extends MedicalImage<?>> images, NDManager manager) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("cannot make a batch of no images");
        }
        Shape itemShape = arrayShape(images.get(0), images.get(0).channelLabels());
        long itemSize = itemShape.size();
        float[] data = new float[checkedSize(itemSize * images.size(), images.size() + " images of " + itemShape)];
        for (int i = 0; i < images.size(); i++) {
            MedicalImage<?> image = images.get(i);
            Shape shape = arrayShape(image, image.channelLabels());
            if (!shape.equals(itemShape)) {
                throw new IllegalArgumentException("image " + i + " of the batch has array shape " + shape
                        + " but image 0 has " + itemShape + ": a batch needs images of one size and channel count");
            }
            FloatPixels.copy(image.pixels(), data, Math.toIntExact(i * itemSize));
        }
        return manager.create(data, new Shape(prepend(images.size(), itemShape.getShape())));
    }

    /**
     * The array of shape (C, H, W) or (C, D, H, W) as an image like {@code template}, with the template's channel
     * labels (C must equal the template's channel count).
     */
    public static MedicalImage<FloatType> toImage(NDArray array, MedicalImage<?> template) {
        return toImage(array, template, template.channelLabels());
    }

    /**
     * The array as an image with the template's geometry and meaning but its own channels: C = the number of
     * {@code channelLabels}, or C = 1 and no channel axis when the list is empty.
     */
    public static MedicalImage<FloatType> toImage(NDArray array, MedicalImage<?> template,
            List<String> channelLabels) {
        Shape expected = arrayShape(template, channelLabels);
        Shape actual = array.getShape();
        if (actual.dimension() == expected.dimension() + 1) {
            throw new IllegalArgumentException("NDArray of shape " + actual + " has a batch axis; expected "
                    + axisNames(template, false) + " = " + expected + " for " + describe(template)
                    + " (use fromBatch for batches)");
        }
        checkShape(actual, expected, axisNames(template, false), template, channelLabels);
        return image(floats(array, describe(template)), template, channelLabels);
    }

    /** Splits an array of shape (N, C, H, W) or (N, C, D, H, W) into N images like {@code template}. */
    public static List<MedicalImage<FloatType>> fromBatch(NDArray batch, MedicalImage<?> template) {
        return fromBatch(batch, template, template.channelLabels());
    }

    /** As {@link #fromBatch(NDArray, MedicalImage)}, with the channels named by {@code channelLabels}. */
    public static List<MedicalImage<FloatType>> fromBatch(NDArray batch, MedicalImage<?> template,
            List<String> channelLabels) {
        Shape itemShape = arrayShape(template, channelLabels);
        Shape actual = batch.getShape();
        long count = actual.dimension() > 0 ? actual.get(0) : 0;
        checkShape(actual, new Shape(prepend(count, itemShape.getShape())), axisNames(template, true), template,
                channelLabels);
        float[] all = floats(batch, count + " images of " + itemShape);
        int itemSize = Math.toIntExact(itemShape.size());
        List<MedicalImage<FloatType>> images = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            images.add(image(Arrays.copyOfRange(all, i * itemSize, (i + 1) * itemSize), template, channelLabels));
        }
        return List.copyOf(images);
    }

    /** (C, H, W) or (C, D, H, W) for the spatial size of {@code image} and the given channels. */
    private static Shape arrayShape(MedicalImage<?> image, List<String> channelLabels) {
        long[] spatial = spatialSize(image);
        long[] shape = new long[spatial.length + 1];
        shape[0] = channelLabels.isEmpty() ? 1 : channelLabels.size();
        for (int axis = 0; axis < spatial.length; axis++) {
            shape[shape.length - 1 - axis] = spatial[axis];
        }
        return new Shape(shape);
    }

    private static void checkShape(Shape actual, Shape expected, String axisNames, MedicalImage<?> template,
            List<String> channelLabels) {
        if (!actual.equals(expected)) {
            int channels = channelLabels.isEmpty() ? 1 : channelLabels.size();
            throw new IllegalArgumentException("NDArray shape " + actual + " does not fit " + describe(template)
                    + " with " + channels + " channel(s)" + (channelLabels.isEmpty() ? "" : " " + channelLabels)
                    + ": expected " + axisNames + " = " + expected);
        }
    }

    private static MedicalImage<FloatType> image(float[] data, MedicalImage<?> template, List<String> channelLabels) {
        long[] spatial = spatialSize(template);
        long[] dims = channelLabels.isEmpty() ? spatial : Arrays.copyOf(spatial, spatial.length + 1);
        if (!channelLabels.isEmpty()) {
            dims[spatial.length] = channelLabels.size();
        }
        return new MedicalImage<>(ArrayImgs.floats(data, dims), template.geometry(), template.modality(),
                template.unit(), channelLabels, template.provenance());
    }

    private static float[] floats(NDArray array, String what) {
        checkedSize(array.size(), what);
        if (array.getDataType() == DataType.FLOAT32) {
            return array.toFloatArray();
        }
        try (NDArray asFloat = array.toType(DataType.FLOAT32, false)) {
            return asFloat.toFloatArray();
        }
    }

    private static int checkedSize(long elements, String what) {
        if (elements > MAX_ELEMENTS) {
            throw new IllegalArgumentException(what + " has " + elements + " values, more than one Java array holds ("
                    + MAX_ELEMENTS + "); convert it in parts");
        }
        return (int) elements;
    }

    private static long[] spatialSize(MedicalImage<?> image) {
        return Arrays.copyOf(image.dimensions(), image.geometry().dimensions());
    }

    private static String axisNames(MedicalImage<?> template, boolean batch) {
        return (batch ? "(N, " : "(") + (template.geometry().dimensions() == 3 ? "C, D, H, W)" : "C, H, W)");
    }

    private static String describe(MedicalImage<?> image) {
        long[] spatial = spatialSize(image);
        String[] names = {"x", "y", "z"};
        StringBuilder size = new StringBuilder();
        StringBuilder axes = new StringBuilder();
        for (int axis = 0; axis < spatial.length; axis++) {
            size.append(axis == 0 ? "" : " x ").append(spatial[axis]);
            axes.append(axis == 0 ? "" : ", ").append(names[axis]);
        }
        return "a " + spatial.length + "D image of " + size + " pixels (" + axes + ")";
    }

    private static long[] prepend(long first, long[] rest) {
        long[] all = new long[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
