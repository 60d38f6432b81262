package org.medsynth.io.basic.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import net.imglib2.Cursor;
import net.imglib2.RandomAccess;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.NativeType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.ByteType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedIntType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.DoubleType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import org.medsynth.core.api.ImageFormat;
import org.medsynth.core.api.ImageFormatException;
import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.core.image.Provenance;

/**
 * ITK MetaImage ({@code .mha} with the pixels after the header, {@code .mhd} with a separate data file). Geometry maps
 * one to one: {@code ElementSpacing}, {@code Offset} (centre of the first pixel, LPS mm) and {@code TransformMatrix}
 * (the axis direction vectors one after the other, as ITK writes them). MedSynth's own header lines
 * ({@code MedSynthModality}, {@code MedSynthUnit}, {@code MedSynthSynthetic}, {@code MedSynthProvenance}) are
 * ignored by other readers and kept by ITK in the image's metadata dictionary.
 */
public final class MetaImageFormat implements ImageFormat {
    /** Largest header MedSynth reads: real headers are a few hundred bytes. */
    private static final int MAX_HEADER_BYTES = 1 << 20;

    private enum ElementType {
        MET_CHAR(1), MET_UCHAR(1), MET_SHORT(2), MET_USHORT(2), MET_INT(4), MET_UINT(4), MET_FLOAT(4), MET_DOUBLE(8);

        final int bytes;

        ElementType(int bytes) {
            this.bytes = bytes;
        }
    }

