package org.medsynth.io.dicom.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;

import org.medsynth.core.api.ImageFormatException;

/**
 * Everything about one DICOM file except its pixels: read up to the Pixel Data element, checked (transfer syntax,
 * image pixel module, declared size against the file and the cap) before any pixel buffer is allocated.
 */
public final class DicomHeader {
    /** Most voxels one object or series may declare; larger declarations are refused before any allocation. */
    static final long MAX_VOXELS = Long.getLong("medsynth.dicom.maxVoxels", 1L << 30);

    private static final Set<String> NATIVE = Set.of("1.2.840.10008.1.2", "1.2.840.10008.1.2.1",
            "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.1.99");
    private static final Map<String, String> SUPPORTED_ENCAPSULATED = Map.of(
            "1.2.840.10008.1.2.5", "RLE Lossless",
            "1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)",
            "1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)",
            "1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)",
            "1.2.840.10008.1.2.4.70", "JPEG Lossless, First-Order Prediction (Process 14 SV1)",
            "1.2.840.10008.1.2.4.90", "JPEG 2000 Lossless Only",
            "1.2.840.10008.1.2.4.91", "JPEG 2000");
    private static final Map<String, String> UNSUPPORTED = Map.of(
            "1.2.840.10008.1.2.4.80", "JPEG-LS Lossless",
            "1.2.840.10008.1.2.4.81", "JPEG-LS Near-Lossless",
            "1.2.840.10008.1.2.4.92", "JPEG 2000 Part 2 Multi-component Lossless",
            "1.2.840.10008.1.2.4.93", "JPEG 2000 Part 2 Multi-component",
            "1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level",
            "1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile");

    final Path file;
    final AttributeList list;
    final String transferSyntax;
    final int rows;
    final int columns;
    final int frames;
    final int samplesPerPixel;
    final int bitsAllocated;
    final int bitsStored;
    final boolean signed;
    final String photometric;
    final int planarConfiguration;

    /** Where the Pixel Data element starts in the file. */
    private final long pixelDataOffset;

    private DicomHeader(Path file, AttributeList list, long pixelDataOffset) throws ImageFormatException {
        this.file = file;
        this.list = list;
        this.pixelDataOffset = pixelDataOffset;
        transferSyntax = string(Tags.TRANSFER_SYNTAX_UID, "1.2.840.10008.1.2");
        rows = requiredInt(Tags.ROWS);
        columns = requiredInt(Tags.COLUMNS);
        frames = intOr(Tags.NUMBER_OF_FRAMES, 1);
        samplesPerPixel = intOr(Tags.SAMPLES_PER_PIXEL, 1);
        bitsAllocated = requiredInt(Tags.BITS_ALLOCATED);
        bitsStored = intOr(Tags.BITS_STORED, bitsAllocated);
        signed = intOr(Tags.PIXEL_REPRESENTATION, 0) == 1;
        photometric = string(Tags.PHOTOMETRIC_INTERPRETATION, samplesPerPixel == 1 ? "MONOCHROME2" : "RGB");
        planarConfiguration = intOr(Tags.PLANAR_CONFIGURATION, 0);
        check();
    }

    /** Reads and checks the header of {@code file}; the message of any failure names the file. */
    public static DicomHeader read(Path file) throws ImageFormatException {
        if (!Files.isRegularFile(file)) {
            throw new ImageFormatException(file, Files.exists(file) ? "is not a regular file" : "does not exist");
        }
        checkStart(file);
        AttributeList list = new AttributeList();
        long read = PixelMedCalls.parse(file, Tags.PIXEL_DATA, list);
        if (list.get(Tags.ROWS) == null && list.get(Tags.SOP_CLASS_UID) == null) {
            throw new ImageFormatException(file, "not a DICOM file (no SOP Class UID and no image attributes)");
        }
        return new DicomHeader(file, list, read - 4);
    }

