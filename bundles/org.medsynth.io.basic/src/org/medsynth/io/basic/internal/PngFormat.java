package org.medsynth.io.basic.internal;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

import net.imglib2.Cursor;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.RealType;
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
 * 2D grey PNG. Written 16-bit with the image's min..max mapped linearly onto 0..65535; the mapping, spacing,
 * modality, unit and provenance go into international text chunks (iTXt), and synthetic images carry the
 * {@code Description} "SYNTHETIC ..." that any PNG viewer shows. Reading restores values through the stored mapping
 * when present (to within one 16-bit step), else returns the stored grey levels.
 */
public final class PngFormat implements ImageFormat {
    private static final String METADATA_FORMAT = "javax_imageio_png_1.0";
    private static final String KEY_OFFSET = "medsynth:value-offset";
    private static final String KEY_SCALE = "medsynth:value-scale";
    private static final String KEY_SPACING = "medsynth:spacing";
    private static final String KEY_MODALITY = "medsynth:modality";
    private static final String KEY_UNIT = "medsynth:unit";
    private static final String KEY_PROVENANCE = "medsynth:provenance";

    @Override
    public MedicalImage<?> read(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(Files.newInputStream(file))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageFormatException(file, "not a PNG image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, false);
                BufferedImage image = reader.read(0);
                Map<String, String> text = textChunks(reader.getImageMetadata(0));
                return toMedicalImage(file, image, text);
            } catch (IOException | RuntimeException e) {
                throw new ImageFormatException(file, "PNG cannot be decoded: " + e.getMessage(), e);
            } finally {
                reader.dispose();
            }
        }
    }

    private static MedicalImage<?> toMedicalImage(Path file, BufferedImage image, Map<String, String> text)
            throws ImageFormatException {
        Raster raster = image.getRaster();
        if (raster.getNumBands() != 1) {
            throw new ImageFormatException(file, "PNG has " + raster.getNumBands()
                    + " bands; only grey PNGs are read as medical images");
        }
        int w = raster.getWidth();
        int h = raster.getHeight();
        double offset = number(file, text, KEY_OFFSET, 0);
        double scale = number(file, text, KEY_SCALE, 1);
        float[] data = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                data[y * w + x] = (float) (offset + scale * raster.getSample(x, y, 0));
            }
        }
        double[] spacing = {1, 1};
        if (text.containsKey(KEY_SPACING)) {
            String[] parts = text.get(KEY_SPACING).trim().split("\\s+");
            try {
                spacing = new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1])};
            } catch (RuntimeException e) {
                throw new ImageFormatException(file, KEY_SPACING + " '" + text.get(KEY_SPACING) + "' is not two numbers");
            }
        }
        Geometry geometry;
        try {
            geometry = Geometry.of(spacing);
        } catch (IllegalArgumentException e) {
            throw new ImageFormatException(file, "invalid spacing: " + e.getMessage());
        }
        Modality modality = text.containsKey(KEY_MODALITY) ? Modality.fromCode(text.get(KEY_MODALITY)) : Modality.OT;
        IntensityUnit unit = text.containsKey(KEY_UNIT) ? IntensityUnit.fromSymbol(text.get(KEY_UNIT)) : IntensityUnit.ARBITRARY;
        Provenance provenance = text.containsKey(KEY_PROVENANCE) ? Provenance.fromJson(text.get(KEY_PROVENANCE))
                : Provenance.acquired();
        ArrayImg<FloatType, FloatArray> pixels = ArrayImgs.floats(data, w, h);
        return new MedicalImage<>(pixels, geometry, modality, unit, java.util.List.of(), provenance);
    }

    @Override
    public void write(MedicalImage<?> image, Path file) throws IOException {
        if (image.geometry().dimensions() != 2 || image.channels() != 1) {
            throw new ImageFormatException(file, "PNG holds one 2D grey image; this image is "
                    + image.geometry().dimensions() + "D with " + image.channels() + " channel(s) (use .mha)");
        }
        long[] dims = image.dimensions();
        int w = Math.toIntExact(dims[0]);
        int h = Math.toIntExact(dims[1]);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (RealType<?> t : Views.flatIterable(image.pixels())) {
            double v = t.getRealDouble();
            if (!Double.isFinite(v)) {
                throw new ImageFormatException(file, "image contains NaN or infinite values, which PNG cannot store");
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double scale = max > min ? (max - min) / 65535.0 : 1;
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster raster = out.getRaster();
        Cursor<? extends RealType<?>> cursor = Views.flatIterable(image.pixels()).cursor();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                raster.setSample(x, y, 0, (int) Math.round((cursor.next().getRealDouble() - min) / scale));
            }
        }
        Map<String, String> text = new java.util.LinkedHashMap<>();
        text.put("Software", "MedSynth " + image.provenance().softwareVersion());
        text.put("Description", image.provenance().summary());
        text.put(KEY_OFFSET, Double.toString(min));
        text.put(KEY_SCALE, Double.toString(scale));
        text.put(KEY_SPACING, image.geometry().spacing(0) + " " + image.geometry().spacing(1));
        text.put(KEY_MODALITY, image.modality().dicomCode());
        text.put(KEY_UNIT, image.unit().symbol());
        if (image.isSynthetic()) {
            text.put(KEY_PROVENANCE, image.provenance().toJson());
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(Files.newOutputStream(file))) {
            IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(out), null);
            addText(metadata, text);
            writer.setOutput(ios);
            writer.write(new IIOImage(out, null, metadata));
        } finally {
            writer.dispose();
        }
    }

    private static void addText(IIOMetadata metadata, Map<String, String> text) throws IIOInvalidTreeException {
        IIOMetadataNode itxt = new IIOMetadataNode("iTXt");
        text.forEach((k, v) -> {
            IIOMetadataNode entry = new IIOMetadataNode("iTXtEntry");
            entry.setAttribute("keyword", k);
            entry.setAttribute("compressionFlag", "FALSE");
            entry.setAttribute("compressionMethod", "0");
            entry.setAttribute("languageTag", "");
            entry.setAttribute("translatedKeyword", "");
            entry.setAttribute("text", v);
            itxt.appendChild(entry);
        });
        IIOMetadataNode root = new IIOMetadataNode(METADATA_FORMAT);
        root.appendChild(itxt);
        metadata.mergeTree(METADATA_FORMAT, root);
    }

    private static Map<String, String> textChunks(IIOMetadata metadata) {
        Map<String, String> text = new HashMap<>();
        if (metadata == null) {
            return text;
        }
        org.w3c.dom.Node root = metadata.getAsTree(METADATA_FORMAT);
        for (org.w3c.dom.Node chunk = root.getFirstChild(); chunk != null; chunk = chunk.getNextSibling()) {
            String name = chunk.getNodeName();
            if (!name.equals("iTXt") && !name.equals("tEXt")) {
                continue;
            }
            for (org.w3c.dom.Node e = chunk.getFirstChild(); e != null; e = e.getNextSibling()) {
                IIOMetadataNode entry = (IIOMetadataNode) e;
                text.put(entry.getAttribute("keyword"), name.equals("iTXt") ? entry.getAttribute("text")
                        : entry.getAttribute("value"));
            }
        }
        return text;
    }

    private static double number(Path file, Map<String, String> text, String key, double fallback)
            throws ImageFormatException {
        if (!text.containsKey(key)) {
            return fallback;
        }
        try {
            return Double.parseDouble(text.get(key));
        } catch (NumberFormatException e) {
            throw new ImageFormatException(file, key + " '" + text.get(key) + "' is not a number");
        }
    }
}
