package org.medsynth.io.nifti.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

import org.medsynth.core.api.ImageFormatException;
import org.medsynth.core.image.Geometry;

/**
 * The fields of a NIfTI-1 (348 bytes) or NIfTI-2 (540 bytes) header that MedSynth uses, and their mapping to the
 * image model. NIfTI positions are RAS; MedSynth's geometry is LPS, so the first two world axes change sign.
 */
final class NiftiHeader {
    static final int NIFTI1_SIZE = 348;
    static final int NIFTI2_SIZE = 540;
    static final int XFORM_SCANNER_ANAT = 1;
    private static final byte[] NIFTI2_MAGIC = {'n', '+', '2', 0, '\r', '\n', 0x1a, '\n'};

    int version;
    ByteOrder order;
    long[] dim = new long[8];
    NiftiDataType dataType;
    double[] pixdim = new double[8];
    long voxOffset;
    double sclSlope;
    double sclInter;
    int xyztUnits;
    String descrip = "";
    int qformCode;
    int sformCode;
    double[] quatern = new double[3];
    double[] qoffset = new double[3];
    double[][] srow = new double[3][4];

    int headerSize() {
        return version == 1 ? NIFTI1_SIZE : NIFTI2_SIZE;
    }

    /** Parses the first bytes of a file; {@code bytes} holds at least {@link #NIFTI1_SIZE} bytes. */
    static NiftiHeader parse(Path file, byte[] bytes, int length) throws ImageFormatException {
        if (length < NIFTI1_SIZE) {
            throw new ImageFormatException(file, "not a NIfTI file: only " + length + " bytes, a header needs 348");
        }
        NiftiHeader h = new NiftiHeader();
        ByteBuffer b = ByteBuffer.wrap(bytes, 0, length);
        for (ByteOrder candidate : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            int size = b.order(candidate).getInt(0);
            if (size == NIFTI1_SIZE || size == NIFTI2_SIZE) {
                h.order = candidate;
                h.version = size == NIFTI1_SIZE ? 1 : 2;
            }
        }
        if (h.order == null) {
            throw new ImageFormatException(file, "not a NIfTI file: sizeof_hdr is " + b.order(ByteOrder.LITTLE_ENDIAN)
                    .getInt(0) + ", expected 348 (NIfTI-1) or 540 (NIfTI-2)");
        }
        b.order(h.order);
        if (h.version == 1) {
            h.parseVersion1(file, b);
        } else if (length < NIFTI2_SIZE) {
            throw new ImageFormatException(file, "NIfTI-2 header is truncated: " + length + " of 540 bytes");
        } else {
            h.parseVersion2(file, b);
        }
        h.check(file);
        return h;
    }

    private void parseVersion1(Path file, ByteBuffer b) throws ImageFormatException {
        String magic = new String(bytes(b, 344, 4), StandardCharsets.ISO_8859_1);
        if (magic.startsWith("ni1")) {
            throw new ImageFormatException(file, "NIfTI header/image pairs (.hdr/.img) are not supported, only single .nii files");
        }
        if (!magic.startsWith("n+1")) {
            throw new ImageFormatException(file, "not a NIfTI-1 file: magic is '" + magic.trim() + "', expected 'n+1'");
        }
        for (int i = 0; i < 8; i++) {
            dim[i] = b.getShort(40 + 2 * i);
            pixdim[i] = b.getFloat(76 + 4 * i);
        }
        dataType = NiftiDataType.fromCode(file, b.getShort(70));
        voxOffset = (long) b.getFloat(108);
        sclSlope = b.getFloat(112);
        sclInter = b.getFloat(116);
        xyztUnits = b.get(123) & 0xff;
        descrip = text(bytes(b, 148, 80));
        qformCode = b.getShort(252);
        sformCode = b.getShort(254);
        for (int i = 0; i < 3; i++) {
            quatern[i] = b.getFloat(256 + 4 * i);
            qoffset[i] = b.getFloat(268 + 4 * i);
            for (int c = 0; c < 4; c++) {
                srow[i][c] = b.getFloat(280 + 16 * i + 4 * c);
            }
        }
    }

