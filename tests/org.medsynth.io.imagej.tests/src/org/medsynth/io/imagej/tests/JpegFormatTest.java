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

import com.google.gson.JsonObject;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.integer.UnsignedByteType;
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

class JpegFormatTest {
    private final ImageFormats formats = ImageFormats.get();

    @TempDir
    Path dir;

    /** A smooth image, so that JPEG's error stays small: a CT-like range of -1000..2000 HU. */
    private static float[] smooth(int w, int h) {
        float[] v = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                v[y * w + x] = (float) (500 + 1500 * Math.sin(x / 9.0) * Math.cos(y / 7.0));
            }
        }
        return v;
    }

    @Test
    void floatImageRoundTripsThroughTheStoredMappingWithMetadata() throws Exception {
        int w = 48;
        int h = 40;
        float[] values = smooth(w, h);
        Geometry geometry = new Geometry(new double[] {0.625, 1.25}, new double[] {-30, 12}, Geometry.identity(2));
        Provenance synthetic = new Provenance(true, "phantom.torso", "0.1.0", "", "", 11, Map.of(), List.of(), "0.1.0",
                Instant.parse("2026-03-04T05:06:07Z"));
        MedicalImage<FloatType> written = new MedicalImage<>(ArrayImgs.floats(values, w, h), geometry, Modality.CT,
                IntensityUnit.HOUNSFIELD, List.of(), synthetic);
        Path file = dir.resolve("slice.jpg");
        formats.write(written, file);
        MedicalImage<?> read = formats.read(file);
        assertEquals(geometry, read.geometry());
        assertEquals(synthetic, read.provenance());
        assertEquals(IntensityUnit.HOUNSFIELD, read.unit());
        double step = (Arrays.stream(ReferenceFiles.values(written)).max().getAsDouble()
                - Arrays.stream(ReferenceFiles.values(written)).min().getAsDouble()) / 255;
        double[] got = ReferenceFiles.values(read);
        double maxError = 0;
        for (int i = 0; i < values.length; i++) {
            maxError = Math.max(maxError, Math.abs(got[i] - values[i]));
        }
        // half a step of quantisation plus at most two grey levels of JPEG error at quality 100
        assertTrue(maxError <= 2.5 * step, "max error " + maxError + " HU, step " + step);
    }

    @Test
    void eightBitImageIsWrittenAsItIsAndReadAsUnsignedBytes() throws Exception {
        byte[] grey = new byte[32 * 32];
        for (int i = 0; i < grey.length; i++) {
            grey[i] = (byte) (64 + (i % 32) * 4);
        }
        Path file = dir.resolve("grey.jpeg");
        formats.write(MedicalImage.of(ArrayImgs.unsignedBytes(grey, 32, 32), Geometry.isotropic(2, 1), Modality.OT,
                IntensityUnit.ARBITRARY), file);
        MedicalImage<?> read = formats.read(file);
        assertInstanceOf(UnsignedByteType.class, read.pixels().firstElement());
        double[] got = ReferenceFiles.values(read);
        for (int i = 0; i < grey.length; i++) {
            assertEquals(grey[i] & 0xff, got[i], 2, "pixel " + i);
        }
    }

    /** Pillow (libjpeg) wrote and decoded this file; ImageJ's decoding must agree to within one grey level. */
    @Test
    void libjpegFileDecodesToPillowsValues() throws Exception {
        JsonObject expected = ReferenceFiles.files().getAsJsonObject("pillow_grey.jpg");
        MedicalImage<?> read = formats.read(ReferenceFiles.copy("pillow_grey.jpg", dir));
        assertArrayEquals(new long[] {32, 24}, read.dimensions());
        double[] values = expected.getAsJsonArray("values").asList().stream().mapToDouble(e -> e.getAsDouble())
                .toArray();
        assertArrayEquals(values, ReferenceFiles.values(read), 1.0);
        assertArrayEquals(new double[] {1, 1}, read.geometry().spacing());
    }

    @Test
    void truncatedJpegAndVolumesAreRefusedNamingTheFile() throws Exception {
        byte[] whole = Files.readAllBytes(ReferenceFiles.copy("pillow_grey.jpg", dir));
        Path cut = dir.resolve("cut.jpg");
        Files.write(cut, Arrays.copyOf(whole, whole.length - 100));
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> formats.read(cut));
        assertTrue(e.getMessage().startsWith(cut.toString()) && e.getMessage().contains("truncated"), e.getMessage());

        Path volume = dir.resolve("volume.jpg");
        e = assertThrows(ImageFormatException.class, () -> formats.write(MedicalImage.of(ArrayImgs.floats(4, 4, 2),
                Geometry.isotropic(3, 1), Modality.CT, IntensityUnit.HOUNSFIELD), volume));
        assertTrue(e.getMessage().contains("JPEG holds one 2D grey image"), e.getMessage());
    }
}
