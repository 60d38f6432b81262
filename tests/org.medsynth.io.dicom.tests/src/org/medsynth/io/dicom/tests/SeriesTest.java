package org.medsynth.io.dicom.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TransferSyntax;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.integer.ShortType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.core.api.DatasetAdapter;
import org.medsynth.core.api.ImageFormatException;
import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.core.image.Provenance;
import org.medsynth.io.dicom.DicomReader;
import org.medsynth.io.dicom.DicomVolume;
import org.medsynth.io.dicom.DicomWriter;
import org.medsynth.io.dicom.internal.DicomSeriesAdapter;

/**
 * Series assembly on a real head CT; tilt, irregular spacing, duplicates and mixed series; PET SUV. Each series is
 * also scanned, which must describe it as the read does.
 */
class SeriesTest {
    @TempDir
    Path work;

    interface Edit {
        void apply(AttributeList l, int index) throws DicomException;
    }

    /** Rewrites each file of a folder (sorted by name) with an edit, as a scanner might have written it. */
    static void edit(List<Path> files, Edit edit) throws IOException, DicomException {
        for (int i = 0; i < files.size(); i++) {
            AttributeList l = new AttributeList();
            l.read(files.get(i).toFile());
            edit.apply(l, i);
            l.write(files.get(i).toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        }
    }

    static void put(AttributeList l, int group, int element, String... values) throws DicomException {
        Attribute a = com.pixelmed.dicom.AttributeFactory.newAttribute(new AttributeTag(group, element));
        for (String v : values) {
            a.addValue(v);
        }
        l.put(a);
    }

    /** The real head CT as raw HU, straight from the gzipped tar (matrix.dat, int16 little endian). */
    private static short[] craniumVoxels(int count) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(TestData.require(TestData.CRANIUM, "invesalius-examples")))) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
                String name = new String(header, 0, 100, StandardCharsets.US_ASCII).replace("\0", "");
                long size = Long.parseLong(new String(header, 124, 11, StandardCharsets.US_ASCII).trim(), 8);
                if (name.endsWith("/matrix.dat")) {
                    ByteBuffer b = ByteBuffer.wrap(in.readNBytes((int) size)).order(ByteOrder.LITTLE_ENDIAN);
                    short[] v = new short[count];
                    b.asShortBuffer().get(v);
                    return v;
                }
                in.skipNBytes((size + 511) / 512 * 512);
            }
        }
        throw new IOException("no matrix.dat in " + TestData.CRANIUM);
    }

    @Test
    void realHeadCtSeriesIsAssembledByPositionWithItsHuAndGeometry() throws Exception {
        JsonObject r = TestData.reference("cranium_reference.json");
        JsonArray shape = r.getAsJsonArray("shape_zyx");
        int z = shape.get(0).getAsInt();
        int y = shape.get(1).getAsInt();
        int x = shape.get(2).getAsInt();
        short[] hu = craniumVoxels(x * y * z);
        JsonArray s = r.getAsJsonArray("spacing_xyz");
        double c = Math.cos(0.15);
        double sn = Math.sin(0.15);
        Geometry g = new Geometry(new double[] {s.get(0).getAsDouble(), s.get(1).getAsDouble(), s.get(2).getAsDouble()},
                new double[] {-120, -130, 40}, new double[] {1, 0, 0, 0, c, -sn, 0, sn, c});
        MedicalImage<ShortType> ct = new MedicalImage<>(ArrayImgs.shorts(hu, x, y, z), g, Modality.CT,
                IntensityUnit.HOUNSFIELD, List.of(), Provenance.acquired());
        Path folder = work.resolve("head");
        List<Path> written = DicomWriter.writeSeries(ct, folder, DicomWriter.Options.DEFAULTS);
        // file names in reverse slice order: only the positions can give the order back
        for (int i = 0; i < written.size(); i++) {
            Files.move(written.get(i), folder.resolve(String.format("img%04d", written.size() - i)));
        }
        List<DicomVolume> volumes = DicomReader.readFolder(folder);
        assertEquals(1, volumes.size());
        DicomVolume v = volumes.get(0);
        assertEquals(List.of(), v.warnings());
        MedicalImage<?> back = v.image();
        assertEquals(IntensityUnit.HOUNSFIELD, back.unit());
        assertArrayEquals(new long[] {x, y, z}, back.dimensions());
        double[] values = TestData.values(back);
        assertEquals(r.get("min").getAsDouble(), Arrays.stream(values).min().orElseThrow());
        assertEquals(r.get("max").getAsDouble(), Arrays.stream(values).max().orElseThrow());
        assertEquals(r.get("sum").getAsDouble(), Arrays.stream(values).sum());
        JsonArray sliceSums = r.getAsJsonArray("slice_sums");
        for (int k = 0; k < z; k++) {
            double sum = 0;
            for (int i = k * x * y; i < (k + 1) * x * y; i++) {
                sum += values[i];
            }
            assertEquals(sliceSums.get(k).getAsDouble(), sum, "slice " + k);
        }
        JsonArray probe = r.getAsJsonArray("probe_zyx");
        assertEquals(r.get("probe_value").getAsDouble(),
                TestData.at(back, probe.get(2).getAsLong(), probe.get(1).getAsLong(), probe.get(0).getAsLong()));
        assertArrayEquals(g.spacing(), back.geometry().spacing(), 1e-6);
        assertArrayEquals(g.origin(), back.geometry().origin(), 1e-6);
        assertArrayEquals(g.direction(), back.geometry().direction(), 1e-9);
        ScanTest.assertScanMatchesRead(folder);

        List<DatasetAdapter.DatasetCase> cases = new DicomSeriesAdapter().open(folder, null);
        assertEquals(1, cases.size());
        assertEquals(v.files(), cases.get(0).images());
        assertEquals("HU", cases.get(0).conditions().get("unit"));
    }

    private List<Path> smallSeries(String name, int slices) throws IOException {
        short[] v = new short[4 * 3 * slices];
        for (int i = 0; i < v.length; i++) {
            v[i] = (short) (i * 7 - 40);
        }
        MedicalImage<ShortType> image = new MedicalImage<>(ArrayImgs.shorts(v, 4, 3, slices),
                Geometry.of(new double[] {0.5, 0.5, 2}), Modality.CT, IntensityUnit.HOUNSFIELD, List.of(),
                Provenance.acquired());
        return DicomWriter.writeSeries(image, work.resolve(name), DicomWriter.Options.DEFAULTS);
    }

    @Test
    void gantryTiltIsDetectedAndReported() throws Exception {
        List<Path> files = smallSeries("tilted", 6);
        double shearPerSlice = 2 * Math.tan(Math.toRadians(12)); // each slice 2 mm on, shifted along y
        edit(files, (l, i) -> put(l, 0x0020, 0x0032, "0", Double.toString(i * shearPerSlice), Double.toString(2.0 * i)));
        DicomVolume v = DicomReader.readSeries(files);
        assertEquals(1, v.warnings().size(), v.warnings().toString());
        assertTrue(v.warnings().get(0).startsWith("gantry tilt: slices are stacked 12.0° off"), v.warnings().get(0));
        assertEquals(2, v.image().geometry().spacing(2), 1e-9);
        ScanTest.assertScanMatchesRead(work.resolve("tilted"));
    }

    @Test
    void irregularSpacingIsReportedAndDuplicatesOrForeignSlicesAreRefused() throws Exception {
        List<Path> files = new ArrayList<>(smallSeries("gap", 6));
        Files.delete(files.remove(3));
        DicomVolume v = DicomReader.readSeries(files);
        assertTrue(v.warnings().get(0).startsWith("irregular slice spacing: steps from 2.000 to 4.000 mm"), v.warnings().toString());
        ScanTest.assertScanMatchesRead(work.resolve("gap"));

        Path copy = work.resolve("gap/copy.dcm");
        Files.copy(files.get(1), copy);
        files.add(copy);
        ImageFormatException duplicate = assertThrows(ImageFormatException.class, () -> DicomReader.readSeries(files));
        assertTrue(duplicate.getMessage().contains("lies at the same position as"), duplicate.getMessage());

        List<Path> other = smallSeries("other", 2);
        List<Path> mixed = List.of(files.get(0), other.get(0));
        ImageFormatException foreign = assertThrows(ImageFormatException.class, () -> DicomReader.readSeries(mixed));
        assertTrue(foreign.getMessage().startsWith(other.get(0).toString()), foreign.getMessage());
        assertTrue(foreign.getMessage().contains("belongs to another series"), foreign.getMessage());

        Files.copy(other.get(0), work.resolve("gap/other-series.dcm"));
        Files.delete(copy);
        assertEquals(2, DicomReader.readFolder(work.resolve("gap")).size(), "one volume per series");
        ScanTest.assertScanMatchesRead(work.resolve("gap"));
    }

    @Test
    void petActivityBecomesBodyWeightSuvWhenTheTagsAllow() throws Exception {
        float[] bq = new float[4 * 3 * 2];
        for (int i = 0; i < bq.length; i++) {
            bq[i] = 1000 + 250 * i;
        }
        MedicalImage<?> pet = new MedicalImage<>(ArrayImgs.floats(bq, 4, 3, 2), Geometry.of(new double[] {4, 4, 4}),
                Modality.PT, IntensityUnit.BECQUEREL_PER_ML, List.of(), Provenance.acquired());
        List<Path> files = DicomWriter.writeSeries(pet, work.resolve("pet"), DicomWriter.Options.DEFAULTS);
        edit(files, (l, i) -> {
            put(l, 0x0054, 0x1102, "START"); // Decay Correction
            put(l, 0x0010, 0x1030, "72.5"); // Patient's Weight (kg)
            put(l, 0x0008, 0x0031, "103000"); // Series Time
            AttributeList drug = new AttributeList();
            put(drug, 0x0018, 0x1072, "093000.00"); // Radiopharmaceutical Start Time
            put(drug, 0x0018, 0x1074, "370000000"); // Radionuclide Total Dose (Bq)
            put(drug, 0x0018, 0x1075, "6586.2"); // Radionuclide Half Life (s), F-18
            SequenceAttribute seq = new SequenceAttribute(new AttributeTag(0x0054, 0x0016));
            seq.addItem(drug);
            l.put(seq);
        });
        DicomVolume v = DicomReader.readSeries(files);
        assertEquals(IntensityUnit.SUV_BODY_WEIGHT, v.image().unit());
        double decayedDose = 370e6 * Math.exp(-Math.log(2) * 3600 / 6586.2);
        double factor = 72500 / decayedDose;
        double[] expected = TestData.values(pet);
        for (int i = 0; i < expected.length; i++) {
            expected[i] *= factor;
        }
        assertArrayEquals(expected, TestData.values(v.image()), 1e-3 * factor * 250);
        ScanTest.assertScanMatchesRead(work.resolve("pet"));

        edit(files, (l, i) -> l.remove(new AttributeTag(0x0010, 0x1030)));
        DicomVolume noWeight = DicomReader.readSeries(files);
        assertEquals(IntensityUnit.BECQUEREL_PER_ML, noWeight.image().unit());
        assertEquals(List.of("SUV not computed, values are Bq/ml: missing Patient's Weight"), noWeight.warnings());
        ScanTest.assertScanMatchesRead(work.resolve("pet"));
    }
}