    private void parseVersion2(Path file, ByteBuffer b) throws ImageFormatException {
        if (!Arrays.equals(bytes(b, 4, 4), Arrays.copyOf(NIFTI2_MAGIC, 4))) {
            throw new ImageFormatException(file, "not a NIfTI-2 file: magic is not 'n+2' (header/image pairs are not supported)");
        }
        for (int i = 0; i < 8; i++) {
            dim[i] = b.getLong(16 + 8 * i);
            pixdim[i] = b.getDouble(104 + 8 * i);
        }
        dataType = NiftiDataType.fromCode(file, b.getShort(12));
        voxOffset = b.getLong(168);
        sclSlope = b.getDouble(176);
        sclInter = b.getDouble(184);
        descrip = text(bytes(b, 240, 80));
        qformCode = b.getInt(344);
        sformCode = b.getInt(348);
        for (int i = 0; i < 3; i++) {
            quatern[i] = b.getDouble(352 + 8 * i);
            qoffset[i] = b.getDouble(376 + 8 * i);
            for (int c = 0; c < 4; c++) {
                srow[i][c] = b.getDouble(400 + 32 * i + 8 * c);
            }
        }
        xyztUnits = b.getInt(500);
    }

    private void check(Path file) throws ImageFormatException {
        if (dim[0] < 1 || dim[0] > 7) {
            throw new ImageFormatException(file, "dim[0] is " + dim[0] + ", must be 1 to 7");
        }
        for (int i = 1; i <= dim[0]; i++) {
            if (dim[i] < 1) {
                throw new ImageFormatException(file, "dim[" + i + "] is " + dim[i] + ", sizes must be positive");
            }
        }
        if (voxOffset < 0) {
            throw new ImageFormatException(file, "vox_offset " + voxOffset + " is negative");
        }
    }

    /** Number of voxels along x, y, z (1 where absent) and the number of volumes (dimensions 4 to 7 together). */
    long[] spatialSize() {
        return new long[] {dim[1], dim[0] >= 2 ? dim[2] : 1, dim[0] >= 3 ? dim[3] : 1};
    }

    long volumes() {
        long v = 1;
        for (int i = 4; i <= dim[0]; i++) {
            v = Math.multiplyExact(v, dim[i]);
        }
        return v;
    }

    /** Whether scl_slope/scl_inter change the stored values (a slope of 0 or NaN means "no scaling"). */
    boolean scaled() {
        return Double.isFinite(sclSlope) && sclSlope != 0 && (sclSlope != 1 || (Double.isFinite(sclInter) && sclInter != 0));
    }

    double inter() {
        return Double.isFinite(sclInter) ? sclInter : 0;
    }

    /** Millimetres per spatial unit of xyzt_units (unknown is taken as mm, as nibabel and ITK do). */
    private double millimetresPerUnit() {
        return switch (xyztUnits & 0x07) {
            case 1 -> 1000;
            case 3 -> 0.001;
            default -> 1;
        };
    }

    /**
     * The voxel-to-RAS affine as nibabel chooses it: sform when its code is set, else qform, else a diagonal of
     * pixdim with x flipped and the centre voxel at the origin (nibabel's fallback for files without orientation).
     */
    double[][] affine() {
        double[][] a = new double[3][4];
        if (sformCode > 0) {
            for (int r = 0; r < 3; r++) {
                a[r] = srow[r].clone();
            }
        } else if (qformCode > 0) {
            double b = quatern[0];
            double c = quatern[1];
            double d = quatern[2];
            double a0 = Math.sqrt(Math.max(0, 1 - (b * b + c * c + d * d)));
            double[][] rot = {
                {a0 * a0 + b * b - c * c - d * d, 2 * (b * c - a0 * d), 2 * (b * d + a0 * c)},
                {2 * (b * c + a0 * d), a0 * a0 + c * c - b * b - d * d, 2 * (c * d - a0 * b)},
                {2 * (b * d - a0 * c), 2 * (c * d + a0 * b), a0 * a0 + d * d - c * c - b * b}};
            double qfac = pixdim[0] < 0 ? -1 : 1;
            double[] step = {Math.abs(pixdim[1]), Math.abs(pixdim[2]), Math.abs(pixdim[3]) * qfac};
            for (int r = 0; r < 3; r++) {
                for (int col = 0; col < 3; col++) {
                    a[r][col] = rot[r][col] * step[col];
                }
                a[r][3] = qoffset[r];
            }
        } else {
            long[] size = spatialSize();
            for (int r = 0; r < 3; r++) {
                double step = Math.abs(pixdim[r + 1]) > 0 ? Math.abs(pixdim[r + 1]) : 1;
                a[r][r] = r == 0 ? -step : step;
                a[r][3] = -a[r][r] * (size[r] - 1) / 2.0;
            }
        }
        double mm = millimetresPerUnit();
        for (double[] row : a) {
            for (int c = 0; c < 4; c++) {
                row[c] *= mm;
            }
        }
        return a;
    }

