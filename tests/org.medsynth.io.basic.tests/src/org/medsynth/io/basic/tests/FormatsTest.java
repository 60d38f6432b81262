package org.medsynth.io.basic.tests;

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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.DeflaterOutputStream;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import net.imglib2.RandomAccess;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.ShortType;
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

/** MetaImage and PNG through the registry: round trips, real ITK files, bad and fuzzed input. */
class FormatsTest {
    private static final Path ITK_DATA = Path.of("/usr/share/doc/insighttoolkit5-examples/examples/Data");

    @TempDir
    Path work;

    private final ImageFormats formats = ImageFormats.get();

    private static final Provenance SYNTHETIC = new Provenance(true, "phantom.torso", "0.1.0", "", "", 5,
            Map.of("size", "8"), List.of(), "0.1.0", Instant.parse("2026-11-23T10:00:00Z"));

    private static MedicalImage<FloatType> ramp3d() {
        float[] v = new float[5 * 4 * 3];
        for (int i = 0; i < v.length; i++) {
            v[i] = i * 1.5f - 20;
        }
        double c = Math.cos(0.3);
        double s = Math.sin(0.3);
        Geometry g = new Geometry(new double[] {0.7, 0.8, 2.5}, new double[] {-12.5, 3, 40},
                new double[] {c, -s, 0, s, c, 0, 0, 0, 1});
        return new MedicalImage<>(ArrayImgs.floats(v, 5, 4, 3), g, Modality.CT, IntensityUnit.HOUNSFIELD, List.of(),
                SYNTHETIC);
    }

    private static double[] values(MedicalImage<?> image) {
        return Views.flatIterable(image.pixels()).stream().mapToDouble(t -> ((RealType<?>) t).getRealDouble()).toArray();
    }

    @Test
    void metaImageRoundTripKeepsPixelsGeometryMeaningAndProvenance() throws Exception {
        MedicalImage<FloatType> image = ramp3d();
        Path file = work.resolve("ramp.mha");
        formats.write(image, file);
        String header = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertTrue(header.contains("MedSynthSynthetic = True"), header);
        assertTrue(header.contains("Modality = MET_MOD_CT"), header);
        MedicalImage<?> back = formats.read(file);
        assertArrayEquals(values(image), values(back));
        assertArrayEquals(image.geometry().spacing(), back.geometry().spacing(), 1e-12);
        assertArrayEquals(image.geometry().origin(), back.geometry().origin(), 1e-12);
        assertArrayEquals(image.geometry().direction(), back.geometry().direction(), 1e-12);
        assertEquals(Modality.CT, back.modality());
        assertEquals(IntensityUnit.HOUNSFIELD, back.unit());
        assertEquals(SYNTHETIC, back.provenance());
    }

    @Test
    void metaImageKeepsIntegerTypesAndChannels() throws Exception {
        short[] v = {-1000, 0, 40, 1200, -5, 7};
        MedicalImage<ShortType> image = new MedicalImage<>(ArrayImgs.shorts(v, 3, 1, 2), Geometry.isotropic(2, 1),
                Modality.MR, IntensityUnit.ARBITRARY, List.of("echo 1", "echo 2"), Provenance.acquired());
        Path file = work.resolve("two-channel.mha");
        formats.write(image, file);
        MedicalImage<?> back = formats.read(file);
        assertInstanceOf(ShortType.class, back.pixels().firstElement());
        assertEquals(2, back.channels());
        RandomAccess<? extends RealType<?>> a = (RandomAccess<? extends RealType<?>>) back.pixels().randomAccess();
        a.setPosition(new long[] {2, 0, 1});
        assertEquals(7, a.get().getRealDouble());
        assertArrayEquals(values(image), values(back));
    }

