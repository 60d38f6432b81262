package org.medsynth.io.dicom.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.pixelmed.dicom.AttributeTag;

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
import org.medsynth.io.dicom.DicomSeriesInfo;
import org.medsynth.io.dicom.DicomVolume;
import org.medsynth.io.dicom.DicomWriter;
import org.medsynth.io.dicom.internal.DicomSeriesAdapter;

/**
 * Header-only scanning: it describes every series exactly as the full read does, refuses the same bad headers with
 * the same messages, and never decodes a pixel. The series of {@link SeriesTest} (real CT, tilt, irregular spacing,
 * PET SUV) are checked there with {@link #assertScanMatchesRead}.
 */
class ScanTest {
    @TempDir
    Path work;

    /** Scanning {@code folder} gives, series by series, what reading it gives apart from the pixels. */
    static void assertScanMatchesRead(Path folder) throws IOException {
        List<DicomSeriesInfo> scanned = DicomReader.scanFolder(folder);
        List<DicomVolume> read = DicomReader.readFolder(folder);
        assertEquals(read.size(), scanned.size(), "series in " + folder);
        for (int i = 0; i < read.size(); i++) {
            DicomVolume v = read.get(i);
            DicomSeriesInfo s = scanned.get(i);
            assertEquals(v.files(), s.files());
            assertEquals(v.seriesInstanceUid(), s.seriesInstanceUid());
            assertEquals(v.patientId(), s.patientId());
            assertEquals(v.image().modality(), s.modality());
            assertEquals(v.image().unit(), s.unit());
            assertArrayEquals(v.image().dimensions(), s.dimensions());
            assertEquals(v.image().geometry(), s.geometry());
            assertEquals(v.warnings(), s.warnings());
        }
    }

    /** Scanning and reading {@code folder} both refuse it, with the same message naming {@code file}. */
    static void assertScanRefusesAsRead(Path folder, Path file, String expected) {
        ImageFormatException read = assertThrows(ImageFormatException.class, () -> DicomReader.readFolder(folder));
        ImageFormatException scan = assertThrows(ImageFormatException.class, () -> DicomReader.scanFolder(folder));
        assertEquals(read.getMessage(), scan.getMessage());
        assertTrue(scan.getMessage().startsWith(file.toString()), scan.getMessage());
        assertTrue(scan.getMessage().contains(expected), scan.getMessage());
    }

    private List<Path> ctSeries(String name) throws IOException {
        short[] v = new short[4 * 3 * 5];
        for (int i = 0; i < v.length; i++) {
            v[i] = (short) (i * 7 - 40);
        }
        MedicalImage<ShortType> image = new MedicalImage<>(ArrayImgs.shorts(v, 4, 3, 5),
                Geometry.of(new double[] {0.5, 0.6, 2}), Modality.CT, IntensityUnit.HOUNSFIELD, List.of(),
                Provenance.acquired());
        return DicomWriter.writeSeries(image, work.resolve(name), DicomWriter.Options.DEFAULTS);
    }

    @Test
    void scanDescribesMultiFrameAndSampleObjectsAsTheReadDoes() throws Exception {
        Path multiFrame = work.resolve("multiframe");
        Files.createDirectories(multiFrame);
        DicomWriter.write(WriterTest.volume(Modality.MR, IntensityUnit.ARBITRARY), multiFrame.resolve("mr.dcm"),
                DicomWriter.Options.DEFAULTS);
        assertScanMatchesRead(multiFrame);
        // other transfer syntaxes, RT Dose frames placed by Grid Frame Offset Vector, colour, a 2D image
        for (String name : List.of("CT_small.dcm", "MR_small_RLE.dcm", "MR_small_jp2klossless.dcm", "rtdose.dcm",
                "SC_rgb_small_odd.dcm", "image_dfl.dcm")) {
            Path folder = Files.createDirectories(work.resolve(name + ".d"));
            Files.copy(TestData.require(TestData.PYDICOM.resolve(name), "python3-pydicom"), folder.resolve(name));
            assertScanMatchesRead(folder);
        }
        // two series in one folder, files interleaved by name
        List<Path> first = ctSeries("two");
        List<Path> second = ctSeries("second");
        for (Path f : second) {
            Files.move(f, work.resolve("two").resolve("b-" + f.getFileName()));
        }
        assertEquals(2, DicomReader.scanFolder(work.resolve("two")).size());
        assertScanMatchesRead(work.resolve("two"));
        assertEquals(first, DicomReader.scanFolder(work.resolve("two")).get(1).files());
    }