    /** The LPS geometry of the affine; 2D when the image is a single axial plane, else 3D. */
    Geometry geometry(Path file, boolean planar) throws ImageFormatException {
        double[][] a = affine();
        int n = planar ? 2 : 3;
        double[] spacing = new double[n];
        double[] origin = new double[n];
        double[] direction = new double[n * n];
        for (int c = 0; c < n; c++) {
            double norm = Math.sqrt(a[0][c] * a[0][c] + a[1][c] * a[1][c] + a[2][c] * a[2][c]);
            if (!(norm > 0)) {
                throw new ImageFormatException(file, "the voxel-to-world transform has a zero column " + c);
            }
            spacing[c] = norm;
            for (int r = 0; r < n; r++) {
                direction[r * n + c] = lps(r) * a[r][c] / norm;
            }
        }
        for (int r = 0; r < n; r++) {
            origin[r] = lps(r) * a[r][3];
        }
        try {
            return new Geometry(spacing, origin, direction);
        } catch (IllegalArgumentException e) {
            throw new ImageFormatException(file, (sformCode > 0 ? "sform" : "qform") + " cannot be represented: "
                    + e.getMessage() + " (sheared transforms are not supported)");
        }
    }

    /** Whether the affine keeps z out of the in-plane axes, so a single slice is a plain 2D image. */
    boolean inPlaneAxesAreAxial() {
        double[][] a = affine();
        return a[2][0] == 0 && a[2][1] == 0 && a[0][2] == 0 && a[1][2] == 0 && a[2][3] == 0;
    }

