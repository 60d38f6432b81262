package org.medsynth.io.dicom.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import com.pixelmed.dicom.AttributeTag;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.core.api.ImageFormatException;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.Modality;
import org.medsynth.io.dicom.DicomReader;
import org.medsynth.io.dicom.DicomWriter;

/** Damaged input gives an error naming the file and the problem: never a crash, a hang or a huge allocation. */
class BadInputTest {
    @TempDir
    Path work;

    private Path copy(String pydicomFile) throws IOException {
        return copy(work, pydicomFile);
    }

    private static Path copy(Path work, String pydicomFile) throws IOException {
        Path target = work.resolve(pydicomFile);
        Files.copy(TestData.require(TestData.PYDICOM.resolve(pydicomFile), "python3-pydicom"), target);
        return target;
    }

    private static ImageFormatException refused(Path file, String expected) {
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> DicomReader.read(file), file + " was accepted");
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        return e;
    }

    @Test
    void truncatedFilesAreRefused() throws Exception {
        Path ct = copy("CT_small.dcm");
        byte[] whole = Files.readAllBytes(ct);
        for (int length : new int[] {0, 100, 131, 700, whole.length / 2, whole.length - 200}) {
            Path cut = work.resolve("cut-" + length + ".dcm");
            Files.write(cut, Arrays.copyOf(whole, length));
            assertThrows(ImageFormatException.class, () -> DicomReader.read(cut), "cut at " + length);
        }
        Path cut = work.resolve("half.dcm");
        Files.write(cut, Arrays.copyOf(whole, whole.length - 1000));
        refused(cut, "is truncated: Pixel Data of 32768 bytes");
    }

    @Test
    void absurdDeclaredSizesAreRefusedBeforeAnyAllocation() throws Exception {
        List<Path> files = DicomWriter.writeSeries(WriterTest.volume(Modality.CT, IntensityUnit.HOUNSFIELD),
                work.resolve("ct"), DicomWriter.Options.DEFAULTS);
        Path file = files.get(0);
        SeriesTest.edit(List.of(file), (l, i) -> {
            SeriesTest.put(l, 0x0028, 0x0010, "65535");
            SeriesTest.put(l, 0x0028, 0x0011, "65535");
        });
        refused(file, "declares 65535×65535×1 pixels of 16 bits (8589672450 bytes) but the file has only");
        // compressed pixels may decode to more than the file holds: there the cap applies
        Path rle = copy("MR_small_RLE.dcm");
        SeriesTest.edit(List.of(rle), (l, i) -> SeriesTest.put(l, 0x0028, 0x0008, "2000000"));
        refused(rle, "declares 64×64×2000000 pixels × 1 samples, more than the limit of 1073741824");
    }

    @Test
    void aPixelDataLengthBeyondTheFileIsRefused() throws Exception {
        Path file = copy("CT_small.dcm");
        byte[] bytes = Files.readAllBytes(file);
        int at = indexOf(bytes, new byte[] {(byte) 0xE0, 0x7F, 0x10, 0x00, 'O', 'W', 0, 0});
        ByteBuffer.wrap(bytes, at + 8, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(0x7FFFFFF0);
        Files.write(file, bytes);
        refused(file, "Pixel Data declares a length of 2147483632 bytes but only 32906 follow");
    }

    /** Where {@code needle} first stands in {@code haystack}. */
    static int indexOf(byte[] haystack, byte[] needle) {
        outer: for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("pattern not found");
    }

    @Test
    void missingOrMalformedRequiredAttributesAreNamed() throws Exception {
        Path file = DicomWriter.writeSeries(WriterTest.volume(Modality.CT, IntensityUnit.HOUNSFIELD),
                work.resolve("ct"), DicomWriter.Options.DEFAULTS).get(0);
        SeriesTest.edit(List.of(file), (l, i) -> l.remove(new AttributeTag(0x0028, 0x0100)));
        refused(file, "lacks the required attribute BitsAllocated (0x0028,0x0100)");
        SeriesTest.edit(List.of(file), (l, i) -> {
            SeriesTest.put(l, 0x0028, 0x0100, "12");
        });
        refused(file, "Bits Allocated 12 is not supported");
        SeriesTest.edit(List.of(file), (l, i) -> {
            SeriesTest.put(l, 0x0028, 0x0100, "16");
            SeriesTest.put(l, 0x0020, 0x0037, "1", "0", "0", "1", "0", "0");
        });
        refused(file, "row and column directions are not perpendicular");
        Path text = work.resolve("notes.dcm");
        Files.writeString(text, "these are not the pixels you are looking for");
        refused(text, "notes.dcm");
        refused(work.resolve("absent.dcm"), "does not exist");
    }

    /** Seeds of the mutation and Jazzer fuzzing: several transfer syntaxes and MedSynth's own multi-frame object. */
    static List<Path> seeds(Path work) throws IOException {
        List<Path> seeds = new ArrayList<>();
        for (String name : List.of("CT_small.dcm", "MR_small_RLE.dcm", "MR_small_bigendian.dcm", "MR_small_implicit.dcm",
                "MR_small_jp2klossless.dcm", "SC_rgb_jpeg_gdcm.dcm", "image_dfl.dcm", "rtdose.dcm", "SC_rgb_small_odd.dcm")) {
            seeds.add(copy(work, name));
        }
        Path multiFrame = work.resolve("multiframe.dcm");
        DicomWriter.write(WriterTest.volume(Modality.MR, IntensityUnit.ARBITRARY), multiFrame, DicomWriter.Options.DEFAULTS);
        seeds.add(multiFrame);
        return seeds;
    }

    /**
     * Deterministic mutation fuzzing: byte flips (biased to the header, where lengths and sizes live), overwritten
     * 32-bit lengths, truncation. Anything but an {@link ImageFormatException} is a failure, reported with the
     * input saved; such inputs go into {@code fuzz-corpus/}, which {@link ReaderFuzzTest} replays.
     */
    @Test
    void mutatedFilesGiveOnlyFormatErrors() throws Exception {
        Random random = new Random(20261123);
        List<String> crashes = new ArrayList<>();
        int refusedCount = 0;
        int rounds = 0;
        for (Path seed : seeds(work)) {
            byte[] original = Files.readAllBytes(seed);
            int headerEnd = Math.min(original.length, 1200);
            for (int round = 0; round < 80; round++, rounds++) {
                byte[] bytes = original.clone();
                int kind = random.nextInt(4);
                int edits = 1 + random.nextInt(6);
                for (int e = 0; e < edits; e++) {
                    int pos = random.nextInt(random.nextInt(3) == 0 ? bytes.length : headerEnd);
                    if (kind == 0 && pos + 4 <= bytes.length) {
                        int[] lengths = {0xFFFFFFFF, 0x7FFFFFFF, 0x40000000, 0xFFFF, random.nextInt()};
                        ByteBuffer.wrap(bytes, pos, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(lengths[random.nextInt(lengths.length)]);
                    } else {
                        bytes[pos] = (byte) random.nextInt(256);
                    }
                }
                if (kind == 3) {
                    bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length));
                }
                Path mutant = work.resolve("mutant-" + seed.getFileName());
                Files.write(mutant, bytes);
                try {
                    DicomReader.read(mutant);
                } catch (ImageFormatException expected) {
                    assertTrue(expected.getMessage().startsWith(mutant.toString()), expected.getMessage());
                    refusedCount++;
                } catch (Throwable t) {
                    Path kept = Files.write(work.resolve("crash-" + rounds + "-" + seed.getFileName()), bytes);
                    crashes.add(kept + ": " + t);
                }
            }
        }
        assertEquals(List.of(), crashes, "inputs that escaped as something other than a format error");
        assertTrue(refusedCount > rounds / 10, "mutations should often be refused; only " + refusedCount + " of " + rounds);
    }
}
