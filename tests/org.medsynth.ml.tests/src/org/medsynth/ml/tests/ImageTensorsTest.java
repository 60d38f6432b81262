package org.medsynth.ml.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.core.image.Provenance;
import org.medsynth.ml.ImageTensors;
import org.medsynth.ml.MlEngine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import net.imglib2.Cursor;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.cell.CellImgFactory;
import net.imglib2.type.NativeType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

class ImageTensorsTest {
    private static final Geometry ROTATED_2D = new Geometry(new double[] {0.5, 0.8}, new double[] {-12.5, 30},
            new double[] {0, -1, 1, 0});
    private static final Geometry ANISOTROPIC_3D = new Geometry(new double[] {0.7, 0.7, 2.5},
            new double[] {1, 2, 3}, Geometry.identity(3));
    private static final Provenance SYNTHETIC = new Provenance(true, "test.generator", "1.2.3", "card", "abc", 42,
            Map.of("steps", "10"), List.of("input.nii sha256:00"), "0.1.0", Instant.parse("2026-01-02T03:04:05Z"));

    private NDManager manager;

    @BeforeEach
    void openManager() {
        manager = MlEngine.pytorch().newBaseManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    @Test
    void image2dBecomesOneByHeightByWidthWithXFastest() {
        MedicalImage<FloatType> image = ct2d(floats(4, 3), p -> 10 * p[1] + p[0] + 0.25);
        NDArray array = ImageTensors.toNDArray(image, manager);

        assertEquals(new Shape(1, 3, 4), array.getShape());
        assertEquals(DataType.FLOAT32, array.getDataType());
        assertEquals(21.25f, array.getFloat(0, 2, 1), "pixel (x=1, y=2) is element [0, 2, 1]");
        assertEquals(3.25f, array.getFloat(0, 0, 3), "pixel (x=3, y=0) is element [0, 0, 3]");
    }

    @Test
    void roundTrip2dIsExactAndKeepsGeometryAndMeaning() {
        MedicalImage<FloatType> image = ct2d(floats(4, 3), p -> 10 * p[1] + p[0] + 0.25);
        MedicalImage<FloatType> back = ImageTensors.toImage(ImageTensors.toNDArray(image, manager), image);

        assertArrayEquals(image.dimensions(), back.dimensions());
        assertArrayEquals(flat(image.pixels()), flat(back.pixels()));
        assertEquals(ROTATED_2D, back.geometry());
        assertEquals(Modality.CT, back.modality());
        assertEquals(IntensityUnit.HOUNSFIELD, back.unit());
        assertEquals(SYNTHETIC, back.provenance());
        assertEquals(List.of(), back.channelLabels());
    }

    @Test
    void image3dBecomesOneByDepthByHeightByWidthAndRoundTrips() {
        MedicalImage<FloatType> image = mr3d(floats(4, 3, 2), p -> 100 * p[2] + 10 * p[1] + p[0]);
        NDArray array = ImageTensors.toNDArray(image, manager);

        assertEquals(new Shape(1, 2, 3, 4), array.getShape());
        assertEquals(123f, array.getFloat(0, 1, 2, 3), "pixel (x=3, y=2, z=1) is element [0, 1, 2, 3]");
        MedicalImage<FloatType> back = ImageTensors.toImage(array, image);
        assertArrayEquals(new long[] {4, 3, 2}, back.dimensions());
        assertArrayEquals(flat(image.pixels()), flat(back.pixels()));
        assertEquals(ANISOTROPIC_3D, back.geometry());
    }

    @Test
    void channelAxisBecomesTheLeadingArrayAxis() {
        Img<FloatType> pixels = fill(floats(4, 3, 2), p -> 1000 * p[2] + 10 * p[1] + p[0]);
        MedicalImage<FloatType> image = new MedicalImage<>(pixels, ROTATED_2D, Modality.MR, IntensityUnit.ARBITRARY,
                List.of("T1", "T2"), SYNTHETIC);
        NDArray array = ImageTensors.toNDArray(image, manager);

        assertEquals(new Shape(2, 3, 4), array.getShape());
        assertEquals(1023f, array.getFloat(1, 2, 3), "pixel (x=3, y=2, channel 1) is element [1, 2, 3]");
        MedicalImage<FloatType> back = ImageTensors.toImage(array, image);
        assertEquals(List.of("T1", "T2"), back.channelLabels());
        assertArrayEquals(flat(image.pixels()), flat(back.pixels()));
    }

    @Test
    void integerAndCellImagesAreConvertedToFloatInFlatOrder() {
        Img<UnsignedShortType> unsigned = fill(ArrayImgs.unsignedShorts(4, 3),
                p -> 65535 - (10 * p[1] + p[0]));
        NDArray fromUnsigned = ImageTensors.toNDArray(ct2d(unsigned), manager);
        assertEquals(DataType.FLOAT32, fromUnsigned.getDataType());
        assertEquals(65535f - 21, fromUnsigned.getFloat(0, 2, 1));

        // 2x2x2 cells: a CellImg's own iteration order is cell by cell, not flat
        Img<ShortType> cells = fill(new CellImgFactory<>(new ShortType(), 2).create(5, 3, 2),
                p -> -(100 * p[2] + 10 * p[1] + p[0]));
        NDArray fromCells = ImageTensors.toNDArray(mr3d(cells), manager);
        assertEquals(new Shape(1, 2, 3, 5), fromCells.getShape());
        float[] expected = new float[30];
        for (int z = 0, i = 0; z < 2; z++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 5; x++) {
                    expected[i++] = -(100 * z + 10 * y + x);
                }
            }
        }
        assertArrayEquals(expected, fromCells.toFloatArray());
    }

    @Test
    void batchesOf2dAnd3dImagesRoundTrip() {
        MedicalImage<FloatType> first = ct2d(floats(4, 3), p -> 10 * p[1] + p[0]);
        MedicalImage<FloatType> second = ct2d(floats(4, 3), p -> -(10 * p[1] + p[0]) - 0.5);
        NDArray batch = ImageTensors.toBatch(List.of(first, second), manager);
        assertEquals(new Shape(2, 1, 3, 4), batch.getShape());
        assertEquals(-21.5f, batch.getFloat(1, 0, 2, 1), "image 1, pixel (x=1, y=2)");
        List<MedicalImage<FloatType>> back = ImageTensors.fromBatch(batch, first);
        assertEquals(2, back.size());
        assertArrayEquals(flat(first.pixels()), flat(back.get(0).pixels()));
        assertArrayEquals(flat(second.pixels()), flat(back.get(1).pixels()));

        MedicalImage<FloatType> volume = mr3d(floats(4, 3, 2), p -> 100 * p[2] + 10 * p[1] + p[0]);
        NDArray volumes = ImageTensors.toBatch(List.of(volume, volume, volume), manager);
        assertEquals(new Shape(3, 1, 2, 3, 4), volumes.getShape());
        assertEquals(123f, volumes.getFloat(2, 0, 1, 2, 3));
        for (MedicalImage<FloatType> image : ImageTensors.fromBatch(volumes, volume)) {
            assertArrayEquals(flat(volume.pixels()), flat(image.pixels()));
            assertEquals(ANISOTROPIC_3D, image.geometry());
        }
    }

    @Test
    void nonFloatArraysAndNewChannelsConvertBack() {
        MedicalImage<FloatType> template = ct2d(floats(2, 2), p -> 0);
        NDArray ints = manager.create(new int[] {1, 2, 3, 4, 5, 6, 7, 8}, new Shape(2, 2, 2));
        MedicalImage<FloatType> image = ImageTensors.toImage(ints, template, List.of("mean", "variance"));

        assertArrayEquals(new long[] {2, 2, 2}, image.dimensions());
        assertEquals(List.of("mean", "variance"), image.channelLabels());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, flat(image.pixels()));
    }

    @Test
    void shapeErrorsSayWhatWasExpected() {
        MedicalImage<FloatType> template = ct2d(floats(4, 3), p -> 0);

        String transposed = assertThrows(IllegalArgumentException.class,
                () -> ImageTensors.toImage(manager.zeros(new Shape(1, 4, 3)), template)).getMessage();
        assertEquals("NDArray shape (1, 4, 3) does not fit a 2D image of 4 x 3 pixels (x, y) with 1 channel(s): "
                + "expected (C, H, W) = (1, 3, 4)", transposed);

        String batched = assertThrows(IllegalArgumentException.class,
                () -> ImageTensors.toImage(manager.zeros(new Shape(2, 1, 3, 4)), template)).getMessage();
        assertTrue(batched.contains("(2, 1, 3, 4) has a batch axis") && batched.contains("fromBatch"), batched);

        String channels = assertThrows(IllegalArgumentException.class,
                () -> ImageTensors.toImage(manager.zeros(new Shape(2, 3, 4)), template)).getMessage();
        assertTrue(channels.contains("with 1 channel(s)"), channels);

        String unbatched = assertThrows(IllegalArgumentException.class,
                () -> ImageTensors.fromBatch(manager.zeros(new Shape(1, 3, 4)), template)).getMessage();
        assertTrue(unbatched.contains("expected (N, C, H, W)"), unbatched);

        MedicalImage<FloatType> other = ct2d(floats(3, 4), p -> 0);
        String mixed = assertThrows(IllegalArgumentException.class,
                () -> ImageTensors.toBatch(List.of(template, other), manager)).getMessage();
        assertEquals("image 1 of the batch has array shape (1, 4, 3) but image 0 has (1, 3, 4): a batch needs images "
                + "of one size and channel count", mixed);

        assertThrows(IllegalArgumentException.class, () -> ImageTensors.toBatch(List.of(), manager));
    }

    private static Img<FloatType> floats(long... dims) {
        return ArrayImgs.floats(dims);
    }

    private static MedicalImage<FloatType> ct2d(Img<FloatType> pixels, ToDoubleFunction<long[]> value) {
        return ct2d(fill(pixels, value));
    }

    private static <T extends NativeType<T> & RealType<T>> MedicalImage<T> ct2d(Img<T> pixels) {
        return new MedicalImage<>(pixels, ROTATED_2D, Modality.CT, IntensityUnit.HOUNSFIELD, List.of(), SYNTHETIC);
    }

    private static MedicalImage<FloatType> mr3d(Img<FloatType> pixels, ToDoubleFunction<long[]> value) {
        return mr3d(fill(pixels, value));
    }

    private static <T extends NativeType<T> & RealType<T>> MedicalImage<T> mr3d(Img<T> pixels) {
        return new MedicalImage<>(pixels, ANISOTROPIC_3D, Modality.MR, IntensityUnit.ARBITRARY, List.of(),
                Provenance.acquired());
    }

    private static <T extends RealType<T>> Img<T> fill(Img<T> img, ToDoubleFunction<long[]> value) {
        Cursor<T> cursor = img.localizingCursor();
        long[] position = new long[img.numDimensions()];
        while (cursor.hasNext()) {
            cursor.fwd();
            cursor.localize(position);
            cursor.get().setReal(value.applyAsDouble(position));
        }
        return img;
    }

    private static <T extends RealType<T>> float[] flat(Img<T> img) {
        float[] values = new float[(int) img.size()];
        Cursor<T> cursor = Views.flatIterable(img).cursor();
        for (int i = 0; cursor.hasNext(); i++) {
            values[i] = cursor.next().getRealFloat();
        }
        return values;
    }
}
