package org.medsynth.io.dicom.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.basictypeaccess.array.ShortArray;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherAttributeOnDisk;
import com.pixelmed.dicom.OtherByteAttribute;

import org.medsynth.core.api.ImageFormatException;
import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.core.image.Provenance;
import org.medsynth.io.dicom.DicomSeriesInfo;
import org.medsynth.io.dicom.DicomVolume;

/**
 * Turns the frames of one object or one series into a volume in two steps. {@link #layout} works from the headers
 * alone: checks the frames belong together, sorts them along the slice normal, derives the LPS geometry, reports
 * gantry tilt and irregular spacing, finds the unit and checks the declared size against the cap. {@link #fill} then
 * decodes each file once straight into the volume (shorts when the rescaled values are integers that fit, floats
 * otherwise). Scanning ({@link #scanAllSeries}) is the first step only.
 */
public final class VolumeAssembler {
    /** Relative spacing deviation above which slices count as irregularly spaced. */
    private static final double SPACING_TOLERANCE = 0.01;
    /** Angle (degrees) between the stacking direction and the slice normal above which the stack counts as tilted. */
    private static final double TILT_TOLERANCE_DEGREES = 0.1;

    private VolumeAssembler() {
    }

    /** Reads one file (single- or multi-frame). */
    public static DicomVolume readFile(Path file) throws ImageFormatException {
        return fill(layout(planesOf(DicomHeader.read(file))));
    }

    /** The frames of one object, each placed where its header (or the Grid Frame Offset Vector) says. */
    private static List<Plane> planesOf(DicomHeader h) throws ImageFormatException {
        List<Plane> planes = new ArrayList<>(h.frames);
        for (int f = 0; f < h.frames; f++) {
            planes.add(Plane.of(h, f));
        }
        return h.frames > 1 ? stackedFrames(h, planes) : planes;
    }

    /**
     * Frames of a multi-frame object that all carry the one top-level position (no per-frame functional groups):
     * placed along the normal by Grid Frame Offset Vector (RT Dose) when present, else left unlocated.
     */
    private static List<Plane> stackedFrames(DicomHeader h, List<Plane> planes) throws ImageFormatException {
        Plane first = planes.get(0);
        if (first.position() == null || first.orientation() == null
                || planes.stream().anyMatch(p -> !java.util.Arrays.equals(p.position(), first.position()))) {
            return planes;
        }
        double[] offsets = h.numbers(h.list, Tags.GRID_FRAME_OFFSET_VECTOR);
        if (offsets == null) {
            return planes.stream().map(Plane::unlocated).toList();
        }
        if (offsets.length != planes.size()) {
            throw new ImageFormatException(h.file, "Grid Frame Offset Vector has " + offsets.length + " values for "
                    + planes.size() + " frames");
        }
        double[] n = first.normal();
        List<Plane> placed = new ArrayList<>();
        for (int f = 0; f < planes.size(); f++) {
            double[] p = first.position();
            placed.add(planes.get(f).at(new double[] {p[0] + offsets[f] * n[0], p[1] + offsets[f] * n[1],
                    p[2] + offsets[f] * n[2]}));
        }
        return placed;
    }

