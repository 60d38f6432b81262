package org.medsynth.io.nifti.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import net.imglib2.RandomAccess;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import org.eclipse.core.runtime.Platform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.core.api.ImageFormatException;
import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.core.image.Provenance;
import org.medsynth.core.registry.ImageFormats;
import org.medsynth.io.nifti.internal.NiftiFormat;

/**
 * NIfTI through the registry, checked against nibabel: real files (nibabel's test data, Colin27 and atlases from
 * mricron-data) and files MedSynth writes, whose exact bytes nibabel read back when the reference was made.
 */
class NiftiFormatTest {
    private static final Map<String, Path> DATA = Map.of(
            "nibabel", Path.of("/usr/lib/python3/dist-packages/nibabel/tests/data"),
            "mricron", Path.of("/usr/share/mricron/templates"));
    /** Set to a folder to keep the round-trip files for the reference script. */
    private static final String KEEP_PROPERTY = "medsynth.nifti.roundTripFolder";
    private static final Provenance SYNTHETIC = new Provenance(true, "phantom.torso", "0.1.0", "", "", 7,
            Map.of("size", "6"), List.of(), "0.1.0", Instant.parse("2026-11-23T10:00:00Z"));

    @TempDir
    Path work;

    private final ImageFormats formats = ImageFormats.get();