    @Test
    void scanRefusesBadHeadersWithTheReadersMessage() throws Exception {
        List<Path> files = ctSeries("duplicate");
        Path copy = Files.copy(files.get(2), work.resolve("duplicate/z-copy.dcm"));
        assertScanRefusesAsRead(work.resolve("duplicate"), copy, "duplicate slice or mixed series");

        List<Path> turned = ctSeries("orientation");
        SeriesTest.edit(List.of(turned.get(3)), (l, i) -> SeriesTest.put(l, 0x0020, 0x0037, "0", "1", "0", "1", "0", "0"));
        assertScanRefusesAsRead(work.resolve("orientation"), turned.get(3), "has another Image Orientation (Patient)");

        List<Path> spacing = ctSeries("spacing");
        SeriesTest.edit(List.of(spacing.get(1)), (l, i) -> SeriesTest.put(l, 0x0028, 0x0030, "0.9", "0.9"));
        assertScanRefusesAsRead(work.resolve("spacing"), spacing.get(1), "has another Pixel Spacing");

        List<Path> broken = ctSeries("broken");
        SeriesTest.edit(List.of(broken.get(4)), (l, i) -> l.remove(new AttributeTag(0x0028, 0x0010)));
        assertScanRefusesAsRead(work.resolve("broken"), broken.get(4), "lacks the required attribute Rows");
    }

    /**
     * Pixels the decoder cannot decompress: the header says RLE Lossless, and the one fragment is an RLE header that
     * declares no segments. The header is sound, so only decoding can notice.
     */
    private static void replacePixelsWithEmptyRle(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        byte[] explicitLittle = "1.2.840.10008.1.2.1\0".getBytes(StandardCharsets.US_ASCII);
        byte[] rle = "1.2.840.10008.1.2.5\0".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(rle, 0, bytes, BadInputTest.indexOf(bytes, explicitLittle), rle.length);
        int pixelData = BadInputTest.indexOf(bytes, new byte[] {(byte) 0xE0, 0x7F, 0x10, 0x00, 'O', 'W', 0, 0});
        byte[] fragment = new byte[64];
        ByteBuffer b = ByteBuffer.allocate(pixelData + 12 + 8 + 8 + fragment.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.put(bytes, 0, pixelData);
        b.putShort((short) 0x7FE0).putShort((short) 0x0010).put((byte) 'O').put((byte) 'B').putShort((short) 0).putInt(-1);
        b.putShort((short) 0xFFFE).putShort((short) 0xE000).putInt(0); // empty basic offset table
        b.putShort((short) 0xFFFE).putShort((short) 0xE000).putInt(fragment.length).put(fragment);
        b.putShort((short) 0xFFFE).putShort((short) 0xE0DD).putInt(0); // sequence delimitation
        Files.write(file, b.array());
    }

    @Test
    void scanAndOpeningADatasetDecodeNoPixels() throws Exception {
        List<Path> files = ctSeries("undecodable");
        Path folder = work.resolve("undecodable");
        List<DicomSeriesInfo> before = DicomReader.scanFolder(folder);
        replacePixelsWithEmptyRle(files.get(2));

        List<DicomSeriesInfo> scanned = DicomReader.scanFolder(folder);
        assertEquals(1, scanned.size());
        assertEquals(files, scanned.get(0).files());
        assertArrayEquals(new long[] {4, 3, 5}, scanned.get(0).dimensions());
        assertEquals(before.get(0).geometry(), scanned.get(0).geometry());
        List<DatasetAdapter.DatasetCase> cases = new DicomSeriesAdapter().open(folder, null);
        assertEquals(files, cases.get(0).images());
        assertEquals("HU", cases.get(0).conditions().get("unit"));

        ImageFormatException read = assertThrows(ImageFormatException.class, () -> DicomReader.readSeries(files));
        assertTrue(read.getMessage().startsWith(files.get(2).toString()), read.getMessage());
        ImageFormatException folderRead = assertThrows(ImageFormatException.class, () -> DicomReader.readFolder(folder));
        assertEquals(read.getMessage(), folderRead.getMessage());
    }
}