    private void check() throws ImageFormatException {
        String unsupported = UNSUPPORTED.get(transferSyntax);
        if (unsupported == null && transferSyntax.equals("1.2.840.10008.1.2.4.51") && bitsStored > 8) {
            unsupported = "JPEG Extended (Process 2 & 4) with " + bitsStored + "-bit samples";
        }
        if (unsupported == null && !NATIVE.contains(transferSyntax) && !SUPPORTED_ENCAPSULATED.containsKey(transferSyntax)) {
            unsupported = "unknown";
        }
        if (unsupported != null) {
            throw new ImageFormatException(file, "unsupported transfer syntax " + unsupported + " (" + transferSyntax + ")");
        }
        if (rows < 1 || columns < 1 || frames < 1) {
            throw new ImageFormatException(file, "declares an empty image: Rows " + rows + ", Columns " + columns
                    + ", Number of Frames " + frames);
        }
        if (bitsAllocated != 8 && bitsAllocated != 16 && bitsAllocated != 32) {
            throw new ImageFormatException(file, "Bits Allocated " + bitsAllocated + " is not supported (8, 16 or 32)");
        }
        if (bitsStored < 1 || bitsStored > bitsAllocated) {
            throw new ImageFormatException(file, "Bits Stored " + bitsStored + " does not fit Bits Allocated " + bitsAllocated);
        }
        boolean grey = samplesPerPixel == 1 && photometric.startsWith("MONOCHROME");
        boolean rgb = samplesPerPixel == 3 && photometric.equals("RGB");
        if (!grey && !rgb) {
            throw new ImageFormatException(file, "photometric interpretation " + photometric + " with " + samplesPerPixel
                    + " samples per pixel is not supported (MONOCHROME1/2 or RGB)");
        }
        long voxels = (long) rows * columns * frames * samplesPerPixel;
        long bytes = voxels * bitsAllocated / 8;
        long size = sizeOf(file);
        if (layoutKnown()) {
            if (bytes > size) {
                throw new ImageFormatException(file, "declares " + rows + "×" + columns + "×" + frames + " pixels of "
                        + bitsAllocated + " bits (" + bytes + " bytes) but the file has only " + size + " bytes");
            }
            long end = pixelValueOffset() + bytes;
            if (end > size) {
                throw new ImageFormatException(file, "is truncated: Pixel Data of " + bytes + " bytes would end at byte "
                        + end + " but the file has " + size);
            }
            long declared = declaredPixelDataLength();
            if (pixelValueOffset() + declared > size) {
                throw new ImageFormatException(file, "Pixel Data declares a length of " + declared + " bytes but only "
                        + (size - pixelValueOffset()) + " follow in the file (corrupt length)");
            }
        }
        if (voxels > MAX_VOXELS) {
            throw new ImageFormatException(file, "declares " + rows + "×" + columns + "×" + frames + " pixels × "
                    + samplesPerPixel + " samples, more than the limit of " + MAX_VOXELS + " (medsynth.dicom.maxVoxels)");
        }
    }

    /**
     * A Part 10 file has "DICM" after its 128-byte preamble; a bare data set starts with a group 0x0002 or 0x0008
     * element. Anything else is refused before the parser reads lengths out of arbitrary bytes.
     */
    private static void checkStart(Path file) throws ImageFormatException {
        byte[] head;
        try (var in = Files.newInputStream(file)) {
            head = in.readNBytes(132);
        } catch (IOException e) {
            throw new ImageFormatException(file, "cannot be read: " + e.getMessage(), e);
        }
        boolean part10 = head.length == 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M';
        int littleGroup = head.length >= 2 ? (head[0] & 0xff) | (head[1] & 0xff) << 8 : -1;
        int bigGroup = head.length >= 2 ? (head[0] & 0xff) << 8 | (head[1] & 0xff) : -1;
        if (!part10 && littleGroup != 0x0002 && littleGroup != 0x0008 && bigGroup != 0x0008) {
            throw new ImageFormatException(file, "not a DICOM file (no DICM marker after the preamble and no DICOM "
                    + "element at the start)");
        }
    }

