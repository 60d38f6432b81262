package org.medsynth.io.dicom.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.LongStringAttribute;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.core.api.ImageFormatException;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.Modality;
import org.medsynth.io.dicom.DicomDeidentifier;
import org.medsynth.io.dicom.DicomReader;
import org.medsynth.io.dicom.DicomWriter;

/** PS3.15 basic-profile attributes go, pseudonyms come, UIDs are remapped consistently, pixels stay. */
class DeidentifierTest {
    private static final AttributeTag STUDY_UID = new AttributeTag(0x0020, 0x000D);
    private static final AttributeTag SERIES_UID = new AttributeTag(0x0020, 0x000E);
    private static final AttributeTag FRAME_OF_REFERENCE_UID = new AttributeTag(0x0020, 0x0052);
    private static final AttributeTag SOP_INSTANCE_UID = new AttributeTag(0x0008, 0x0018);

    @TempDir
    Path work;

    private static String text(AttributeList l, int group, int element) {
        return Attribute.getDelimitedStringValuesOrEmptyString(l, new AttributeTag(group, element));
    }

    private static AttributeList read(Path file) throws Exception {
        AttributeList l = new AttributeList();
        l.read(file.toFile());
        return l;
    }

    @Test
    void identifyingAttributesAreRemovedAndUidsRemappedConsistently() throws Exception {
        List<Path> files = DicomWriter.writeSeries(WriterTest.volume(Modality.CT, IntensityUnit.HOUNSFIELD),
                work.resolve("identified"), new DicomWriter.Options("DOE^JANE", "MRN-1234", null, 3));
        SeriesTest.edit(files, (l, i) -> {
            SeriesTest.put(l, 0x0010, 0x0030, "19700101"); // Patient's Birth Date
            SeriesTest.put(l, 0x0010, 0x1000, "OTHER-ID-9"); // Other Patient IDs
            SeriesTest.put(l, 0x0008, 0x0080, "St Elsewhere Hospital"); // Institution Name
            SeriesTest.put(l, 0x0008, 0x0090, "HOUSE^GREGORY"); // Referring Physician's Name
            SeriesTest.put(l, 0x0008, 0x1030, "Head CT for Jane Doe"); // Study Description
            SeriesTest.put(l, 0x0018, 0x1000, "SN-42"); // Device Serial Number
            SeriesTest.put(l, 0x0009, 0x0010, "ACME"); // private creator
            Attribute secret = new LongStringAttribute(new AttributeTag(0x0009, 0x1001)); // private element
            secret.addValue("secret");
            l.put(secret);
        });
        DicomDeidentifier deidentifier = new DicomDeidentifier("ANONYMOUS^CASE", "CASE-001");
        List<Path> out = new ArrayList<>();
        for (Path f : files) {
            Path target = work.resolve("export").resolve(f.getFileName());
            deidentifier.deidentify(f, target);
            out.add(target);
        }
        Set<String> studies = new HashSet<>();
        Set<String> series = new HashSet<>();
        Set<String> frames = new HashSet<>();
        Set<String> instances = new HashSet<>();
        for (int i = 0; i < out.size(); i++) {
            AttributeList before = read(files.get(i));
            AttributeList after = read(out.get(i));
            assertEquals("ANONYMOUS^CASE", text(after, 0x0010, 0x0010));
            assertEquals("CASE-001", text(after, 0x0010, 0x0020));
            assertEquals("YES", text(after, 0x0012, 0x0062));
            for (int[] tag : new int[][] {{0x0010, 0x0030}, {0x0010, 0x1000}, {0x0008, 0x0080}, {0x0008, 0x0090},
                    {0x0008, 0x1030}, {0x0018, 0x1000}}) {
                String original = text(before, tag[0], tag[1]);
                String now = text(after, tag[0], tag[1]);
                // the profile removes, empties or puts a dummy value in place, depending on the attribute
                assertTrue(!original.isEmpty() && !now.contains(original),
                        String.format("(%04X,%04X) still holds '%s'", tag[0], tag[1], now));
            }
            assertNull(after.get(new AttributeTag(0x0009, 0x1001)), "private attributes must be removed");
            for (AttributeTag uid : new AttributeTag[] {STUDY_UID, SERIES_UID, FRAME_OF_REFERENCE_UID, SOP_INSTANCE_UID}) {
                String original = Attribute.getSingleStringValueOrEmptyString(before, uid);
                String replaced = Attribute.getSingleStringValueOrEmptyString(after, uid);
                assertNotEquals(original, replaced);
                assertEquals(replaced, deidentifier.uidMap().get(original));
            }
            assertEquals(text(before, 0x0008, 0x0016), text(after, 0x0008, 0x0016), "SOP Class UID is kept");
            assertEquals(text(after, 0x0008, 0x0018), text(after, 0x0002, 0x0003), "meta header follows the new UID");
            studies.add(text(after, 0x0020, 0x000D));
            series.add(text(after, 0x0020, 0x000E));
            frames.add(text(after, 0x0020, 0x0052));
            instances.add(text(after, 0x0008, 0x0018));
            String report = WriterTest.dciodvfy(out.get(i));
            assertTrue(report.lines().noneMatch(l -> l.startsWith("Error")), report);
        }
        assertEquals(1, studies.size());
        assertEquals(1, series.size());
        assertEquals(1, frames.size());
        assertEquals(out.size(), instances.size());
        assertArrayEquals(TestData.values(DicomReader.readSeries(files).image()),
                TestData.values(DicomReader.readFolder(work.resolve("export")).get(0).image()));

        Path again = work.resolve("again.dcm");
        new DicomDeidentifier("X", "Y").deidentify(files.get(0), again);
        assertNotEquals(studies.iterator().next(), text(read(again), 0x0020, 0x000D), "a new de-identifier, new UIDs");
    }

    @Test
    void burnedInAnnotationIsRefused() throws Exception {
        Path file = DicomWriter.writeSeries(WriterTest.volume(Modality.CT, IntensityUnit.HOUNSFIELD),
                work.resolve("burned"), DicomWriter.Options.DEFAULTS).get(0);
        SeriesTest.edit(List.of(file), (l, i) -> SeriesTest.put(l, 0x0028, 0x0301, "YES"));
        ImageFormatException e = assertThrows(ImageFormatException.class,
                () -> new DicomDeidentifier("A", "B").deidentify(file, work.resolve("out.dcm")));
        assertTrue(e.getMessage().contains("burned-in annotation"), e.getMessage());
    }
}