    /** Sets sform and qform (both "scanner anatomical") and pixdim from an LPS geometry. */
    void setGeometry(Geometry g) {
        int n = g.dimensions();
        double[] s = g.spacing();
        double[] o = g.origin();
        double[] d = g.direction();
        double[][] rot = new double[3][3];
        double[] step = {s[0], s[1], n == 3 ? s[2] : 1};
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                double v = r < n && c < n ? d[r * n + c] : r == c ? 1 : 0;
                rot[r][c] = lps(r) * v;
                srow[r][c] = rot[r][c] * step[c];
            }
            srow[r][3] = r < n ? lps(r) * o[r] : 0;
            qoffset[r] = srow[r][3];
        }
        double det = rot[0][0] * (rot[1][1] * rot[2][2] - rot[1][2] * rot[2][1])
                - rot[0][1] * (rot[1][0] * rot[2][2] - rot[1][2] * rot[2][0])
                + rot[0][2] * (rot[1][0] * rot[2][1] - rot[1][1] * rot[2][0]);
        double qfac = det < 0 ? -1 : 1;
        for (int r = 0; r < 3; r++) {
            rot[r][2] *= qfac;
        }
        quatern = quaternion(rot);
        pixdim[0] = qfac;
        for (int i = 0; i < 3; i++) {
            pixdim[i + 1] = step[i];
        }
        qformCode = XFORM_SCANNER_ANAT;
        sformCode = XFORM_SCANNER_ANAT;
        xyztUnits = 2; // millimetres
    }

    /** (b, c, d) of a proper rotation matrix, with a ≥ 0, following the NIfTI reference implementation. */
    private static double[] quaternion(double[][] r) {
        double trace = r[0][0] + r[1][1] + r[2][2] + 1;
        double a;
        double b;
        double c;
        double d;
        if (trace > 0.5) {
            a = 0.5 * Math.sqrt(trace);
            b = 0.25 * (r[2][1] - r[1][2]) / a;
            c = 0.25 * (r[0][2] - r[2][0]) / a;
            d = 0.25 * (r[1][0] - r[0][1]) / a;
        } else {
            double xd = 1 + r[0][0] - (r[1][1] + r[2][2]);
            double yd = 1 + r[1][1] - (r[0][0] + r[2][2]);
            double zd = 1 + r[2][2] - (r[0][0] + r[1][1]);
            if (xd > 1) {
                b = 0.5 * Math.sqrt(xd);
                c = 0.25 * (r[0][1] + r[1][0]) / b;
                d = 0.25 * (r[0][2] + r[2][0]) / b;
                a = 0.25 * (r[2][1] - r[1][2]) / b;
            } else if (yd > 1) {
                c = 0.5 * Math.sqrt(yd);
                b = 0.25 * (r[0][1] + r[1][0]) / c;
                d = 0.25 * (r[1][2] + r[2][1]) / c;
                a = 0.25 * (r[0][2] - r[2][0]) / c;
            } else {
                d = 0.5 * Math.sqrt(zd);
                b = 0.25 * (r[0][2] + r[2][0]) / d;
                c = 0.25 * (r[1][2] + r[2][1]) / d;
                a = 0.25 * (r[1][0] - r[0][1]) / d;
            }
            if (a < 0) {
                b = -b;
                c = -c;
                d = -d;
            }
        }
        return new double[] {b, c, d};
    }

    /** Serialises the header (little-endian) followed by the 4-byte extension flag. */
    byte[] toBytes(boolean hasExtension) {
        ByteBuffer b = ByteBuffer.allocate(headerSize() + 4).order(ByteOrder.LITTLE_ENDIAN);
        byte[] text = Arrays.copyOf(descrip.getBytes(StandardCharsets.US_ASCII), 79);
        if (version == 1) {
            b.putInt(0, NIFTI1_SIZE);
            b.put(38, (byte) 'r');
            for (int i = 0; i < 8; i++) {
                b.putShort(40 + 2 * i, (short) dim[i]);
                b.putFloat(76 + 4 * i, (float) pixdim[i]);
            }
            b.putShort(70, (short) dataType.code);
            b.putShort(72, (short) (dataType.bytes * 8));
            b.putFloat(108, voxOffset);
            b.putFloat(112, (float) sclSlope);
            b.putFloat(116, (float) sclInter);
            b.put(123, (byte) xyztUnits);
            b.put(148, text);
            b.putShort(252, (short) qformCode);
            b.putShort(254, (short) sformCode);
            for (int i = 0; i < 3; i++) {
                b.putFloat(256 + 4 * i, (float) quatern[i]);
                b.putFloat(268 + 4 * i, (float) qoffset[i]);
                for (int c = 0; c < 4; c++) {
                    b.putFloat(280 + 16 * i + 4 * c, (float) srow[i][c]);
                }
            }
            b.put(344, new byte[] {'n', '+', '1', 0});
        } else {
            b.putInt(0, NIFTI2_SIZE);
            b.put(4, NIFTI2_MAGIC);
            b.putShort(12, (short) dataType.code);
            b.putShort(14, (short) (dataType.bytes * 8));
            for (int i = 0; i < 8; i++) {
                b.putLong(16 + 8 * i, dim[i]);
                b.putDouble(104 + 8 * i, pixdim[i]);
            }
            b.putLong(168, voxOffset);
            b.putDouble(176, sclSlope);
            b.putDouble(184, sclInter);
            b.put(240, text);
            b.putInt(344, qformCode);
            b.putInt(348, sformCode);
            for (int i = 0; i < 3; i++) {
                b.putDouble(352 + 8 * i, quatern[i]);
                b.putDouble(376 + 8 * i, qoffset[i]);
                for (int c = 0; c < 4; c++) {
                    b.putDouble(400 + 32 * i + 8 * c, srow[i][c]);
                }
            }
            b.putInt(500, xyztUnits);
        }
        b.put(headerSize(), (byte) (hasExtension ? 1 : 0));
        return b.array();
    }

    private static int lps(int axis) {
        return axis < 2 ? -1 : 1;
    }

    private static byte[] bytes(ByteBuffer b, int offset, int length) {
        byte[] out = new byte[length];
        b.get(offset, out);
        return out;
    }

    private static String text(byte[] raw) {
        int end = 0;
        while (end < raw.length && raw[end] != 0) {
            end++;
        }
        return new String(raw, 0, end, StandardCharsets.ISO_8859_1).strip();
    }
}