    private static JsonObject reference() throws IOException {
        try (InputStream in = Platform.getBundle("org.medsynth.io.nifti.tests").getEntry("reference/nifti_reference.json")
                .openStream()) {
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }

    private static double[] values(MedicalImage<?> image) {
        return Views.flatIterable(image.pixels()).stream().mapToDouble(t -> ((RealType<?>) t).getRealDouble()).toArray();
    }

    /** The RAS voxel-to-world affine (3×4) of an LPS geometry, as nibabel reports it. */
    private static double[][] rasAffine(Geometry g) {
        int n = g.dimensions();
        double[][] a = new double[3][4];
        for (int r = 0; r < 3; r++) {
            double sign = r < 2 ? -1 : 1;
            for (int c = 0; c < 3; c++) {
                double d = r < n && c < n ? g.direction()[r * n + c] : r == c ? 1 : 0;
                a[r][c] = sign * d * (c < n ? g.spacing(c) : 1);
            }
            a[r][3] = r < n ? sign * g.origin()[r] : 0;
        }
        return a;
    }

    private static void assertMatchesNibabel(String name, JsonObject expected, MedicalImage<?> image) {
        JsonArray shape = expected.getAsJsonArray("shape");
        long[] dims = image.dimensions();
        assertEquals(shape.size(), dims.length, name + " shape");
        for (int i = 0; i < dims.length; i++) {
            assertEquals(shape.get(i).getAsLong(), dims[i], name + " shape axis " + i);
        }
        double[][] affine = rasAffine(image.geometry());
        JsonArray rows = expected.getAsJsonArray("affine");
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                assertEquals(rows.get(r).getAsJsonArray().get(c).getAsDouble(), affine[r][c], 1e-4,
                        name + " affine[" + r + "][" + c + "]");
            }
        }
        double[] v = values(image);
        double sum = 0;
        double squares = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            sum += x;
            squares += x * x;
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        double scale = Math.max(1, Math.abs(expected.get("max").getAsDouble()));
        assertEquals(expected.get("min").getAsDouble(), min, 1e-6 * scale, name + " min");
        assertEquals(expected.get("max").getAsDouble(), max, 1e-6 * scale, name + " max");
        assertEquals(expected.get("sum").getAsDouble(), sum, 1e-6 * Math.abs(expected.get("sum").getAsDouble()) + 1e-9,
                name + " sum");
        assertEquals(expected.get("sum_squares").getAsDouble(), squares,
                1e-6 * expected.get("sum_squares").getAsDouble() + 1e-9, name + " sum of squares");
        RandomAccess<?> access = image.pixels().randomAccess();
        for (JsonElement p : expected.getAsJsonArray("probes")) {
            JsonArray index = p.getAsJsonObject().getAsJsonArray("index");
            long[] pos = new long[index.size()];
            for (int i = 0; i < pos.length; i++) {
                pos[i] = index.get(i).getAsLong();
            }
            access.setPosition(pos);
            double value = ((RealType<?>) access.get()).getRealDouble();
            assertEquals(p.getAsJsonObject().get("value").getAsDouble(), value, 1e-6 * scale, name + " voxel " + index);
        }
    }

    @Test
    void realFilesMatchNibabel() throws Exception {
        JsonObject files = reference().getAsJsonObject("files");
        for (String name : files.keySet()) {
            String[] source = name.split("/", 2);
            Path file = DATA.get(source[0]).resolve(source[1]);
            assertTrue(Files.isRegularFile(file), file + " is missing: install Debian python3-nibabel and mricron-data");
            MedicalImage<?> image = formats.read(file);
            assertMatchesNibabel(name, files.getAsJsonObject(name), image);
            assertEquals(false, image.isSynthetic(), name);
        }
    }

    @Test
    void scaledIntegersBecomeFloats() throws Exception {
        JsonObject functional = reference().getAsJsonObject("files").getAsJsonObject("nibabel/functional.nii");
        assertTrue(functional.getAsJsonArray("slope_inter").get(0).getAsDouble() != 1, "reference file has scl_slope");
        MedicalImage<?> image = formats.read(DATA.get("nibabel").resolve("functional.nii"));
        assertInstanceOf(FloatType.class, image.pixels().firstElement());
        assertEquals(20, image.channels());
    }

    /** Oblique float volume, synthetic: gzipped NIfTI-1. */
    private static MedicalImage<FloatType> obliqueFloat() {
        float[] v = new float[6 * 5 * 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = i * 0.75f - 30;
        }
        double c = Math.cos(0.4);
        double s = Math.sin(0.4);
        Geometry g = new Geometry(new double[] {0.8, 0.9, 2.5}, new double[] {-12.5, 30, -40},
                new double[] {c, 0, s, 0, 1, 0, -s, 0, c});
        return new MedicalImage<>(ArrayImgs.floats(v, 6, 5, 4), g, Modality.CT, IntensityUnit.HOUNSFIELD, List.of(),
                SYNTHETIC);
    }

    /** Two-volume int16 image with a left-handed (flipped z) orientation: NIfTI-2. */
    private static MedicalImage<ShortType> flippedTwoVolumes() {
        short[] v = new short[7 * 3 * 2 * 2];
        for (int i = 0; i < v.length; i++) {
            v[i] = (short) (i * 37 - 500);
        }
        Geometry g = new Geometry(new double[] {1.5, 1.25, 3}, new double[] {100, -20, 7},
                new double[] {0, 1, 0, 1, 0, 0, 0, 0, -1});
        return new MedicalImage<>(ArrayImgs.shorts(v, 7, 3, 2, 2), g, Modality.MR, IntensityUnit.ARBITRARY,
                List.of("volume 0", "volume 1"), Provenance.acquired());
    }

    /** Single-plane uint8 label image. */
    private static MedicalImage<UnsignedByteType> planarLabels() {
        byte[] v = new byte[9 * 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = (byte) (i * 7);
        }
        return new MedicalImage<>(ArrayImgs.unsignedBytes(v, 9, 4), new Geometry(new double[] {0.5, 0.25},
                new double[] {3, 4}, Geometry.identity(2)), Modality.OT, IntensityUnit.LABEL, List.of(),
                Provenance.acquired());
    }

    private void writeRoundTrip(String name, MedicalImage<?> image, int version) throws Exception {
        Path file = work.resolve(name);
        if (version == 0) {
            formats.write(image, file);
        } else {
            NiftiFormat.write(image, file, version);
        }
        String keep = System.getProperty(KEEP_PROPERTY);
        if (keep != null) {
            Files.createDirectories(Path.of(keep));
            Files.copy(file, Path.of(keep, name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String uncompressedSha256(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        if (file.toString().endsWith(".gz")) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                bytes = in.readAllBytes();
            }
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void writtenFilesAreWhatNibabelReadBack() throws Exception {
        Map<String, MedicalImage<?>> images = Map.of("oblique_float.nii.gz", obliqueFloat(),
                "flipped_two_volumes_v2.nii", flippedTwoVolumes(), "planar_labels.nii", planarLabels());
        for (var e : images.entrySet()) {
            writeRoundTrip(e.getKey(), e.getValue(), e.getKey().contains("_v2") ? 2 : 0);
        }
        JsonObject roundTrips = reference().getAsJsonObject("roundtrips");
        for (var e : images.entrySet()) {
            String name = e.getKey();
            MedicalImage<?> original = e.getValue();
            Path file = work.resolve(name);
            JsonObject nibabel = roundTrips.getAsJsonObject(name);
            assertEquals(nibabel.get("uncompressed_sha256").getAsString(), uncompressedSha256(file),
                    name + ": bytes differ from the file nibabel checked; regenerate the reference if intended");
            assertEquals(name.contains("_v2") ? 2 : 1, nibabel.get("version").getAsInt(), name + " NIfTI version");
            // nibabel saw the geometry and voxels of the original image
            assertMatchesNibabel(name + " (original vs nibabel)", nibabel, original);
            MedicalImage<?> back = formats.read(file);
            assertArrayEquals(values(original), values(back), name + " voxels");
            assertEquals(original.pixels().firstElement().getClass(), back.pixels().firstElement().getClass(), name);
            assertArrayEquals(original.geometry().spacing(), back.geometry().spacing(), 1e-5, name + " spacing");
            assertArrayEquals(original.geometry().origin(), back.geometry().origin(), 1e-4, name + " origin");
            assertArrayEquals(original.geometry().direction(), back.geometry().direction(), 1e-6, name + " direction");
            assertEquals(original.modality(), back.modality(), name);
            assertEquals(original.unit(), back.unit(), name);
            assertEquals(original.provenance(), back.provenance(), name);
            assertEquals(original.channelLabels(), back.channelLabels(), name);
        }
        JsonObject synthetic = roundTrips.getAsJsonObject("oblique_float.nii.gz");
        assertTrue(synthetic.get("descrip").getAsString().startsWith("SYNTHETIC"), "descrip marks synthetic images");
        String extension = synthetic.getAsJsonArray("extensions").get(0).getAsJsonObject().get("content").getAsString();
        assertTrue(extension.contains("provenance={") && extension.contains("phantom.torso"), extension);
    }

    // ---- bad input --------------------------------------------------------------------------------------------

    private Path validFile() throws Exception {
        Path file = work.resolve("valid.nii");
        NiftiFormat.write(obliqueFloat(), file, 1);
        return file;
    }

    private ImageFormatException rejects(Path file, String expectedProblem) {
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> formats.read(file));
        assertTrue(e.getMessage().contains(file.toString()), "message names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(expectedProblem), "message says '" + expectedProblem + "': " + e.getMessage());
        return e;
    }

    private Path variant(String name, byte[] bytes) throws IOException {
        Path file = work.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    @Test
    void truncatedAndWrongLengthsAreClearErrors() throws Exception {
        byte[] valid = Files.readAllBytes(validFile());
        rejects(variant("short-header.nii", java.util.Arrays.copyOf(valid, 200)), "header needs 348");
        rejects(variant("cut-pixels.nii", java.util.Arrays.copyOf(valid, valid.length - 10)), "can hold at most");
        byte[] gz = gzip(valid);
        rejects(variant("cut.nii.gz", java.util.Arrays.copyOf(gz, gz.length - 30)), "cut.nii.gz");
        byte[] badSize = valid.clone();
        ByteBuffer.wrap(badSize).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 1234);
        rejects(variant("bad-size.nii", badSize), "sizeof_hdr is 1234");
        byte[] rgb = valid.clone();
        ByteBuffer.wrap(rgb).order(ByteOrder.LITTLE_ENDIAN).putShort(70, (short) 128);
        rejects(variant("rgb.nii", rgb), "RGB24");
        byte[] badExtension = valid.clone();
        ByteBuffer.wrap(badExtension).order(ByteOrder.LITTLE_ENDIAN).putInt(352, 1 << 30);
        rejects(variant("bad-extension.nii", badExtension), "does not fit before the voxels");
    }

    @Test
    void absurdDimensionsAreRefusedBeforeAllocating() throws Exception {
        byte[] valid = Files.readAllBytes(validFile());
        byte[] huge = valid.clone();
        ByteBuffer b = ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(42, (short) 32000).putShort(44, (short) 32000).putShort(46, (short) 32000);
        rejects(variant("huge.nii", huge), "can hold at most");
        rejects(variant("huge.nii.gz", gzip(huge)), "can hold at most");
        byte[] negative = valid.clone();
        ByteBuffer.wrap(negative).order(ByteOrder.LITTLE_ENDIAN).putShort(44, (short) -5);
        rejects(variant("negative.nii", negative), "sizes must be positive");
    }

    /**
     * Deterministic mutation fuzzing over a plain and a gzipped seed: every mutant either reads or fails with an
     * ImageFormatException naming the file; anything else (a crash of the reader) fails the test.
     */
    @Test
    void mutatedFilesNeverCrashTheReader() throws Exception {
        byte[] plain = Files.readAllBytes(validFile());
        byte[][] seeds = {plain, gzip(plain)};
        Random random = new Random(20261123);
        for (int round = 0; round < 400; round++) {
            byte[] seed = seeds[round % 2];
            byte[] mutant = seed.clone();
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits; e++) {
                int at = random.nextInt(round % 2 == 0 ? Math.min(mutant.length, 400) : mutant.length);
                mutant[at] = (byte) random.nextInt(256);
            }
            if (random.nextInt(5) == 0) {
                mutant = java.util.Arrays.copyOf(mutant, random.nextInt(mutant.length));
            }
            Path file = variant("mutant" + round + (round % 2 == 0 ? ".nii" : ".nii.gz"), mutant);
            try {
                formats.read(file);
            } catch (ImageFormatException expected) {
                assertTrue(expected.getMessage().contains(file.toString()), expected.getMessage());
            }
        }
    }
}
