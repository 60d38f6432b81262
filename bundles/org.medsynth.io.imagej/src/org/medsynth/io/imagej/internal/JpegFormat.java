package org.medsynth.io.imagej.internal;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.imageio.ImageIO;

import ij.ImagePlus;
import ij.io.Opener;
import ij.measure.Calibration;
import ij.plugin.JpegWriter;
import ij.process.ByteProcessor;

import net.imglib2.Cursor;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.view.Views;

import org.medsynth.core.api.ImageFormat;
import org.medsynth.core.api.ImageFormatException;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.jobs.AtomicFiles;
import org.medsynth.io.imagej.ImagePlusImages;

/**
 * Lossy 8-bit grey JPEG, encoded by ImageJ's {@link JpegWriter} (quality 100, no chroma subsampling applies to grey)
 * and decoded as ImageJ opens JPEGs (ImageIO, then grey colour JPEGs to 8-bit). Values are mapped linearly from the
 * image's min..max onto 0..255 (8-bit images are written as they are); the mapping and MedSynth's metadata go into
 * a JPEG comment (COM segment) of {@code medsynth.*} lines, which ImageJ does not write itself.
 */
public final class JpegFormat implements ImageFormat {
    private static final int QUALITY = 100;
    private static final int SOI = 0xd8;
    private static final int EOI = 0xd9;
    private static final int SOS = 0xda;
    private static final int COM = 0xfe;
    private static final int MAX_SEGMENT = 65533;

