package org.medsynth.io.dicom.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.SequenceAttribute;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.core.image.Provenance;
import org.medsynth.core.registry.ImageFormats;
import org.medsynth.io.dicom.DicomReader;
import org.medsynth.io.dicom.DicomVolume;
import org.medsynth.io.dicom.DicomWriter;

/** Written objects pass dciodvfy, come back as written, and say they are synthetic and how they were made. */
class WriterTest {
    static final Provenance SYNTHETIC = new Provenance(true, "phantom.torso", "0.1.0", "", "", 7,
            Map.of("size", "16"), List.of(), "0.1.0", Instant.parse("2026-11-23T10:00:00Z"));

    @TempDir
    Path work;

    /** An oblique 16×12×5 volume of smooth non-integer values in the modality's unit. */
    static MedicalImage<FloatType> volume(Modality modality, IntensityUnit unit) {
        float[] v = new float[16 * 12 * 5];
        for (int i = 0; i < v.length; i++) {
            double wave = Math.sin(i * 0.1) * 900 - 100;
            v[i] = (float) (modality == Modality.PT ? Math.abs(wave) / 100 : wave);
        }
        double c = Math.cos(0.2);
        double s = Math.sin(0.2);
        Geometry g = new Geometry(new double[] {0.7, 0.8, 2.5}, new double[] {-10, 5, 30},
                new double[] {c, 0, s, 0, 1, 0, -s, 0, c});
        return new MedicalImage<>(ArrayImgs.floats(v, 16, 12, 5), g, modality, unit, List.of(), SYNTHETIC);
    }

    @Test
    void everyWrittenObjectPassesDciodvfyWithoutErrors() throws Exception {
        List<Path> files = new ArrayList<>();
        for (Modality m : List.of(Modality.CT, Modality.MR, Modality.PT, Modality.DX)) {
            IntensityUnit unit = m == Modality.CT ? IntensityUnit.HOUNSFIELD
                    : m == Modality.PT ? IntensityUnit.SUV_BODY_WEIGHT : IntensityUnit.ARBITRARY;
            MedicalImage<FloatType> image = volume(m, unit);
            files.addAll(DicomWriter.writeSeries(image, work.resolve(m.name()), DicomWriter.Options.DEFAULTS));
            Path multiFrame = work.resolve(m.name() + "-multiframe.dcm");
            DicomWriter.write(image, multiFrame, DicomWriter.Options.DEFAULTS);
            files.add(multiFrame);
        }
        java.util.Set<String> warnings = new java.util.TreeSet<>();
        for (Path f : files) {
            String report = dciodvfy(f);
            List<String> errors = report.lines().filter(l -> l.startsWith("Error")).toList();
            assertTrue(errors.isEmpty(), f + ":\n" + String.join("\n", errors));
            report.lines().filter(l -> l.startsWith("Warning")).map(l -> l.replaceAll("<-?[0-9.]+>", "<value>"))
                    .forEach(warnings::add);
        }
        System.out.println("dciodvfy warnings on MedSynth's objects:\n" + String.join("\n", warnings));
    }

    static String dciodvfy(Path file) throws IOException, InterruptedException {
        Path tool = TestData.require(Path.of("/usr/bin/dciodvfy"), "dicom3tools");
        Process p = new ProcessBuilder(tool.toString(), file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    @Test
    void seriesComesBackWithItsValuesGeometryUnitAndProvenance() throws Exception {
        MedicalImage<FloatType> image = volume(Modality.CT, IntensityUnit.HOUNSFIELD);
        DicomWriter.writeSeries(image, work.resolve("ct"), DicomWriter.Options.DEFAULTS);
        List<DicomVolume> volumes = DicomReader.readFolder(work.resolve("ct"));
        assertEquals(1, volumes.size());
        MedicalImage<?> back = volumes.get(0).image();
        assertEquals(List.of(), volumes.get(0).warnings());
        double step = (1000.0 + 900) / 65535; // the value range over 16 bits
        assertArrayEquals(TestData.values(image), TestData.values(back), step);
        assertArrayEquals(image.geometry().spacing(), back.geometry().spacing(), 1e-6);
        assertArrayEquals(image.geometry().origin(), back.geometry().origin(), 1e-6);
        assertArrayEquals(image.geometry().direction(), back.geometry().direction(), 1e-9);
        assertEquals(Modality.CT, back.modality());
        assertEquals(IntensityUnit.HOUNSFIELD, back.unit());
        assertEquals(SYNTHETIC, back.provenance());
    }

    @Test
    void syntheticObjectsAreMarkedDerivedWithTheirProvenance() throws Exception {
        Path file = work.resolve("one.dcm");
        MedicalImage<FloatType> image = volume(Modality.MR, IntensityUnit.ARBITRARY);
        ImageFormats.get().write(image, file);
        AttributeList l = new AttributeList();
        l.read(file.toFile());
        assertEquals("DERIVED\\SECONDARY", Attribute.getDelimitedStringValuesOrEmptyString(l, new AttributeTag(0x0008, 0x0008)));
        assertEquals("NO", Attribute.getSingleStringValueOrEmptyString(l, new AttributeTag(0x0028, 0x0301)));
        assertTrue(Attribute.getSingleStringValueOrEmptyString(l, new AttributeTag(0x0008, 0x2111)).startsWith("SYNTHETIC"));
        assertEquals(SYNTHETIC, Provenance.fromJson(Attribute.getSingleStringValueOrEmptyString(l, new AttributeTag(0x0020, 0x4000))));
        SequenceAttribute equipment = (SequenceAttribute) l.get(new AttributeTag(0x0018, 0xA001));
        assertEquals("MedSynth", Attribute.getSingleStringValueOrEmptyString(equipment.getItem(0).getAttributeList(),
                new AttributeTag(0x0008, 0x0070)));
        MedicalImage<?> back = ImageFormats.get().read(file);
        assertArrayEquals(new long[] {16, 12, 5}, back.dimensions());
        assertEquals(SYNTHETIC, back.provenance());
    }

    @Test
    void integerImagesAreStoredExactly() throws Exception {
        short[] hu = {-1024, -1000, 0, 40, 3071, 1200};
        MedicalImage<?> image = new MedicalImage<>(ArrayImgs.shorts(hu, 3, 2), Geometry.of(new double[] {0.5, 0.5}),
                Modality.CT, IntensityUnit.HOUNSFIELD, List.of(), SYNTHETIC);
        Path file = work.resolve("exact.dcm");
        DicomWriter.write(image, file, DicomWriter.Options.DEFAULTS);
        assertArrayEquals(TestData.values(image), TestData.values(DicomReader.read(file).image()));
    }

    @Test
    void aSeriesIsWrittenWholeOrNotAtAll() throws Exception {
        Path folder = Files.createDirectories(work.resolve("taken"));
        Files.writeString(folder.resolve("slice-0003.dcm"), "someone else's file");
        assertThrows(FileAlreadyExistsException.class, () -> DicomWriter.writeSeries(
                volume(Modality.CT, IntensityUnit.HOUNSFIELD), folder, DicomWriter.Options.DEFAULTS));
        try (Stream<Path> left = Files.list(work)) {
            assertEquals(List.of(folder), left.toList(), "no staging folder may remain");
        }
        try (Stream<Path> inside = Files.list(folder)) {
            assertEquals(List.of(folder.resolve("slice-0003.dcm")), inside.toList(), "no slice may be written");
        }
    }
}
