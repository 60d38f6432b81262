package org.medsynth.io.nifti.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import net.imglib2.Cursor;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ArrayDataAccess;
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
 * NIfTI-1/-2 single files ({@code .nii}, {@code .nii.gz}). Reading streams the (inflated) file once: header,
 * extensions, then the voxels straight into the pixel array, so a gzipped file is never held whole in memory. Sizes
 * the header declares are checked against what the file can hold before anything is allocated. Dimensions 4 to 7
 * become the channel axis. MedSynth's modality, unit and provenance travel in a comment extension (code 6) of
 * {@code key=value} lines; other readers ignore it, nibabel lists it in {@code header.extensions}.
 */
public final class NiftiFormat implements ImageFormat {
    /** Deflate cannot expand input more than about 1032 times, which bounds what a gzipped file can hold. */
    private static final long MAX_DEFLATE_RATIO = 1032;
    /** Upper bound on the pixel bytes of one image, settable for machines with more or less memory. */
    private static final long MAX_IMAGE_BYTES = Long.getLong("medsynth.io.maxImageBytes", 8L << 30);
    private static final int MAX_EXTENSION_BYTES = 16 << 20;
    private static final int CHUNK = 1 << 20;
    private static final int COMMENT_EXTENSION = 6;
    private static final String EXTENSION_PREFIX = "MedSynth\n";