    /** The value length in the Pixel Data element's own header (checked before the parser allocates that much). */
    private long declaredPixelDataLength() throws ImageFormatException {
        try (FileChannel channel = FileChannel.open(file)) {
            ByteBuffer b = ByteBuffer.allocate(4).order(bigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            channel.read(b, pixelValueOffset() - 4);
            return b.getInt(0) & 0xFFFFFFFFL;
        } catch (IOException e) {
            throw new ImageFormatException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    private static long sizeOf(Path file) throws ImageFormatException {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new ImageFormatException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    /** Whether the stored pixels can be read straight from the file: uncompressed, not deflated, grey 16-bit. */
    boolean rawPixelsReadable() {
        return layoutKnown() && samplesPerPixel == 1 && bitsAllocated == 16;
    }

    /**
     * Whether byte offsets in the file can be trusted: the meta header names the transfer syntax (else the parser
     * guessed it) and the data set is neither deflated nor compressed.
     */
    private boolean layoutKnown() {
        return list.get(Tags.TRANSFER_SYNTAX_UID) != null && NATIVE.contains(transferSyntax)
                && !transferSyntax.equals("1.2.840.10008.1.2.1.99");
    }

    /** Where the Pixel Data value starts: after its element header (8 bytes implicit VR, 12 explicit). */
    long pixelValueOffset() {
        return pixelDataOffset + (transferSyntax.equals("1.2.840.10008.1.2") ? 8 : 12);
    }

    boolean bigEndian() {
        return transferSyntax.equals("1.2.840.10008.1.2.2");
    }

    /** Spacing Between Slices, else Slice Thickness, else 1 mm: the step for frames without positions. */
    double spacingBetweenSlices() throws ImageFormatException {
        for (AttributeTag tag : new AttributeTag[] {Tags.SPACING_BETWEEN_SLICES, Tags.SLICE_THICKNESS}) {
            double[] v = numbers(list, tag);
            if (v != null && v[0] > 0) {
                return v[0];
            }
        }
        return 1;
    }

    String modality() {
        return string(Tags.MODALITY, "OT");
    }

    String seriesKey() {
        return string(Tags.SERIES_INSTANCE_UID, "") + "|" + string(Tags.FRAME_OF_REFERENCE_UID, "");
    }

    String string(AttributeTag tag, String fallback) {
        return string(list, tag, fallback);
    }

    static String string(AttributeList list, AttributeTag tag, String fallback) {
        String v = Attribute.getSingleStringValueOrNull(list, tag);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    private int intOr(AttributeTag tag, int fallback) throws ImageFormatException {
        String v = string(tag, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ImageFormatException(file, tag + " value '" + v + "' is not an integer");
        }
    }

    private int requiredInt(AttributeTag tag) throws ImageFormatException {
        if (string(tag, null) == null) {
            throw new ImageFormatException(file, "lacks the required attribute " + describe(tag));
        }
        return intOr(tag, 0);
    }

    static String describe(AttributeTag tag) {
        String name = AttributeList.getDictionary().getNameFromTag(tag);
        return (name == null ? "" : name + " ") + tag;
    }

    /**
     * Values of {@code tag} for one frame: inside {@code macro} of the frame's per-frame functional group, else of
     * the shared functional groups, else at the top level (classic single-frame objects). Null when absent.
     */
    double[] frameValues(int frame, AttributeTag macro, AttributeTag tag) throws ImageFormatException {
        double[] v = fromFunctionalGroup(Tags.PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE, frame, macro, tag);
        if (v == null) {
            v = fromFunctionalGroup(Tags.SHARED_FUNCTIONAL_GROUPS_SEQUENCE, 0, macro, tag);
        }
        return v != null ? v : numbers(list, tag);
    }

    private double[] fromFunctionalGroup(AttributeTag groups, int item, AttributeTag macro, AttributeTag tag)
            throws ImageFormatException {
        AttributeList group = item(list, groups, item);
        AttributeList inner = group == null ? null : item(group, macro, 0);
        return inner == null ? null : numbers(inner, tag);
    }

    static AttributeList item(AttributeList list, AttributeTag sequence, int index) {
        if (list.get(sequence) instanceof SequenceAttribute s && index < s.getNumberOfItems()) {
            SequenceItem item = s.getItem(index);
            return item == null ? null : item.getAttributeList();
        }
        return null;
    }

    double[] numbers(AttributeList in, AttributeTag tag) throws ImageFormatException {
        Attribute a = in.get(tag);
        if (a == null || a.getVM() == 0) {
            return null;
        }
        try {
            double[] v = a.getDoubleValues();
            for (double d : v) {
                if (!Double.isFinite(d)) {
                    throw new ImageFormatException(file, describe(tag) + " holds a non-finite number");
                }
            }
            return v;
        } catch (DicomException | NumberFormatException e) {
            throw new ImageFormatException(file, describe(tag) + " is not numeric: " + e.getMessage());
        }
    }
}
