package org.medsynth.io.imagej.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonObject;

import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.core.image.Provenance;
import org.medsynth.core.registry.ImageFormats;

/**
 * What MedSynth writes, as independent readers see it: tifffile and Pillow read these very files (same sha256) in
 * reference/imagej_reference.py, which recorded values, calibration and comments.
 */
class WrittenFilesTest {
    private static final Provenance SYNTHETIC = new Provenance(true, "phantom.torso", "0.1.0", "", "", 5, Map.of(),
            List.of(), "0.1.0", Instant.parse("2026-12-05T00:00:00Z"));

    @TempDir
    Path dir;

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static MedicalImage<?> image(Img<?> pixels, Geometry geometry, List<String> labels) {
        return new MedicalImage(pixels, geometry, Modality.CT, IntensityUnit.HOUNSFIELD, labels, SYNTHETIC);
    }

    /** Deterministic images of each kind MedSynth writes through ImageJ. */
    static Map<String, MedicalImage<?>> images() {
        short[] ct = new short[9 * 7 * 4];
        for (int i = 0; i < ct.length; i++) {
            ct[i] = (short) (-1024 + (i * 37) % 3000);
        }
        float[] channels = new float[6 * 5 * 3];
        for (int i = 0; i < channels.length; i++) {
            channels[i] = (float) (Math.cos(i * 0.21) * 250.5);
        }
        float[] slice = new float[40 * 30];
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                slice[y * 40 + x] = (float) (-200 + 900 * Math.sin(x / 8.0) * Math.sin(y / 6.0));
            }
        }
        Map<String, MedicalImage<?>> images = new LinkedHashMap<>();
        images.put("written_s16_volume.tif", image(ArrayImgs.shorts(ct, 9, 7, 4),
                new Geometry(new double[] {0.9, 0.7, 3.0}, new double[] {5, -6, 7}, Geometry.identity(3)), List.of()));
        images.put("written_f32_channels.tif", image(ArrayImgs.floats(channels, 6, 5, 3),
                new Geometry(new double[] {0.25, 0.5}, new double[] {0, 0}, Geometry.identity(2)),
                List.of("a", "b", "c")));
        images.put("written_f32.jpg", image(ArrayImgs.floats(slice, 40, 30), Geometry.isotropic(2, 0.8), List.of()));
        return images;
    }

    @Test
    void tifffileAndPillowReadWhatMedSynthWrote() throws Exception {
        JsonObject written = ReferenceFiles.written();
        for (var e : images().entrySet()) {
            String name = e.getKey();
            MedicalImage<?> original = e.getValue();
            Path file = dir.resolve(name);
            ImageFormats.get().write(original, file);
            JsonObject seen = written.getAsJsonObject(name);
            assertEquals(seen.get("sha256").getAsString(),
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))),
                    name + ": bytes differ from the file the independent reader checked; regenerate the reference");
            double[] values = seen.getAsJsonArray("values").asList().stream().mapToDouble(v -> v.getAsDouble())
                    .toArray();
            double[] ours = ReferenceFiles.values(original);
            String comment = seen.get("comment").getAsString();
            assertTrue(comment.startsWith("SYNTHETIC image made by MedSynth"), name + ": " + comment);
            if (name.endsWith(".jpg")) {
                // Pillow's grey levels, mapped back through the stored mapping, within JPEG's error
                double step = (max(ours) - min(ours)) / 255;
                for (int i = 0; i < ours.length; i++) {
                    double restored = min(ours) + step * values[i];
                    assertEquals(ours[i], restored, 2.5 * step, name + " pixel " + i);
                }
                continue;
            }
            // tifffile sees ImageJ's stored values; the calibration maps them to ours (value = c0 + c1 * stored)
            double c0 = seen.get("c0").getAsDouble();
            double c1 = seen.get("c1").getAsDouble();
            for (int i = 0; i < ours.length; i++) {
                assertEquals(ours[i], c0 + c1 * values[i], 1e-3, name + " value " + i);
            }
            double[] spacing = seen.getAsJsonArray("spacing").asList().stream().mapToDouble(v -> v.getAsDouble())
                    .toArray();
            assertArrayEquals(original.geometry().spacing(), spacing, 1e-6, name + " spacing");
            assertEquals("mm", seen.get("unit").getAsString(), name);
            assertEquals("HU", seen.get("vunit").getAsString(), name);
            assertEquals(original.channels(), seen.get("channels").getAsInt(), name);
        }
    }

    private static double min(double[] v) {
        return java.util.Arrays.stream(v).min().getAsDouble();
    }

    private static double max(double[] v) {
        return java.util.Arrays.stream(v).max().getAsDouble();
    }
}