    @Override
    public MedicalImage<?> read(Path file) throws IOException {
        long fileSize = Files.size(file);
        boolean gzipped = isGzip(file);
        long capacity = gzipped ? fileSize * MAX_DEFLATE_RATIO : fileSize;
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = gzipped ? new GZIPInputStream(raw, CHUNK) : new BufferedInputStream(raw, CHUNK)) {
            byte[] head = new byte[NiftiHeader.NIFTI2_SIZE];
            int read = in.readNBytes(head, 0, NiftiHeader.NIFTI1_SIZE);
            if (read == NiftiHeader.NIFTI1_SIZE && (head[0] == 0x1c || head[3] == 0x1c)) {
                read += in.readNBytes(head, read, NiftiHeader.NIFTI2_SIZE - NiftiHeader.NIFTI1_SIZE);
            }
            NiftiHeader h = NiftiHeader.parse(file, head, read);
            long position = h.headerSize();
            Map<String, String> medsynth = new LinkedHashMap<>();
            long offset = h.voxOffset == 0 ? position + 4 : h.voxOffset;
            if (offset < position + 4) {
                throw new ImageFormatException(file, "vox_offset " + h.voxOffset + " points into the header");
            }
            if (offset > capacity) {
                throw new ImageFormatException(file, "vox_offset " + offset + " is beyond the end of the file");
            }
            byte[] extender = readExactly(file, in, 4, "extension flag");
            position += 4;
            if (extender[0] != 0) {
                position = readExtensions(file, in, h.order, position, offset, medsynth);
            }
            in.skipNBytes(offset - position);
            long[] size = h.spatialSize();
            long volumes = h.volumes();
            long voxels = Math.multiplyExact(Math.multiplyExact(Math.multiplyExact(size[0], size[1]), size[2]), volumes);
            long bytes = Math.multiplyExact(voxels, h.dataType.bytes);
            if (bytes > capacity - offset) {
                throw new ImageFormatException(file, "header declares " + Arrays.toString(Arrays.copyOfRange(h.dim, 1,
                        (int) h.dim[0] + 1)) + " voxels (" + bytes + " bytes) but the file can hold at most "
                        + Math.max(0, capacity - offset) + " bytes of pixel data");
            }
            if (bytes > MAX_IMAGE_BYTES || voxels > Integer.MAX_VALUE - 8) {
                throw new ImageFormatException(file, "image of " + voxels + " voxels (" + bytes + " bytes) exceeds the "
                        + "limit of one array / medsynth.io.maxImageBytes=" + MAX_IMAGE_BYTES);
            }
            boolean planar = h.dim[0] <= 2 && size[2] == 1 && h.inPlaneAxesAreAxial();
            Geometry geometry = h.geometry(file, planar);
            long[] shape = planar ? new long[] {size[0], size[1]} : size;
            if (volumes > 1) {
                shape = Arrays.copyOf(shape, shape.length + 1);
                shape[shape.length - 1] = volumes;
            }
            Img<?> pixels = VoxelCodec.read(file, in, h, (int) voxels, shape);
            List<String> labels = volumes == 1 ? List.of()
                    : IntStream.range(0, (int) volumes).mapToObj(v -> "volume " + v).toList();
            return image(file, pixels, geometry, labels, medsynth);
        } catch (EOFException e) {
            throw new ImageFormatException(file, "file is truncated: " + e.getMessage(), e);
        } catch (ImageFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new ImageFormatException(file, (gzipped ? "gzip stream is corrupt: " : "cannot be read: ") + e.getMessage(), e);
        } catch (ArithmeticException e) {
            throw new ImageFormatException(file, "declared dimensions overflow: " + e.getMessage());
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static MedicalImage<?> image(Path file, Img<?> pixels, Geometry geometry, List<String> labels,
            Map<String, String> medsynth) throws ImageFormatException {
        Modality modality = Modality.OT;
        IntensityUnit unit = IntensityUnit.ARBITRARY;
        Provenance provenance = Provenance.acquired();
        try {
            if (medsynth.containsKey("modality")) {
                modality = Modality.fromCode(medsynth.get("modality"));
            }
            if (medsynth.containsKey("unit")) {
                unit = IntensityUnit.fromSymbol(medsynth.get("unit"));
            }
            if (medsynth.containsKey("provenance")) {
                provenance = Provenance.fromJson(medsynth.get("provenance"));
            }
        } catch (RuntimeException e) {
            throw new ImageFormatException(file, "MedSynth extension is malformed: " + e.getMessage());
        }
        return new MedicalImage(pixels, geometry, modality, unit, labels, provenance);
    }

    /** Reads the extension list up to the voxels, keeping MedSynth's own {@code key=value} lines. */
    private static long readExtensions(Path file, InputStream in, ByteOrder order, long position, long offset,
            Map<String, String> medsynth) throws IOException {
        while (position + 8 <= offset) {
            ByteBuffer head = ByteBuffer.wrap(readExactly(file, in, 8, "extension header")).order(order);
            int esize = head.getInt(0);
            int ecode = head.getInt(4);
            if (esize < 8 || position + esize > offset || esize > MAX_EXTENSION_BYTES) {
                throw new ImageFormatException(file, "extension at byte " + position + " declares size " + esize
                        + ", which does not fit before the voxels at " + offset);
            }
            byte[] content = readExactly(file, in, esize - 8, "extension content");
            position += esize;
            String text = new String(content, StandardCharsets.UTF_8);
            if (ecode == COMMENT_EXTENSION && text.startsWith(EXTENSION_PREFIX)) {
                for (String line : text.substring(EXTENSION_PREFIX.length()).split("\n")) {
                    int eq = line.indexOf('=');
                    if (eq > 0) {
                        medsynth.put(line.substring(0, eq), line.substring(eq + 1).replace("\0", "").strip());
                    }
                }
            }
        }
        return position;
    }

    private static byte[] readExactly(Path file, InputStream in, int n, String what) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new ImageFormatException(file, "file is truncated in the " + what + ": " + b.length + " of " + n
                    + " bytes");
        }
        return b;
    }

    private static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(2);
            return magic.length == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
        }
    }

    @Override
    public void write(MedicalImage<?> image, Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".nii") && !name.endsWith(".nii.gz")) {
            throw new ImageFormatException(file, "MedSynth writes NIfTI as single .nii or .nii.gz files");
        }
        write(image, file, 0);
    }

    /**
     * Writes with the given NIfTI version, or with the smallest that holds the image when {@code version} is 0.
     * The file appears whole or not at all.
     */
    public static void write(MedicalImage<?> image, Path file, int version) throws IOException {
        NiftiHeader h = header(image, file, version);
        byte[] extension = extension(image);
        h.voxOffset = h.headerSize() + 4 + extension.length;
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            try (OutputStream raw = Files.newOutputStream(tmp);
                    OutputStream out = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz")
                            ? new GZIPOutputStream(raw, CHUNK) : new BufferedOutputStream(raw, CHUNK)) {
                out.write(h.toBytes(true));
                out.write(extension);
                VoxelCodec.write(image.pixels(), h.dataType, out);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static NiftiHeader header(MedicalImage<?> image, Path file, int version) throws ImageFormatException {
        NiftiHeader h = new NiftiHeader();
        h.dataType = dataType(file, image.pixels().firstElement());
        long[] dims = image.dimensions();
        int spatial = image.geometry().dimensions();
        int channels = image.channels();
        h.dim[0] = channels > 1 ? 4 : spatial;
        Arrays.fill(h.dim, 1, 8, 1);
        for (int i = 0; i < spatial; i++) {
            h.dim[i + 1] = dims[i];
        }
        h.dim[4] = channels;
        boolean needsVersion2 = Arrays.stream(h.dim).anyMatch(d -> d > Short.MAX_VALUE);
        if (version == 1 && needsVersion2) {
            throw new ImageFormatException(file, "a dimension exceeds 32767, which needs NIfTI-2");
        }
        h.version = version == 0 ? (needsVersion2 ? 2 : 1) : version;
        h.setGeometry(image.geometry());
        h.sclSlope = 1;
        h.sclInter = 0;
        h.descrip = image.isSynthetic() ? image.provenance().summary() : "MedSynth " + image.modality().dicomCode()
                + " " + image.unit().symbol();
        return h;
    }

    /** The comment extension, padded to a multiple of 16 bytes as the standard requires. */
    private static byte[] extension(MedicalImage<?> image) {
        StringBuilder text = new StringBuilder(EXTENSION_PREFIX);
        text.append("modality=").append(image.modality().dicomCode()).append('\n');
        text.append("unit=").append(image.unit().symbol()).append('\n');
        text.append("synthetic=").append(image.isSynthetic()).append('\n');
        if (image.isSynthetic()) {
            text.append("provenance=").append(image.provenance().toJson()).append('\n');
        }
        byte[] content = text.toString().getBytes(StandardCharsets.UTF_8);
        int size = (content.length + 8 + 15) / 16 * 16;
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(size).putInt(COMMENT_EXTENSION).put(content);
        return b.array();
    }

    private static NiftiDataType dataType(Path file, Object t) throws ImageFormatException {
        if (t instanceof UnsignedByteType) {
            return NiftiDataType.UINT8;
        } else if (t instanceof ByteType) {
            return NiftiDataType.INT8;
        } else if (t instanceof ShortType) {
            return NiftiDataType.INT16;
        } else if (t instanceof UnsignedShortType) {
            return NiftiDataType.UINT16;
        } else if (t instanceof IntType) {
            return NiftiDataType.INT32;
        } else if (t instanceof UnsignedIntType) {
            return NiftiDataType.UINT32;
        } else if (t instanceof FloatType) {
            return NiftiDataType.FLOAT32;
        } else if (t instanceof DoubleType) {
            return NiftiDataType.FLOAT64;
        }
        throw new ImageFormatException(file, "NIfTI cannot store pixels of type " + t.getClass().getSimpleName());
    }

    /** Moves voxels between a stream and ImgLib2 arrays in 1 MiB chunks, converting byte order on the way. */
    static final class VoxelCodec {
        private VoxelCodec() {
        }

        static Img<?> read(Path file, InputStream in, NiftiHeader h, int count, long[] shape) throws IOException {
            NiftiDataType type = h.dataType;
            boolean wide = type == NiftiDataType.FLOAT64 || type == NiftiDataType.INT32 || type == NiftiDataType.UINT32;
            if (h.scaled()) {
                double slope = h.sclSlope;
                double inter = h.inter();
                if (wide) {
                    double[] out = new double[count];
                    stream(file, in, h, count, (b, off, n) -> {
                        for (int i = 0; i < n; i++) {
                            out[off + i] = element(b, type) * slope + inter;
                        }
                    });
                    return ArrayImgs.doubles(out, shape);
                }
                float[] out = new float[count];
                stream(file, in, h, count, (b, off, n) -> {
                    for (int i = 0; i < n; i++) {
                        out[off + i] = (float) (element(b, type) * slope + inter);
                    }
                });
                return ArrayImgs.floats(out, shape);
            }
            return switch (type) {
                case UINT8, INT8 -> {
                    byte[] a = new byte[count];
                    stream(file, in, h, count, (b, off, n) -> b.get(a, off, n));
                    yield type == NiftiDataType.UINT8 ? ArrayImgs.unsignedBytes(a, shape) : ArrayImgs.bytes(a, shape);
                }
                case INT16, UINT16 -> {
                    short[] a = new short[count];
                    stream(file, in, h, count, (b, off, n) -> b.asShortBuffer().get(a, off, n));
                    yield type == NiftiDataType.INT16 ? ArrayImgs.shorts(a, shape) : ArrayImgs.unsignedShorts(a, shape);
                }
                case INT32, UINT32 -> {
                    int[] a = new int[count];
                    stream(file, in, h, count, (b, off, n) -> b.asIntBuffer().get(a, off, n));
                    yield type == NiftiDataType.INT32 ? ArrayImgs.ints(a, shape) : ArrayImgs.unsignedInts(a, shape);
                }
                case FLOAT32 -> {
                    float[] a = new float[count];
                    stream(file, in, h, count, (b, off, n) -> b.asFloatBuffer().get(a, off, n));
                    yield ArrayImgs.floats(a, shape);
                }
                case FLOAT64 -> {
                    double[] a = new double[count];
                    stream(file, in, h, count, (b, off, n) -> b.asDoubleBuffer().get(a, off, n));
                    yield ArrayImgs.doubles(a, shape);
                }
            };
        }

        private interface ChunkSink {
            void accept(ByteBuffer chunk, int offset, int elements);
        }

        private static void stream(Path file, InputStream in, NiftiHeader h, int count, ChunkSink sink)
                throws IOException {
            int size = h.dataType.bytes;
            byte[] chunk = new byte[CHUNK];
            int perChunk = CHUNK / size;
            for (int done = 0; done < count; done += perChunk) {
                int n = Math.min(perChunk, count - done);
                int got = in.readNBytes(chunk, 0, n * size);
                if (got < n * size) {
                    throw new ImageFormatException(file, "pixel data is truncated: expected " + (long) count * size
                            + " bytes, found " + ((long) done * size + got));
                }
                sink.accept(ByteBuffer.wrap(chunk, 0, n * size).order(h.order), done, n);
            }
        }

        private static double element(ByteBuffer b, NiftiDataType type) {
            return switch (type) {
                case UINT8 -> b.get() & 0xff;
                case INT8 -> b.get();
                case INT16 -> b.getShort();
                case UINT16 -> b.getShort() & 0xffff;
                case INT32 -> b.getInt();
                case UINT32 -> b.getInt() & 0xffffffffL;
                case FLOAT32 -> b.getFloat();
                case FLOAT64 -> b.getDouble();
            };
        }

        /** Writes little-endian voxels, x fastest; array-backed images are copied from their arrays directly. */
        static <T extends NativeType<T> & RealType<T>> void write(Img<?> img, NiftiDataType type, OutputStream out)
                throws IOException {
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            if (img instanceof ArrayImg<?, ?> array && array.update(null) instanceof ArrayDataAccess<?> access) {
                Object data = access.getCurrentStorageArray();
                int length = access.getArrayLength();
                int perChunk = CHUNK / type.bytes;
                for (int off = 0; off < length; off += perChunk) {
                    int n = Math.min(perChunk, length - off);
                    chunk.clear();
                    switch (data) {
                        case byte[] a -> chunk.put(a, off, n);
                        case short[] a -> chunk.asShortBuffer().put(a, off, n);
                        case int[] a -> chunk.asIntBuffer().put(a, off, n);
                        case float[] a -> chunk.asFloatBuffer().put(a, off, n);
                        case double[] a -> chunk.asDoubleBuffer().put(a, off, n);
                        default -> throw new IllegalStateException("unexpected array " + data.getClass());
                    }
                    out.write(chunk.array(), 0, n * type.bytes);
                }
                return;
            }
            @SuppressWarnings("unchecked")
            Cursor<T> cursor = Views.flatIterable((Img<T>) img).cursor();
            while (cursor.hasNext()) {
                if (chunk.remaining() < type.bytes) {
                    out.write(chunk.array(), 0, chunk.position());
                    chunk.clear();
                }
                double v = cursor.next().getRealDouble();
                switch (type) {
                    case UINT8, INT8 -> chunk.put((byte) (long) v);
                    case INT16, UINT16 -> chunk.putShort((short) (long) v);
                    case INT32, UINT32 -> chunk.putInt((int) (long) v);
                    case FLOAT32 -> chunk.putFloat((float) v);
                    case FLOAT64 -> chunk.putDouble(v);
                }
            }
            out.write(chunk.array(), 0, chunk.position());
        }
    }
}
