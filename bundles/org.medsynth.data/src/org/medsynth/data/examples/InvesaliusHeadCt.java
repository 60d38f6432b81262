package org.medsynth.data.examples;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;

/**
 * The real head CT that the Debian package {@code invesalius-examples} installs: an InVesalius 3 project
 * ({@code .inv3}, a gzip-compressed tar) whose {@code main.plist} gives the matrix shape (slices, rows, columns) and
 * spacing (x, y, z in mm) and whose {@code matrix.dat} holds the volume as little-endian int16 HU, x fastest.
 *
 * @param hu the volume in Hounsfield units, x fastest, then y, then z
 * @param nx columns
 * @param ny rows
 * @param nz slices
 * @param spacingX column spacing in mm
 * @param spacingY row spacing in mm
 * @param spacingZ slice spacing in mm
 */
public record InvesaliusHeadCt(float[] hu, int nx, int ny, int nz, double spacingX, double spacingY, double spacingZ) {

    /** Where the Debian package puts the example project (108 slices of 256², 0.957 × 0.957 × 1.5 mm). */
    public static final Path DEBIAN_ARCHIVE = Path.of("/usr/share/doc/invesalius-examples/examples/Cranium.inv3");

    private static final int TAR_BLOCK = 512;
    private static final Pattern SHAPE = Pattern.compile(
            "<key>shape</key>\\s*<array>\\s*<integer>(\\d+)</integer>\\s*<integer>(\\d+)</integer>\\s*<integer>(\\d+)</integer>");
    private static final Pattern DTYPE = Pattern.compile("<key>dtype</key>\\s*<string>([^<]*)</string>");
    private static final Pattern SPACING = Pattern.compile("<key>spacing</key>\\s*<array>\\s*<real>([^<]+)</real>"
            + "\\s*<real>([^<]+)</real>\\s*<real>([^<]+)</real>");

    /** The packaged head CT; a missing package is named in the error. */
    public static InvesaliusHeadCt readInstalled() throws IOException {
        if (!Files.isRegularFile(DEBIAN_ARCHIVE)) {
            throw new IOException(DEBIAN_ARCHIVE + " is missing: install the Debian package invesalius-examples");
        }
        return read(DEBIAN_ARCHIVE);
    }

    /**
     * The volume as a CT image in HU with the project's spacing, axes as stored (x fastest); an acquired image, not a
     * synthetic one.
     */
    public MedicalImage<FloatType> image() {
        return MedicalImage.of(ArrayImgs.floats(hu.clone(), nx, ny, nz),
                Geometry.of(new double[] {spacingX, spacingY, spacingZ}), Modality.CT, IntensityUnit.HOUNSFIELD);
    }

    /** Reads an InVesalius 3 project archive whose matrix is int16. */
    public static InvesaliusHeadCt read(Path archive) throws IOException {
        String plist = null;
        byte[] matrix = null;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
            DataInputStream data = new DataInputStream(in);
            byte[] header = new byte[TAR_BLOCK];
            while (plist == null || matrix == null) {
                try {
                    data.readFully(header);
                } catch (EOFException e) {
                    break;
                }
                String name = field(header, 0, 100);
                if (name.isEmpty()) {
                    break;
                }
                long size = Long.parseLong(field(header, 124, 12), 8);
                long padded = (size + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
                if (name.endsWith("main.plist") || name.endsWith("matrix.dat")) {
                    if (size > Integer.MAX_VALUE - TAR_BLOCK) {
                        throw new IOException(archive + ": " + name + " is too large (" + size + " bytes)");
                    }
                    byte[] content = new byte[(int) size];
                    data.readFully(content);
                    data.skipNBytes(padded - size);
                    if (name.endsWith("main.plist")) {
                        plist = new String(content, StandardCharsets.UTF_8);
                    } else {
                        matrix = content;
                    }
                } else {
                    data.skipNBytes(padded);
                }
            }
        } catch (NumberFormatException e) {
            throw new IOException(archive + " is not an InVesalius project: corrupt tar header", e);
        }
        if (plist == null || matrix == null) {
            throw new IOException(archive + " is not an InVesalius project: it lacks main.plist or matrix.dat");
        }
        return fromProject(archive, plist, matrix);
    }

    private static InvesaliusHeadCt fromProject(Path archive, String plist, byte[] matrix) throws IOException {
        Matcher dtype = DTYPE.matcher(plist);
        if (!dtype.find() || !dtype.group(1).equals("int16")) {
            throw new IOException(archive + ": only int16 matrices are read, main.plist says "
                    + (dtype.find(0) ? dtype.group(1) : "no dtype"));
        }
        List<Integer> shape = groups(archive, SHAPE, plist, "matrix shape").stream().map(Integer::parseInt).toList();
        List<Double> spacing = groups(archive, SPACING, plist, "spacing").stream().map(Double::parseDouble).toList();
        long voxels = (long) shape.get(0) * shape.get(1) * shape.get(2);
        if (matrix.length != 2 * voxels) {
            throw new IOException(archive + ": matrix.dat has " + matrix.length + " bytes, the shape " + shape
                    + " needs " + 2 * voxels);
        }
        float[] hu = new float[(int) voxels];
        ByteBuffer buffer = ByteBuffer.wrap(matrix).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < hu.length; i++) {
            hu[i] = buffer.getShort();
        }
        return new InvesaliusHeadCt(hu, shape.get(2), shape.get(1), shape.get(0), spacing.get(0), spacing.get(1),
                spacing.get(2));
    }

    private static List<String> groups(Path archive, Pattern pattern, String plist, String what) throws IOException {
        Matcher m = pattern.matcher(plist);
        if (!m.find()) {
            throw new IOException(archive + ": main.plist has no readable " + what);
        }
        List<String> values = new ArrayList<>();
        for (int g = 1; g <= m.groupCount(); g++) {
            values.add(m.group(g).trim());
        }
        return values;
    }

    private static String field(byte[] header, int offset, int length) {
        return new String(header, offset, length, StandardCharsets.US_ASCII).replace("\0", "").trim();
    }
}