    @Override
    public MedicalImage<?> read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < 4 || (bytes[0] & 0xff) != 0xff || (bytes[1] & 0xff) != SOI) {
            throw new ImageFormatException(file, "not a JPEG file (no start-of-image marker)");
        }
        Segments segments = Segments.scan(file, bytes);
        BufferedImage decoded;
        try {
            decoded = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            throw new ImageFormatException(file, "JPEG cannot be decoded: " + e.getMessage(), e);
        }
        if (decoded == null) {
            throw new ImageFormatException(file, "JPEG cannot be decoded (no ImageIO reader accepts it)");
        }
        ImagePlus imp = new ImagePlus(file.getFileName().toString(), decoded);
        if (imp.getType() == ImagePlus.COLOR_RGB) {
            Opener.convertGrayJpegTo8Bits(imp);
        }
        Map<String, String> info = InfoLines.parse(segments.comment);
        if (info.containsKey(InfoLines.SPACING)) {
            double[] spacing = numbers(file, info, InfoLines.SPACING);
            Calibration cal = imp.getCalibration();
            cal.setUnit("mm");
            cal.pixelWidth = spacing[0];
            cal.pixelHeight = spacing.length > 1 ? spacing[1] : spacing[0];
        }
        imp.setProperty(ImagePlusImages.INFO, segments.comment);
        MedicalImage<?> image;
        try {
            image = ImagePlusImages.toMedicalImage(imp);
        } catch (IllegalArgumentException e) {
            throw new ImageFormatException(file, e.getMessage(), e);
        }
        if (!info.containsKey(InfoLines.VALUE_OFFSET) || !info.containsKey(InfoLines.VALUE_SCALE)) {
            return image;
        }
        double offset = numbers(file, info, InfoLines.VALUE_OFFSET)[0];
        double scale = numbers(file, info, InfoLines.VALUE_SCALE)[0];
        byte[] grey = (byte[]) imp.getProcessor().getPixels();
        float[] values = new float[grey.length];
        for (int i = 0; i < grey.length; i++) {
            values[i] = (float) (offset + scale * (grey[i] & 0xff));
        }
        return new MedicalImage<>(ArrayImgs.floats(values, imp.getWidth(), imp.getHeight()), image.geometry(),
                image.modality(), image.unit(), image.channelLabels(), image.provenance());
    }

    private static double[] numbers(Path file, Map<String, String> info, String key) throws ImageFormatException {
        try {
            return InfoLines.numbers(info, key);
        } catch (IllegalArgumentException e) {
            throw new ImageFormatException(file, "JPEG comment: " + e.getMessage());
        }
    }

    /** The concatenated comments before the scan; scanning fails on a file cut short. */
    private record Segments(String comment) {
        static Segments scan(Path file, byte[] b) throws ImageFormatException {
            ByteArrayOutputStream comment = new ByteArrayOutputStream();
            int pos = 2;
            while (pos + 4 <= b.length && (b[pos] & 0xff) == 0xff && (b[pos + 1] & 0xff) != SOS) {
                int length = ((b[pos + 2] & 0xff) << 8) | (b[pos + 3] & 0xff);
                if (length < 2 || pos + 2 + length > b.length) {
                    throw new ImageFormatException(file, "JPEG is truncated or corrupt: segment at byte " + pos
                            + " declares " + length + " bytes, beyond the file's " + b.length);
                }
                if ((b[pos + 1] & 0xff) == COM) {
                    comment.write(b, pos + 4, length - 2);
                }
                pos += 2 + length;
            }
            if (pos + 4 > b.length || (b[pos + 1] & 0xff) != SOS) {
                throw new ImageFormatException(file, "JPEG is truncated or corrupt: no image scan found");
            }
            // the entropy-coded scan escapes 0xFF as FF 00, so FF D9 after the scan start is the end-of-image marker
            boolean ended = false;
            for (int i = b.length - 2; i > pos && !ended; i--) {
                ended = (b[i] & 0xff) == 0xff && (b[i + 1] & 0xff) == EOI;
            }
            if (!ended) {
                throw new ImageFormatException(file, "JPEG is truncated: the image scan has no end-of-image marker");
            }
            return new Segments(comment.toString(StandardCharsets.UTF_8));
        }
    }

    @Override
    public void write(MedicalImage<?> image, Path file) throws IOException {
        if (image.geometry().dimensions() != 2 || image.channels() != 1) {
            throw new ImageFormatException(file, "JPEG holds one 2D grey image; this image is "
                    + image.geometry().dimensions() + "D with " + image.channels() + " channel(s) (use .tif)");
        }
        int width = Math.toIntExact(image.dimensions()[0]);
        int height = Math.toIntExact(image.dimensions()[1]);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (RealType<?> t : Views.flatIterable(image.pixels())) {
            double v = t.getRealDouble();
            if (!Double.isFinite(v)) {
                throw new ImageFormatException(file, "image contains NaN or infinite values, which JPEG cannot store");
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        boolean asIs = image.pixels().firstElement() instanceof UnsignedByteType;
        double offset = asIs ? 0 : min;
        double scale = asIs || max == min ? 1 : (max - min) / 255.0;
        byte[] grey = new byte[width * height];
        Cursor<? extends RealType<?>> cursor = Views.flatIterable(image.pixels()).cursor();
        for (int i = 0; i < grey.length; i++) {
            grey[i] = (byte) Math.round((cursor.next().getRealDouble() - offset) / scale);
        }
        ImagePlus imp = new ImagePlus(file.getFileName().toString(), new ByteProcessor(width, height, grey));
        Map<String, String> mapping = new LinkedHashMap<>(); // in a fixed order, so equal images give equal files
        if (!asIs) {
            mapping.put(InfoLines.VALUE_OFFSET, Double.toString(offset));
            mapping.put(InfoLines.VALUE_SCALE, Double.toString(scale));
        }
        String comment = ImagePlusImages.info(image, mapping);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path encoded = Files.createTempFile(dir, "." + file.getFileName(), ".jpg");
        try {
            String error = JpegWriter.save(imp, encoded.toString(), QUALITY);
            if (error != null) {
                throw new ImageFormatException(file, "ImageJ's JPEG writer failed: " + error);
            }
            AtomicFiles.write(file, withComment(Files.readAllBytes(encoded), comment));
        } finally {
            Files.deleteIfExists(encoded);
        }
    }

    /** The JPEG with COM segments holding the text, placed after SOI and the APPn segments that must lead. */
    private static byte[] withComment(byte[] jpeg, String text) {
        int pos = 2;
        while (pos + 4 <= jpeg.length && (jpeg[pos] & 0xff) == 0xff && (jpeg[pos + 1] & 0xf0) == 0xe0) {
            pos += 2 + (((jpeg[pos + 2] & 0xff) << 8) | (jpeg[pos + 3] & 0xff));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length + text.length() + 64);
        out.write(jpeg, 0, pos);
        byte[] content = text.getBytes(StandardCharsets.UTF_8);
        for (int start = 0; start < content.length; start += MAX_SEGMENT) {
            int n = Math.min(MAX_SEGMENT, content.length - start);
            out.write(0xff);
            out.write(COM);
            out.write((n + 2) >> 8);
            out.write((n + 2) & 0xff);
            out.write(content, start, n);
        }
        out.write(jpeg, pos, jpeg.length - pos);
        return out.toByteArray();
    }
}