    @Test
    void readsCompressedBigEndianAndSeparateDataFiles() throws Exception {
        ByteBuffer data = ByteBuffer.allocate(6 * 2).order(ByteOrder.BIG_ENDIAN);
        for (short s = 0; s < 6; s++) {
            data.putShort((short) (s * 300 - 700));
        }
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(z)) {
            out.write(data.array());
        }
        Files.write(work.resolve("pixels.zraw"), z.toByteArray());
        Files.writeString(work.resolve("be.mhd"), """
                ObjectType = Image
                NDims = 2
                BinaryData = True
                BinaryDataByteOrderMSB = True
                CompressedData = True
                ElementSpacing = 0.5 2
                DimSize = 3 2
                ElementType = MET_SHORT
                ElementDataFile = pixels.zraw
                """);
        MedicalImage<?> image = formats.read(work.resolve("be.mhd"));
        assertArrayEquals(new double[] {-700, -400, -100, 200, 500, 800}, values(image));
        assertArrayEquals(new double[] {0.5, 2}, image.geometry().spacing());
    }

    @Test
    void readsRealItkExampleFilesAsNumpyDoes() throws Exception {
        JsonObject reference;
        try (InputStream in = Platform.getBundle("org.medsynth.io.basic.tests")
                .getEntry("reference/itk_examples_reference.json").openStream()) {
            reference = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        }
        assertTrue(Files.isDirectory(ITK_DATA), "Debian package insighttoolkit5-examples is not installed");
        for (Map.Entry<String, com.google.gson.JsonElement> e : reference.getAsJsonObject("files").entrySet()) {
            JsonObject r = e.getValue().getAsJsonObject();
            MedicalImage<?> image = formats.read(ITK_DATA.resolve(e.getKey()));
            String name = e.getKey();
            long[] dims = image.dimensions();
            JsonArray rd = r.getAsJsonArray("dims");
            for (int a = 0; a < rd.size(); a++) {
                assertEquals(rd.get(a).getAsLong(), dims[a], name + " dims");
            }
            double[] v = values(image);
            assertEquals(r.get("sum").getAsDouble(), java.util.Arrays.stream(v).sum(), 1e-6, name + " sum");
            assertEquals(r.get("min").getAsDouble(), java.util.Arrays.stream(v).min().orElseThrow(), name + " min");
            assertEquals(r.get("max").getAsDouble(), java.util.Arrays.stream(v).max().orElseThrow(), name + " max");
            RandomAccess<? extends RealType<?>> a = (RandomAccess<? extends RealType<?>>) image.pixels().randomAccess();
            JsonArray probe = r.getAsJsonArray("probe_index");
            long[] pos = new long[probe.size()];
            for (int i = 0; i < pos.length; i++) {
                pos[i] = probe.get(i).getAsLong();
            }
            a.setPosition(pos);
            assertEquals(r.get("probe_value").getAsDouble(), a.get().getRealDouble(), name + " probe");
            JsonArray m = r.getAsJsonArray("transform_matrix");
            int n = rd.size();
            double[] direction = image.geometry().direction();
            for (int axis = 0; axis < n; axis++) {
                for (int comp = 0; comp < n; comp++) {
                    // TransformMatrix lists axis vectors one after the other; direction's columns are axis vectors
                    assertEquals(m.get(axis * n + comp).getAsDouble(), direction[comp * n + axis], 1e-12, name + " direction");
                }
            }
        }
    }

    @Test
    void pngRoundTripRestoresValuesAndSaysSynthetic() throws Exception {
        float[] v = new float[32 * 24];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (Math.sin(i * 0.05) * 800 - 200);
        }
        MedicalImage<FloatType> image = new MedicalImage<>(ArrayImgs.floats(v, 32, 24), Geometry.of(new double[] {0.4, 0.6}),
                Modality.DX, IntensityUnit.ARBITRARY, List.of(), SYNTHETIC);
        Path file = work.resolve("x.png");
        formats.write(image, file);
        MedicalImage<?> back = formats.read(file);
        double step = 1600.0 / 65535;
        assertArrayEquals(values(image), values(back), step);
        assertEquals(SYNTHETIC, back.provenance());
        assertEquals(Modality.DX, back.modality());
        assertArrayEquals(new double[] {0.4, 0.6}, back.geometry().spacing(), 1e-12);
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("SYNTHETIC image made by MedSynth"), "Description chunk");
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> formats.write(ramp3d(), work.resolve("v.png")));
        assertTrue(e.getMessage().contains("3D"), e.getMessage());
    }

    @Test
    void badFilesGiveErrorsNamingFileAndProblem() throws Exception {
        assertProblem("truncated.mha", header("MET_FLOAT", "4 4") + "\u0001\u0002", "pixel data is truncated");
        assertProblem("nodims.mha", "NDims = 2\nElementType = MET_FLOAT\nElementDataFile = LOCAL\n", "lacks DimSize");
        assertProblem("type.mha", header("MET_COMPLEX", "2 2"), "unsupported ElementType 'MET_COMPLEX'");
        assertProblem("ndims.mha", "NDims = 5\nDimSize = 1 1 1 1 1\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n",
                "NDims 5 is not supported");
        assertProblem("text.mha", "hello world\n", "has no '='");
        assertProblem("huge.mha", header("MET_DOUBLE", "100000 100000"), "larger than MedSynth reads");
        assertProblem("external.mhd", "NDims = 2\nDimSize = 2 2\nElementType = MET_UCHAR\nElementDataFile = gone.raw\n",
                "'gone.raw' does not exist");
        assertProblem("spacing.mha", "NDims = 2\nDimSize = 1 1\nElementSpacing = 1 -2\nElementType = MET_UCHAR\n"
                + "ElementDataFile = LOCAL\n\u0000", "invalid geometry");
        assertProblem("fake.png", "not a png at all", "fake.png");
    }

    private static String header(String type, String dims) {
        return "ObjectType = Image\nNDims = 2\nDimSize = " + dims + "\nElementType = " + type + "\nElementDataFile = LOCAL\n";
    }

    private void assertProblem(String name, String content, String expected) throws IOException {
        Path file = work.resolve(name);
        Files.write(file, content.getBytes(StandardCharsets.ISO_8859_1));
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> formats.read(file),
                name + " was accepted");
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void fuzzedMetaImagesNeverEscapeAsAnythingButFormatErrors() throws Exception {
        Path seed = work.resolve("seed.mha");
        formats.write(ramp3d(), seed);
        byte[] original = Files.readAllBytes(seed);
        int headerLength = new String(original, StandardCharsets.ISO_8859_1).indexOf("ElementDataFile");
        Random random = new Random(20261123);
        Path mutant = work.resolve("mutant.mha");
        int rejected = 0;
        for (int round = 0; round < 400; round++) {
            byte[] bytes = original.clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                int pos = random.nextInt(headerLength + 20);
                bytes[pos] = (byte) (random.nextBoolean() ? random.nextInt(256) : "0123456789 =-.\n".charAt(random.nextInt(15)));
            }
            if (random.nextInt(5) == 0) {
                bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
            }
            Files.write(mutant, bytes);
            try {
                formats.read(mutant);
            } catch (ImageFormatException expected) {
                rejected++;
            }
        }
        assertTrue(rejected > 50, "mutations should mostly be rejected, only " + rejected + " were");
    }
}