    @Override
    public MedicalImage<?> read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int headerEnd = -1;
        Map<String, String> header = new LinkedHashMap<>();
        int lineStart = 0;
        for (int i = 0; i < Math.min(bytes.length, MAX_HEADER_BYTES); i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            String line = new String(bytes, lineStart, i - lineStart, StandardCharsets.ISO_8859_1).strip();
            lineStart = i + 1;
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new ImageFormatException(file, "not a MetaImage header: line '" + abbreviate(line) + "' has no '='");
            }
            String key = line.substring(0, eq).strip();
            header.put(key, line.substring(eq + 1).strip());
            if (key.equals("ElementDataFile")) {
                headerEnd = i + 1;
                break;
            }
        }
        if (headerEnd < 0) {
            throw new ImageFormatException(file, "not a MetaImage file: no ElementDataFile line in the header");
        }
        if (header.containsKey("ObjectType") && !header.get("ObjectType").equalsIgnoreCase("Image")) {
            throw new ImageFormatException(file, "ObjectType is '" + header.get("ObjectType") + "', only Image is supported");
        }
        int nDims = intField(file, header, "NDims");
        if (nDims < 2 || nDims > 3) {
            throw new ImageFormatException(file, "NDims " + nDims + " is not supported (2 or 3)");
        }
        long[] dims = longs(file, header, "DimSize", nDims);
        int channels = header.containsKey("ElementNumberOfChannels") ? intField(file, header, "ElementNumberOfChannels") : 1;
        if (channels < 1) {
            throw new ImageFormatException(file, "ElementNumberOfChannels must be at least 1");
        }
        ElementType type;
        try {
            type = ElementType.valueOf(field(file, header, "ElementType").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ImageFormatException(file, "unsupported ElementType '" + header.get("ElementType") + "'");
        }
        long count = channels;
        for (long d : dims) {
            if (d < 1) {
                throw new ImageFormatException(file, "DimSize " + Arrays.toString(dims) + " has a non-positive size");
            }
            count = d > Integer.MAX_VALUE || count > Integer.MAX_VALUE ? Long.MAX_VALUE / 16 : count * d;
        }
        if (count > (Integer.MAX_VALUE - 16) / type.bytes) {
            throw new ImageFormatException(file, "image of " + count + " elements is larger than MedSynth reads in one array");
        }
        boolean msb = bool(header.getOrDefault("BinaryDataByteOrderMSB", header.getOrDefault("ElementByteOrderMSB", "False")));
        boolean compressed = bool(header.getOrDefault("CompressedData", "False"));
        byte[] raw = pixelBytes(file, bytes, headerEnd, header.get("ElementDataFile"), compressed);
        long expected = count * type.bytes;
        if (raw.length < expected) {
            throw new ImageFormatException(file, "pixel data is truncated: expected " + expected + " bytes, found " + raw.length);
        }
        double[] spacing = header.containsKey("ElementSpacing") ? doubles(file, header, "ElementSpacing", nDims)
                : header.containsKey("ElementSize") ? doubles(file, header, "ElementSize", nDims) : ones(nDims);
        String originKey = firstPresent(header, "Offset", "Origin", "Position");
        double[] origin = originKey == null ? new double[nDims] : doubles(file, header, originKey, nDims);
        String matrixKey = firstPresent(header, "TransformMatrix", "Rotation", "Orientation");
        double[] axisVectors = matrixKey == null ? Geometry.identity(nDims) : doubles(file, header, matrixKey, nDims * nDims);
        Geometry geometry;
        try {
            geometry = new Geometry(spacing, origin, transpose(axisVectors, nDims));
        } catch (IllegalArgumentException e) {
            throw new ImageFormatException(file, "invalid geometry: " + e.getMessage());
        }
        ByteBuffer buffer = ByteBuffer.wrap(raw).order(msb ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        Modality modality = parseOr(() -> Modality.fromCode(header.get("MedSynthModality")), modalityOf(header.get("Modality")));
        IntensityUnit unit = parseOr(() -> IntensityUnit.fromSymbol(header.get("MedSynthUnit")),
                modality == Modality.CT ? IntensityUnit.HOUNSFIELD : IntensityUnit.ARBITRARY);
        Provenance provenance = Provenance.acquired();
        if (header.containsKey("MedSynthProvenance")) {
            try {
                provenance = Provenance.fromJson(header.get("MedSynthProvenance"));
            } catch (RuntimeException e) {
                throw new ImageFormatException(file, "MedSynthProvenance header is not valid provenance JSON: " + e.getMessage());
            }
        }
        return build(type, buffer, dims, channels, geometry, modality, unit, provenance);
    }

    private static MedicalImage<?> build(ElementType type, ByteBuffer buffer, long[] dims, int channels,
            Geometry geometry, Modality modality, IntensityUnit unit, Provenance provenance) {
        long[] shape = channels == 1 ? dims : append(dims, channels);
        return switch (type) {
            case MET_CHAR -> fill(ArrayImgs.bytes(shape), buffer, type, dims, channels, geometry, modality, unit, provenance);
            case MET_UCHAR -> fill(ArrayImgs.unsignedBytes(shape), buffer, type, dims, channels, geometry, modality, unit, provenance);
            case MET_SHORT -> fill(ArrayImgs.shorts(shape), buffer, type, dims, channels, geometry, modality, unit, provenance);
            case MET_USHORT -> fill(ArrayImgs.unsignedShorts(shape), buffer, type, dims, channels, geometry, modality, unit, provenance);
            case MET_INT -> fill(ArrayImgs.ints(shape), buffer, type, dims, channels, geometry, modality, unit, provenance);
            case MET_UINT -> fill(ArrayImgs.unsignedInts(shape), buffer, type, dims, channels, geometry, modality, unit, provenance);
            case MET_FLOAT -> fill(ArrayImgs.floats(shape), buffer, type, dims, channels, geometry, modality, unit, provenance);
            case MET_DOUBLE -> fill(ArrayImgs.doubles(shape), buffer, type, dims, channels, geometry, modality, unit, provenance);
        };
    }

    /** Fills the image from interleaved (channel-fastest) elements, as MetaImage stores them. */
    private static <T extends NativeType<T> & RealType<T>> MedicalImage<T> fill(Img<T> img, ByteBuffer buffer,
            ElementType type, long[] dims, int channels, Geometry geometry, Modality modality, IntensityUnit unit,
            Provenance provenance) {
        forEachElement(img, dims, channels, t -> t.setReal(readElement(buffer, type)));
        List<String> labels = channels == 1 ? List.of()
                : java.util.stream.IntStream.range(0, channels).mapToObj(c -> "channel " + c).toList();
        return new MedicalImage<>(img, geometry, modality, unit, labels, provenance);
    }

    /** Visits elements in file order: channel fastest, then x, y, z. */
    private static <T extends RealType<T>> void forEachElement(Img<T> img, long[] dims, int channels,
            java.util.function.Consumer<T> action) {
        if (channels == 1) {
            Cursor<T> cursor = Views.flatIterable(img).cursor();
            while (cursor.hasNext()) {
                action.accept(cursor.next());
            }
            return;
        }
        RandomAccess<T> access = img.randomAccess();
        long[] pos = new long[dims.length + 1];
        long spatial = Arrays.stream(dims).reduce(1, Math::multiplyExact);
        for (long linear = 0; linear < spatial; linear++) {
            long rest = linear;
            for (int a = 0; a < dims.length; a++) {
                pos[a] = rest % dims[a];
                rest /= dims[a];
            }
            for (int c = 0; c < channels; c++) {
                pos[dims.length] = c;
                access.setPosition(pos);
                action.accept(access.get());
            }
        }
    }

    private static double readElement(ByteBuffer b, ElementType type) {
        return switch (type) {
            case MET_CHAR -> b.get();
            case MET_UCHAR -> b.get() & 0xff;
            case MET_SHORT -> b.getShort();
            case MET_USHORT -> b.getShort() & 0xffff;
            case MET_INT -> b.getInt();
            case MET_UINT -> b.getInt() & 0xffffffffL;
            case MET_FLOAT -> b.getFloat();
            case MET_DOUBLE -> b.getDouble();
        };
    }

    private static void writeElement(ByteBuffer b, ElementType type, double v) {
        switch (type) {
            case MET_CHAR, MET_UCHAR -> b.put((byte) (long) v);
            case MET_SHORT, MET_USHORT -> b.putShort((short) (long) v);
            case MET_INT, MET_UINT -> b.putInt((int) (long) v);
            case MET_FLOAT -> b.putFloat((float) v);
            case MET_DOUBLE -> b.putDouble(v);
        }
    }

    private static byte[] pixelBytes(Path file, byte[] bytes, int headerEnd, String dataFile, boolean compressed)
            throws IOException {
        byte[] data;
        if (dataFile.equalsIgnoreCase("LOCAL")) {
            data = Arrays.copyOfRange(bytes, headerEnd, bytes.length);
        } else {
            Path external;
            try {
                external = file.toAbsolutePath().getParent().resolve(dataFile).normalize();
            } catch (InvalidPathException e) {
                throw new ImageFormatException(file, "ElementDataFile is not a valid file name: " + e.getReason());
            }
            if (!Files.isRegularFile(external)) {
                throw new ImageFormatException(file, "ElementDataFile '" + dataFile + "' does not exist next to the header");
            }
            data = Files.readAllBytes(external);
        }
        if (!compressed) {
            return data;
        }
        Inflater inflater = new Inflater();
        try (ByteArrayOutputStream out = new ByteArrayOutputStream(data.length * 4)) {
            inflater.setInput(data);
            byte[] chunk = new byte[1 << 16];
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new ImageFormatException(file, "compressed pixel data ends early");
                }
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new ImageFormatException(file, "compressed pixel data is corrupt: " + e.getMessage());
        } finally {
            inflater.end();
        }
    }

    @Override
    public void write(MedicalImage<?> image, Path file) throws IOException {
        if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".mha")) {
            throw new ImageFormatException(file, "MedSynth writes MetaImage as single .mha files");
        }
        writeTyped(image, file);
    }

    private static <T extends NativeType<T> & RealType<T>> void writeTyped(MedicalImage<T> image, Path file)
            throws IOException {
        Geometry g = image.geometry();
        int n = g.dimensions();
        long[] all = image.dimensions();
        long[] dims = Arrays.copyOf(all, n);
        int channels = image.channels();
        ElementType type = elementType(file, image.pixels().firstElement());
        long count = Arrays.stream(all).reduce(1, Math::multiplyExact);
        if (count * type.bytes > Integer.MAX_VALUE - 16) {
            throw new ImageFormatException(file, "image too large for one MetaImage array");
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) (count * type.bytes)).order(ByteOrder.LITTLE_ENDIAN);
        forEachElement(image.pixels(), dims, channels, t -> writeElement(buffer, type, t.getRealDouble()));
        StringBuilder h = new StringBuilder();
        h.append("ObjectType = Image\n").append("NDims = ").append(n).append('\n');
        h.append("BinaryData = True\nBinaryDataByteOrderMSB = False\nCompressedData = False\n");
        h.append("TransformMatrix = ").append(join(transpose(g.direction(), n))).append('\n');
        h.append("Offset = ").append(join(g.origin())).append('\n');
        h.append("CenterOfRotation = ").append(join(new double[n])).append('\n');
        h.append("AnatomicalOrientation = ").append(n == 3 ? "RAI" : "RA").append('\n');
        h.append("ElementSpacing = ").append(join(g.spacing())).append('\n');
        h.append("DimSize = ").append(String.join(" ", Arrays.stream(dims).mapToObj(Long::toString).toList())).append('\n');
        if (channels > 1) {
            h.append("ElementNumberOfChannels = ").append(channels).append('\n');
        }
        h.append("Modality = ").append(metaModality(image.modality())).append('\n');
        h.append("MedSynthModality = ").append(image.modality().dicomCode()).append('\n');
        h.append("MedSynthUnit = ").append(image.unit().symbol()).append('\n');
        h.append("MedSynthSynthetic = ").append(image.isSynthetic() ? "True" : "False").append('\n');
        if (image.isSynthetic()) {
            h.append("MedSynthProvenance = ").append(image.provenance().toJson()).append('\n');
        }
        h.append("ElementType = ").append(type.name()).append('\n');
        h.append("ElementDataFile = LOCAL\n");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(h.toString().getBytes(StandardCharsets.UTF_8));
            out.write(buffer.array());
        }
    }

    private static ElementType elementType(Path file, Object t) throws ImageFormatException {
        if (t instanceof FloatType) {
            return ElementType.MET_FLOAT;
        } else if (t instanceof DoubleType) {
            return ElementType.MET_DOUBLE;
        } else if (t instanceof ShortType) {
            return ElementType.MET_SHORT;
        } else if (t instanceof UnsignedShortType) {
            return ElementType.MET_USHORT;
        } else if (t instanceof UnsignedByteType) {
            return ElementType.MET_UCHAR;
        } else if (t instanceof ByteType) {
            return ElementType.MET_CHAR;
        } else if (t instanceof IntType) {
            return ElementType.MET_INT;
        } else if (t instanceof UnsignedIntType) {
            return ElementType.MET_UINT;
        }
        throw new ImageFormatException(file, "MetaImage cannot store pixels of type " + t.getClass().getSimpleName());
    }

    private static String metaModality(Modality m) {
        return switch (m) {
            case CT -> "MET_MOD_CT";
            case MR -> "MET_MOD_MR";
            case PT -> "MET_MOD_NM";
            case US -> "MET_MOD_US";
            default -> "MET_MOD_OTHER";
        };
    }

    private static Modality modalityOf(String metaModality) {
        if (metaModality == null) {
            return Modality.OT;
        }
        return switch (metaModality.toUpperCase(Locale.ROOT)) {
            case "MET_MOD_CT" -> Modality.CT;
            case "MET_MOD_MR" -> Modality.MR;
            case "MET_MOD_NM" -> Modality.PT;
            case "MET_MOD_US" -> Modality.US;
            default -> Modality.OT;
        };
    }

    private static <V> V parseOr(java.util.function.Supplier<V> parse, V fallback) {
        try {
            return parse.get();
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    /** Row-major direction (columns = axis vectors) ↔ MetaImage TransformMatrix (axis vectors in sequence). */
    private static double[] transpose(double[] m, int n) {
        double[] t = new double[n * n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                t[c * n + r] = m[r * n + c];
            }
        }
        return t;
    }

    private static String join(double[] values) {
        return String.join(" ", Arrays.stream(values).mapToObj(v -> v == Math.rint(v) && Math.abs(v) < 1e15
                ? Long.toString((long) v) : Double.toString(v)).toList());
    }

    private static String field(Path file, Map<String, String> header, String key) throws ImageFormatException {
        String v = header.get(key);
        if (v == null || v.isEmpty()) {
            throw new ImageFormatException(file, "MetaImage header lacks " + key);
        }
        return v;
    }

    private static int intField(Path file, Map<String, String> header, String key) throws ImageFormatException {
        try {
            return Integer.parseInt(field(file, header, key));
        } catch (NumberFormatException e) {
            throw new ImageFormatException(file, key + " '" + header.get(key) + "' is not an integer");
        }
    }

    private static long[] longs(Path file, Map<String, String> header, String key, int n) throws ImageFormatException {
        String[] parts = field(file, header, key).split("\\s+");
        if (parts.length < n) {
            throw new ImageFormatException(file, key + " has " + parts.length + " values, NDims is " + n);
        }
        long[] v = new long[n];
        try {
            for (int i = 0; i < n; i++) {
                v[i] = Long.parseLong(parts[i]);
            }
        } catch (NumberFormatException e) {
            throw new ImageFormatException(file, key + " '" + header.get(key) + "' is not a list of integers");
        }
        return v;
    }

    private static double[] doubles(Path file, Map<String, String> header, String key, int n) throws ImageFormatException {
        String[] parts = field(file, header, key).split("\\s+");
        if (parts.length < n) {
            throw new ImageFormatException(file, key + " has " + parts.length + " values, expected " + n);
        }
        double[] v = new double[n];
        try {
            for (int i = 0; i < n; i++) {
                v[i] = Double.parseDouble(parts[i]);
                if (!Double.isFinite(v[i])) {
                    throw new NumberFormatException();
                }
            }
        } catch (NumberFormatException e) {
            throw new ImageFormatException(file, key + " '" + header.get(key) + "' is not a list of finite numbers");
        }
        return v;
    }

    private static String firstPresent(Map<String, String> header, String... keys) {
        for (String k : keys) {
            if (header.containsKey(k)) {
                return k;
            }
        }
        return null;
    }

    private static boolean bool(String v) {
        return v.equalsIgnoreCase("True") || v.equals("1");
    }

    private static double[] ones(int n) {
        double[] d = new double[n];
        Arrays.fill(d, 1);
        return d;
    }

    private static long[] append(long[] dims, long last) {
        long[] r = Arrays.copyOf(dims, dims.length + 1);
        r[dims.length] = last;
        return r;
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
