package org.medsynth.io.imagej.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.google.gson.JsonObject;

import ij.ImagePlus;
import ij.io.Opener;

import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.core.api.ImageFormatException;
import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.core.image.Provenance;
import org.medsynth.core.registry.ImageFormats;

class TiffFormatTest {
    private static final Provenance SYNTHETIC = new Provenance(true, "phantom.torso", "0.1.0", "", "", 7,
            Map.of("size", "8"), List.of(), "0.1.0", Instant.parse("2026-01-02T03:04:05Z"));

    private final ImageFormats formats = ImageFormats.get();

    @TempDir
    Path dir;

    private static double[] ramp(int n, double start, double step) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = start + step * i;
        }
        return v;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static MedicalImage<?> image(Img<?> pixels, Geometry geometry, List<String> labels, Provenance provenance) {
        return new MedicalImage(pixels, geometry, Modality.CT, IntensityUnit.HOUNSFIELD, labels, provenance);
    }

    /** Each bit depth written and read back: same type, values, geometry; ImageJ itself sees the calibration. */
    @Test
    void roundTripsEveryBitDepthWithSpacingAndOrigin() throws Exception {
        Geometry plane = new Geometry(new double[] {0.7, 0.45}, new double[] {-10.5, 3.25}, Geometry.identity(2));
        int w = 7;
        int h = 5;
        Random random = new Random(3);
        byte[] u8 = new byte[w * h];
        random.nextBytes(u8);
        short[] u16 = new short[w * h];
        short[] s16 = new short[w * h];
        float[] f32 = new float[w * h];
        for (int i = 0; i < w * h; i++) {
            u16[i] = (short) random.nextInt(65536);
            s16[i] = (short) (random.nextInt(65536) - 32768);
            f32[i] = (float) (random.nextGaussian() * 1e4);
        }
        Map<String, Img<?>> cases = Map.of("u8.tif", ArrayImgs.unsignedBytes(u8, w, h), "u16.tiff",
                ArrayImgs.unsignedShorts(u16, w, h), "s16.tif", ArrayImgs.shorts(s16, w, h), "f32.tif",
                ArrayImgs.floats(f32, w, h), "f64.tif", ArrayImgs.doubles(ramp(w * h, -3.5, 0.25), w, h));
        Map<String, Class<?>> types = Map.of("u8.tif", UnsignedByteType.class, "u16.tiff", UnsignedShortType.class,
                "s16.tif", ShortType.class, "f32.tif", FloatType.class, "f64.tif", FloatType.class);
        for (var c : cases.entrySet()) {
            MedicalImage<?> written = image(c.getValue(), plane, List.of(), Provenance.acquired());
            Path file = dir.resolve(c.getKey());
            formats.write(written, file);
            MedicalImage<?> read = formats.read(file);
            assertInstanceOf(types.get(c.getKey()), read.pixels().firstElement(), c.getKey());
            assertArrayEquals(ReferenceFiles.values(written), ReferenceFiles.values(read), c.getKey());
            assertEquals(plane, read.geometry(), c.getKey());
            assertEquals(Modality.CT, read.modality());
            assertEquals(IntensityUnit.HOUNSFIELD, read.unit());
            assertTrue(!read.isSynthetic());

            ImagePlus imagej = new Opener().openImage(file.toString());
            assertEquals("mm", imagej.getCalibration().getUnit(), c.getKey());
            assertEquals(0.7, imagej.getCalibration().pixelWidth, 0.7e-6, c.getKey());
            assertEquals(0.45, imagej.getCalibration().pixelHeight, 0.45e-6, c.getKey());
            assertEquals(15, imagej.getCalibration().xOrigin, 1e-5, c.getKey());
        }
    }

    @Test
    void volumeWithChannelsIsOneImageJHyperstackAndComesBackWhole() throws Exception {
        double c = Math.cos(0.3);
        double s = Math.sin(0.3);
        Geometry geometry = new Geometry(new double[] {0.8, 0.6, 2.0}, new double[] {-100, 20, 5.5},
                new double[] {c, -s, 0, s, c, 0, 0, 0, 1});
        float[] values = new float[6 * 4 * 5 * 2];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.sin(i * 0.37) * 500;
        }
        MedicalImage<?> written = image(ArrayImgs.floats(values, 6, 4, 5, 2), geometry, List.of("T1", "T2"),
                SYNTHETIC);
        Path file = dir.resolve("volume.tif");
        formats.write(written, file);

        ImagePlus imagej = new Opener().openImage(file.toString());
        assertEquals(5, imagej.getNSlices());
        assertEquals(2, imagej.getNChannels());
        assertEquals(2.0, imagej.getCalibration().pixelDepth, 2e-6);
        assertTrue(imagej.getInfoProperty().startsWith("SYNTHETIC image made by MedSynth"), imagej.getInfoProperty());

        MedicalImage<?> read = formats.read(file);
        assertArrayEquals(new long[] {6, 4, 5, 2}, read.dimensions());
        assertArrayEquals(values, toFloats(ReferenceFiles.values(read)));
        assertEquals(geometry, read.geometry());
        assertEquals(SYNTHETIC, read.provenance());
        assertEquals(List.of("channel 0", "channel 1"), read.channelLabels());
    }

    private static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    /** tifffile and Pillow wrote these; their decoded values must be ours, bit for bit. */
    @Test
    void filesOfOtherWritersDecodeToTheirReadersValues() throws Exception {
        JsonObject files = ReferenceFiles.files();
        int checked = 0;
        for (String name : files.keySet()) {
            if (!name.endsWith(".tif")) {
                continue;
            }
            JsonObject expected = files.getAsJsonObject(name);
            MedicalImage<?> read = formats.read(ReferenceFiles.copy(name, dir));
            long[] shape = expected.getAsJsonArray("shape").asList().stream().mapToLong(e -> e.getAsLong()).toArray();
            assertArrayEquals(shape, read.dimensions(), name);
            double[] values = expected.getAsJsonArray("values").asList().stream().mapToDouble(e -> e.getAsDouble())
                    .toArray();
            assertArrayEquals(values, ReferenceFiles.values(read), name);
            assertEquals(expected.get("sum").getAsDouble(), Arrays.stream(ReferenceFiles.values(read)).sum(),
                    1e-6 * Math.max(1, Math.abs(expected.get("sum").getAsDouble())), name);
            double[] spacing = expected.getAsJsonArray("spacing").asList().stream().mapToDouble(e -> e.getAsDouble())
                    .toArray();
            assertArrayEquals(spacing, read.geometry().spacing(), 1e-6, name);
            checked++;
        }
        assertEquals(7, checked);
    }

    @Test
    void truncatedAndMalformedTiffsAreRefusedNamingTheFile() throws Exception {
        Path whole = dir.resolve("whole.tif");
        formats.write(image(ArrayImgs.doubles(ramp(32 * 32, 0, 1), 32, 32), Geometry.isotropic(2, 1), List.of(),
                Provenance.acquired()), whole);
        Path cut = dir.resolve("cut.tif");
        Files.write(cut, Arrays.copyOf(Files.readAllBytes(whole), 2000));
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> formats.read(cut));
        assertTrue(e.getMessage().startsWith(cut.toString()) && e.getMessage().contains("TIFF is truncated"),
                e.getMessage());

        byte[] lzw = Files.readAllBytes(ReferenceFiles.copy("pillow_lzw_uint8.tif", dir));
        Path cutLzw = dir.resolve("cut_lzw.tif");
        Files.write(cutLzw, Arrays.copyOf(lzw, 300));
        e = assertThrows(ImageFormatException.class, () -> formats.read(cutLzw));
        assertTrue(e.getMessage().startsWith(cutLzw.toString()), e.getMessage());

        Path header = dir.resolve("header_only.tif");
        Files.write(header, Arrays.copyOf(lzw, 6));
        e = assertThrows(ImageFormatException.class, () -> formats.read(header));
        assertTrue(e.getMessage().startsWith(header.toString()), e.getMessage());

        Path mixed = ReferenceFiles.copy("tifffile_mixed_pages.tif", dir);
        e = assertThrows(ImageFormatException.class, () -> formats.read(mixed));
        assertTrue(e.getMessage().startsWith(mixed.toString()) && e.getMessage().contains("page 1 (8x6, 8-bit")
                && e.getMessage().contains("differs from page 0 (16x12"), e.getMessage());

        Path text = dir.resolve("text.tif");
        Files.writeString(text, "this is not a TIFF file at all");
        e = assertThrows(ImageFormatException.class, () -> formats.read(text));
        assertTrue(e.getMessage().startsWith(text.toString()), e.getMessage());
    }
}
