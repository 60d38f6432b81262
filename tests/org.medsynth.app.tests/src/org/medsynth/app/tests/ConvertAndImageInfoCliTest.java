package org.medsynth.app.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.medsynth.app.cli.Cli;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.registry.ImageFormats;
import org.medsynth.io.dicom.DicomWriter;

/**
 * {@code medsynth convert} and {@code medsynth info FILE} over the installed formats (MetaImage, PNG, NIfTI) and DICOM
 * series folders.
 */
class ConvertAndImageInfoCliTest extends CliHarness {
    private static final Path ANATOMICAL = Path.of("/usr/lib/python3/dist-packages/nibabel/tests/data/anatomical.nii");

    @Test
    void infoPrintsWhatTheReaderUnderstood() {
        assertEquals(Cli.OK, medsynth("info", ANATOMICAL.toString()), err);
        assertTrue(out.contains("format:      NIfTI [format.nifti]"), out);
        assertTrue(out.contains("dimensions:  33 x 41 x 25"), out);
        assertTrue(out.contains("pixel type:  ShortType"), out);
        assertTrue(out.contains("spacing:     2 2 2 mm"), out);
        // nibabel: affine diag(-2, 2, 2) in RAS, i.e. +x left, +y anterior, +z superior
        assertTrue(out.contains("orientation: LAS"), out);
        assertTrue(out.contains("values:      -610 .. 30393"), out);
        assertUsageError("does not exist", "info", work.resolve("missing.nii").toString());
    }

    @Test
    void niftiToMetaImageAndBackKeepsEverything() throws Exception {
        Path mha = work.resolve("anatomical.mha");
        assertEquals(Cli.OK, medsynth("convert", ANATOMICAL.toString(), mha.toString()), err);
        assertTrue(out.contains("kept: pixels, geometry, modality, unit and provenance"), out);
        Path nii = work.resolve("again.nii.gz");
        assertEquals(Cli.OK, medsynth("convert", mha.toString(), nii.toString()), err);
        assertTrue(out.contains("kept:"), out);
        assertEquals(Cli.OK, medsynth("info", nii.toString()));
        assertTrue(out.contains("orientation: LAS") && out.contains("values:      -610 .. 30393"), out);
    }

    @Test
    void convertingToPngSaysWhatIsDropped() throws Exception {
        assertEquals(Cli.OK, medsynth("generate", "phantom.shepp-logan", "--out", work.resolve("gen").toString()), err);
        Path generated = Path.of(out.strip().lines().filter(l -> l.endsWith(".mha")).findFirst().orElseThrow());
        Path png = work.resolve("slice.png");
        assertEquals(Cli.OK, medsynth("convert", generated.toString(), png.toString()), err);
        assertTrue(Files.isRegularFile(png));
        // PNG holds no origin, and its 16-bit samples quantise the float values (the range is kept in a text chunk)
        assertTrue(out.contains("dropped: origin -127.500 -127.500 mm (reads back as 0 0)"), out);
        assertTrue(out.contains("dropped: intensities: source values"), out);
        Path nii = work.resolve("slice.nii");
        assertEquals(Cli.OK, medsynth("convert", generated.toString(), nii.toString()), err);
        assertTrue(out.contains("kept:"), "NIfTI holds a synthetic 2D float image whole: " + out);
    }

    @Test
    void badInputLeavesNoOutput() throws Exception {
        byte[] bytes = Files.readAllBytes(ANATOMICAL);
        Path truncated = work.resolve("truncated.nii");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        Path target = work.resolve("out").resolve("result.mha");
        assertUsageError("truncated.nii", "convert", truncated.toString(), target.toString());
        assertFalse(Files.exists(target));
        assertUsageError("no installed format writes 'result.xyz'", "convert", ANATOMICAL.toString(),
                work.resolve("result.xyz").toString());
        try (Stream<Path> left = Files.list(work)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(".medsynth-convert-")),
                    "no staging folder is left behind");
        }
        assertUsageError("convert takes IN and OUT", "convert", ANATOMICAL.toString());
    }

    @Test
    void aDicomSeriesFolderIsReadAsOneVolume() throws Exception {
        assertEquals(Cli.OK, medsynth("generate", "phantom.torso", "--size", "32", "--slices", "6", "--out",
                work.resolve("torso").toString()), err);
        Path volume = Path.of(out.strip().lines().filter(l -> l.endsWith(".mha")).findFirst().orElseThrow());
        MedicalImage<?> torso = ImageFormats.get().read(volume);
        Path series = work.resolve("series");
        DicomWriter.writeSeries(torso, series, DicomWriter.Options.DEFAULTS);
        assertEquals(Cli.OK, medsynth("info", series.toString()), err);
        assertTrue(out.contains("format:      DICOM series folder [adapter.dicom-tree]"), out);
        assertTrue(out.contains("dimensions:  32 x 32 x 6"), out);
        assertTrue(out.contains("modality:    CT") && out.contains("unit:        HU"), out);
        Path nii = work.resolve("torso.nii.gz");
        assertEquals(Cli.OK, medsynth("convert", series.toString(), nii.toString()), err);
        MedicalImage<?> converted = ImageFormats.get().read(nii);
        assertArrayEquals(torso.dimensions(), converted.dimensions());
        assertArrayEquals(torso.geometry().spacing(), converted.geometry().spacing(), 1e-4);
        assertArrayEquals(torso.geometry().origin(), converted.geometry().origin(), 1e-3);

        DicomWriter.writeSeries(torso, series.resolve("second"), new DicomWriter.Options("SYNTHETIC^MEDSYNTH",
                "MEDSYNTH", null, 2));
        assertUsageError("holds 2 DICOM series", "convert", series.toString(), work.resolve("x.nii").toString());
        assertUsageError("holds no DICOM series", "info", Files.createDirectories(work.resolve("empty")).toString());
    }
}