    /** Reads the files of one series as one volume; refuses files that belong to other series. */
    public static DicomVolume readSeries(List<Path> files) throws ImageFormatException {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no files");
        }
        List<DicomHeader> headers = new ArrayList<>();
        for (Path f : files) {
            headers.add(DicomHeader.read(f));
        }
        return fill(layout(seriesPlanes(headers)));
    }

    /** Every series among {@code files} (see {@link #layouts}), each read as one volume. */
    public static List<DicomVolume> readAllSeries(List<Path> files) throws ImageFormatException {
        List<DicomVolume> volumes = new ArrayList<>();
        for (Layout series : layouts(files)) {
            volumes.add(fill(series));
        }
        return volumes;
    }

    /** Every series among {@code files} (see {@link #layouts}) described from the headers, no pixel decoded. */
    public static List<DicomSeriesInfo> scanAllSeries(List<Path> files) throws ImageFormatException {
        List<DicomSeriesInfo> series = new ArrayList<>();
        for (Layout layout : layouts(files)) {
            series.add(layout.info());
        }
        return series;
    }

    /**
     * The series among {@code files}: grouped by Series Instance UID and Frame of Reference UID (and modality and
     * image size, so a localizer does not spoil a series), in name order; each header is parsed once, and every
     * series is checked before any pixel is decoded.
     */
    private static List<Layout> layouts(List<Path> files) throws ImageFormatException {
        Map<String, List<DicomHeader>> groups = new LinkedHashMap<>();
        for (Path f : files) {
            DicomHeader h = DicomHeader.read(f);
            groups.computeIfAbsent(h.seriesKey() + "|" + h.modality() + "|" + h.rows + "x" + h.columns,
                    k -> new ArrayList<>()).add(h);
        }
        List<Layout> layouts = new ArrayList<>();
        for (List<DicomHeader> series : groups.values()) {
            layouts.add(layout(seriesPlanes(series)));
        }
        return layouts;
    }

    /** The planes of one series: one multi-frame object, or single-frame files that share series and frame of reference. */
    private static List<Plane> seriesPlanes(List<DicomHeader> headers) throws ImageFormatException {
        DicomHeader first = headers.get(0);
        if (headers.size() == 1) {
            return planesOf(first);
        }
        List<Plane> planes = new ArrayList<>();
        for (DicomHeader h : headers) {
            if (!h.seriesKey().equals(first.seriesKey())) {
                throw new ImageFormatException(h.file, "belongs to another series than " + first.file.getFileName()
                        + " (Series Instance UID | Frame of Reference UID " + h.seriesKey() + " vs " + first.seriesKey() + ")");
            }
            if (h.frames != 1) {
                throw new ImageFormatException(h.file, "is a multi-frame object inside a series of single frames");
            }
            planes.add(Plane.of(h, 0));
        }
        return planes;
    }

    /**
     * What the headers of one object or series make: the planes in slice order, the geometry, the dimensions
     * (x, y[, z][, samples]), modality, rescale and what the reader assumed. Nothing here has touched a pixel.
     */
    private record Layout(List<Plane> planes, Geometry geometry, long[] dimensions, Modality modality, Rescale rescale,
            List<String> warnings) {
        DicomHeader first() {
            return planes.get(0).header();
        }

        List<Path> files() {
            return planes.stream().map(p -> p.header().file).distinct().toList();
        }

        DicomSeriesInfo info() {
            DicomHeader h = first();
            return new DicomSeriesInfo(files(), h.string(Tags.SERIES_INSTANCE_UID, ""), h.string(Tags.PATIENT_ID, ""),
                    modality, rescale.unit(), dimensions.clone(), geometry, warnings);
        }
    }

    /** The header-only half of reading: every check and derivation that needs no pixel (see the class comment). */
    private static Layout layout(List<Plane> planes) throws ImageFormatException {
        Plane first = planes.get(0);
        DicomHeader h0 = first.header();
        List<String> warnings = new ArrayList<>();
        for (Plane p : planes) {
            DicomHeader h = p.header();
            if (h.rows != h0.rows || h.columns != h0.columns || h.samplesPerPixel != h0.samplesPerPixel) {
                throw new ImageFormatException(h.file, "is " + h.columns + "×" + h.rows + "×" + h.samplesPerPixel
                        + " but " + h0.file.getFileName() + " is " + h0.columns + "×" + h0.rows + "×" + h0.samplesPerPixel
                        + ": mixed series");
            }
        }
        boolean located = planes.stream().allMatch(p -> p.position() != null && p.orientation() != null);
        List<Plane> sorted = new ArrayList<>(planes);
        Geometry geometry;
        if (located) {
            geometry = locatedGeometry(sorted, warnings);
        } else {
            double step = first.header().spacingBetweenSlices();
            if (planes.size() > 1) {
                warnings.add("frames carry no individual Image Position/Orientation (Patient): stacked in file order, "
                        + step + " mm apart, identity orientation");
            }
            double[] ps = first.pixelSpacing() == null ? new double[] {1, 1} : first.pixelSpacing();
            if (first.pixelSpacing() == null) {
                warnings.add("no Pixel Spacing: 1 mm assumed");
            }
            geometry = planes.size() == 1 && first.position() == null
                    ? Geometry.of(new double[] {ps[1], ps[0]})
                    : Geometry.of(new double[] {ps[1], ps[0], step});
        }
        Modality modality = modality(h0);
        Rescale rescale = Rescale.of(h0, modality, warnings);
        int spp = h0.samplesPerPixel;
        long[] dims = geometry.dimensions() == 2 ? new long[] {h0.columns, h0.rows} : new long[] {h0.columns, h0.rows, planes.size()};
        if (spp > 1) {
            dims = java.util.Arrays.copyOf(dims, dims.length + 1);
            dims[dims.length - 1] = spp;
        }
        long total = 1;
        for (long d : dims) {
            total *= d;
        }
        if (total > DicomHeader.MAX_VOXELS || total > Integer.MAX_VALUE - 16) {
            throw new ImageFormatException(h0.file, "series of " + total + " voxels exceeds the limit of "
                    + Math.min(DicomHeader.MAX_VOXELS, Integer.MAX_VALUE - 16));
        }
        return new Layout(List.copyOf(sorted), geometry, dims, modality, rescale, List.copyOf(warnings));
    }

    private static Geometry locatedGeometry(List<Plane> planes, List<String> warnings) throws ImageFormatException {
        Plane first = planes.get(0);
        double[] o = first.orientation();
        for (Plane p : planes) {
            for (int i = 0; i < 6; i++) {
                if (Math.abs(p.orientation()[i] - o[i]) > 1e-3) {
                    throw new ImageFormatException(p.header().file, "has another Image Orientation (Patient) than "
                            + first.header().file.getFileName() + ": mixed series");
                }
            }
            if (p.pixelSpacing() != null && first.pixelSpacing() != null
                    && (Math.abs(p.pixelSpacing()[0] - first.pixelSpacing()[0]) > 1e-4
                            || Math.abs(p.pixelSpacing()[1] - first.pixelSpacing()[1]) > 1e-4)) {
                throw new ImageFormatException(p.header().file, "has another Pixel Spacing than "
                        + first.header().file.getFileName() + ": mixed series");
            }
        }
        double[] normal = first.normal();
        planes.sort(Comparator.comparingDouble(p -> p.along(normal)));
        double sliceSpacing = Double.isNaN(first.thickness()) ? 1 : first.thickness();
        if (planes.size() > 1) {
            double[] steps = new double[planes.size() - 1];
            for (int i = 1; i < planes.size(); i++) {
                steps[i - 1] = planes.get(i).along(normal) - planes.get(i - 1).along(normal);
                if (steps[i - 1] < 1e-3) {
                    throw new ImageFormatException(planes.get(i).header().file, "lies at the same position as "
                            + planes.get(i - 1).header().file.getFileName() + " (frame " + (planes.get(i - 1).frame() + 1)
                            + "): duplicate slice or mixed series");
                }
            }
            double[] a = planes.get(0).position();
            double[] b = planes.get(planes.size() - 1).position();
            double span = planes.get(planes.size() - 1).along(normal) - planes.get(0).along(normal);
            sliceSpacing = span / steps.length;
            double min = java.util.Arrays.stream(steps).min().orElseThrow();
            double max = java.util.Arrays.stream(steps).max().orElseThrow();
            if (max - min > SPACING_TOLERANCE * sliceSpacing) {
                warnings.add(String.format(Locale.ROOT,
                        "irregular slice spacing: steps from %.4g to %.4g mm (mean %.4g mm used; the volume is not exact)",
                        min, max, sliceSpacing));
            }
            double dx = b[0] - a[0];
            double dy = b[1] - a[1];
            double dz = b[2] - a[2];
            double length = Math.sqrt(dx * dx + dy * dy + dz * dz);
            double cos = Math.min(1, span / length);
            double tilt = Math.toDegrees(Math.acos(cos));
            if (tilt > TILT_TOLERANCE_DEGREES) {
                warnings.add(String.format(Locale.ROOT, "gantry tilt: slices are stacked %.3g° off their normal "
                        + "(geometry uses the slice normal; the volume is sheared by that angle)", tilt));
            }
        }
        double[] ps = first.pixelSpacing();
        if (ps == null) {
            ps = new double[] {1, 1};
            warnings.add("no Pixel Spacing: 1 mm assumed");
        }
        double[] direction = new double[9];
        for (int r = 0; r < 3; r++) {
            direction[r * 3] = o[r];
            direction[r * 3 + 1] = o[3 + r];
            direction[r * 3 + 2] = normal[r];
        }
        try {
            return new Geometry(new double[] {ps[1], ps[0], sliceSpacing}, planes.get(0).position(), direction);
        } catch (IllegalArgumentException e) {
            throw new ImageFormatException(first.header().file, "invalid geometry: " + e.getMessage());
        }
    }

    private static Modality modality(DicomHeader h) {
        try {
            return Modality.fromCode(h.modality());
        } catch (IllegalArgumentException e) {
            return Modality.OT;
        }
    }

    /** Stored value → physical value: slope, intercept and (PET) the SUV factor, with the unit it gives. */
    record Rescale(IntensityUnit unit, double factor) {
        static Rescale of(DicomHeader h, Modality modality, List<String> warnings) throws ImageFormatException {
            return switch (modality) {
                case CT -> new Rescale(IntensityUnit.HOUNSFIELD, 1);
                case PT -> Suv.of(h, warnings);
                default -> new Rescale(IntensityUnit.ARBITRARY, 1);
            };
        }
    }

    /** The pixel half of reading: decodes the files of a checked layout into the volume. */
    private static DicomVolume fill(Layout layout) throws ImageFormatException {
        List<Plane> planes = layout.planes();
        Rescale rescale = layout.rescale();
        DicomHeader h0 = layout.first();
        int spp = h0.samplesPerPixel;
        boolean shorts = fitsShort(planes, rescale);
        ArrayImg<?, ?> img = shorts ? ArrayImgs.shorts(layout.dimensions()) : ArrayImgs.floats(layout.dimensions());
        short[] shortOut = shorts ? ((ShortArray) img.update(null)).getCurrentStorageArray() : null;
        float[] floatOut = shorts ? null : ((FloatArray) img.update(null)).getCurrentStorageArray();
        int planeSize = h0.rows * h0.columns;
        int depth = planes.size();
        // decode each file once, then copy each of its frames to its sorted slot
        Map<Path, List<Integer>> slotsByFile = new LinkedHashMap<>();
        for (int z = 0; z < planes.size(); z++) {
            slotsByFile.computeIfAbsent(planes.get(z).header().file, k -> new ArrayList<>()).add(z);
        }
        ByteBuffer frameBytes = null;
        for (Map.Entry<Path, List<Integer>> e : slotsByFile.entrySet()) {
            DicomHeader h = planes.get(e.getValue().get(0)).header();
            if (shorts && h.rawPixelsReadable()) {
                // straight from the file into the volume through one reused buffer: no garbage per slice
                if (frameBytes == null) {
                    frameBytes = ByteBuffer.allocate(2 * planeSize);
                }
                for (int z : e.getValue()) {
                    Plane p = planes.get(z);
                    readFrame(h, p.frame(), frameBytes, shortOut, z * planeSize, (int) (p.intercept() * rescale.factor()));
                }
                continue;
            }
            StoredPixels stored = StoredPixels.decode(h);
            for (int z : e.getValue()) {
                Plane p = planes.get(z);
                double slope = p.slope() * rescale.factor();
                double intercept = p.intercept() * rescale.factor();
                for (int s = 0; s < spp; s++) {
                    int outBase = (s * depth + z) * planeSize;
                    for (int i = 0; i < planeSize; i++) {
                        int raw = stored.value(p.frame(), i, s);
                        if (shorts) {
                            shortOut[outBase + i] = (short) (raw + (int) intercept);
                        } else {
                            floatOut[outBase + i] = (float) (raw * slope + intercept);
                        }
                    }
                }
            }
        }
        List<String> labels = spp == 1 ? List.of() : List.of("red", "green", "blue");
        MedicalImage<?> image = image(img, layout.geometry(), layout.modality(), rescale.unit(), labels, provenance(h0));
        DicomSeriesInfo info = layout.info();
        return new DicomVolume(image, info.files(), info.seriesInstanceUid(), info.patientId(), info.warnings());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static MedicalImage<?> image(Img img, Geometry geometry, Modality modality, IntensityUnit unit,
            List<String> labels, Provenance provenance) {
        return new MedicalImage(img, geometry, modality, unit, labels, provenance);
    }

    /** The provenance MedSynth's writer put in Image Comments of a DERIVED object, else that of an acquisition. */
    private static Provenance provenance(DicomHeader h) {
        String comments = h.string(Tags.IMAGE_COMMENTS, "");
        String imageType = h.list.get(Tags.IMAGE_TYPE) == null ? "" : h.list.get(Tags.IMAGE_TYPE).getDelimitedStringValuesOrEmptyString();
        if (imageType.startsWith("DERIVED") && comments.startsWith("{") && comments.contains("\"generatorId\"")) {
            try {
                return Provenance.fromJson(comments);
            } catch (RuntimeException e) {
                return Provenance.acquired();
            }
        }
        return Provenance.acquired();
    }

    /**
     * One native grey 16-bit frame straight from the file (the Pixel Data offset and length were checked with the
     * header) into {@code out} from {@code offset}: stored values, bits stored applied, plus an integer intercept.
     */
    private static void readFrame(DicomHeader h, int frame, ByteBuffer buffer, short[] out, int offset, int intercept)
            throws ImageFormatException {
        int planeSize = h.rows * h.columns;
        buffer.clear().order(h.bigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        try (FileChannel channel = FileChannel.open(h.file)) {
            long at = h.pixelValueOffset() + 2L * frame * planeSize;
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, at + buffer.position()) < 0) {
                    throw new ImageFormatException(h.file, "is truncated inside Pixel Data");
                }
            }
        } catch (IOException e) {
            throw new ImageFormatException(h.file, "cannot be read: " + e.getMessage(), e);
        }
        buffer.flip();
        buffer.asShortBuffer().get(out, offset, planeSize);
        int bits = h.bitsStored;
        if (bits == 16 && intercept == 0) {
            return;
        }
        int mask = bits == 16 ? 0xffff : (1 << bits) - 1;
        int sign = h.signed ? 1 << (bits - 1) : 0;
        for (int i = offset; i < offset + planeSize; i++) {
            int raw = out[i] & mask;
            out[i] = (short) (((raw ^ sign) - sign) + intercept);
        }
    }

    /** Whether every rescaled value is an integer that a short holds: unit slope, integral intercept, small range. */
    private static boolean fitsShort(List<Plane> planes, Rescale rescale) {
        if (rescale.factor() != 1) {
            return false;
        }
        for (Plane p : planes) {
            DicomHeader h = p.header();
            if (p.slope() != 1 || p.intercept() != Math.rint(p.intercept()) || h.bitsStored > 16) {
                return false;
            }
            long min = h.signed ? -(1L << (h.bitsStored - 1)) : 0;
            long max = h.signed ? (1L << (h.bitsStored - 1)) - 1 : (1L << h.bitsStored) - 1;
            if (min + p.intercept() < Short.MIN_VALUE || max + p.intercept() > Short.MAX_VALUE) {
                return false;
            }
        }
        return true;
    }

    /** The decoded Pixel Data of one file as stored values (bits stored, sign extended). */
    private record StoredPixels(DicomHeader h, short[] words, byte[] bytes) {
        static StoredPixels decode(DicomHeader h) throws ImageFormatException {
            AttributeList full = PixelMedCalls.parse(h.file);
            Attribute pd = full.getPixelData();
            if (pd == null) {
                throw new ImageFormatException(h.file, "has no Pixel Data");
            }
            long needed = (long) h.rows * h.columns * h.frames * h.samplesPerPixel * (h.bitsAllocated / 8);
            if (pd instanceof OtherAttributeOnDisk onDisk) {
                // the parser left the value in the file: its length must fit there before it is loaded
                long size = onDisk.getFile().length();
                if (onDisk.getByteOffset() + pd.getVL() > size) {
                    throw new ImageFormatException(h.file, "Pixel Data declares " + pd.getVL() + " bytes from byte "
                            + onDisk.getByteOffset() + " but the file has " + size + " (corrupt length)");
                }
            }
            try {
                StoredPixels p = pd instanceof OtherByteAttribute
                        ? new StoredPixels(h, null, pd.getByteValues())
                        : new StoredPixels(h, pd.getShortValues(), null);
                long have = p.words != null ? 2L * p.words.length : p.bytes != null ? p.bytes.length : 0; // no value: empty
                if (have < needed) {
                    throw new ImageFormatException(h.file, "Pixel Data holds " + have + " bytes but Rows × Columns × "
                            + "Frames × Samples × Bits Allocated declares " + needed + " (truncated or wrong length)");
                }
                return p;
            } catch (DicomException e) {
                throw new ImageFormatException(h.file, "Pixel Data cannot be decoded: " + e.getMessage(), e);
            }
        }

        /** Stored value of sample {@code s} of pixel {@code i} (row-major) in frame {@code frame}. */
        int value(int frame, int i, int s) {
            int spp = h.samplesPerPixel;
            int planeSize = h.rows * h.columns;
            long index = h.planarConfiguration == 1 && spp > 1
                    ? ((long) frame * spp + s) * planeSize + i
                    : ((long) frame * planeSize + i) * spp + s;
            int raw = switch (h.bitsAllocated) {
                case 8 -> bytes != null ? bytes[(int) index] & 0xff : byteOfWords(index);
                case 16 -> words != null ? words[(int) index] & 0xffff
                        : (bytes[(int) (2 * index)] & 0xff) | (bytes[(int) (2 * index + 1)] & 0xff) << 8;
                default -> words != null ? word32(index)
                        : (bytes[(int) (4 * index)] & 0xff) | (bytes[(int) (4 * index + 1)] & 0xff) << 8
                                | (bytes[(int) (4 * index + 2)] & 0xff) << 16 | bytes[(int) (4 * index + 3)] << 24;
            };
            int bits = h.bitsStored;
            if (bits < 32) {
                raw &= (1 << bits) - 1;
                if (h.signed && (raw & (1 << (bits - 1))) != 0) {
                    raw -= 1 << bits;
                }
            }
            return raw;
        }

        /** A 32-bit sample from two of PixelMed's 16-bit words, which keep the file's word order. */
        private int word32(long index) {
            int first = words[(int) (2 * index)] & 0xffff;
            int second = words[(int) (2 * index + 1)] & 0xffff;
            return h.bigEndian() ? first << 16 | second : second << 16 | first;
        }

        /** 8-bit samples that PixelMed holds as little-endian words (implicit VR Pixel Data). */
        private int byteOfWords(long index) {
            short w = words[(int) (index >> 1)];
            return (index & 1) == 0 ? w & 0xff : (w >> 8) & 0xff;
        }
    }
}
