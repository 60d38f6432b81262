package org.medsynth.io.imagej.internal;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import ij.ImagePlus;
import ij.io.FileInfo;
import ij.io.FileOpener;
import ij.io.FileSaver;
import ij.io.Opener;
import ij.io.TiffDecoder;
import ij.io.TiffEncoder;

import org.medsynth.core.api.ImageFormat;
import org.medsynth.core.api.ImageFormatException;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.jobs.AtomicFiles;
import org.medsynth.io.imagej.ImagePlusImages;

/**
 * TIFF through ImageJ 1's decoder and encoder. Before ImageJ reads any pixels, the strips (or, uncompressed, the
 * contiguous planes) the directories declare are checked against the file's length, because ImageJ fills what is
 * missing with zeros and carries on. Writing produces an ImageJ TIFF: calibration and hyperstack layout in the
 * ImageJ description, MedSynth's metadata in the Info property.
 */
public final class TiffFormat implements ImageFormat {
    /** Upper bound on the pixel bytes of one image, settable for machines with more or less memory. */
    private static final long MAX_IMAGE_BYTES = Long.getLong("medsynth.io.maxImageBytes", 8L << 30);

    @Override
    public MedicalImage<?> read(Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        TiffStructure.check(file);
        FileInfo[] pages;
        try {
            pages = new TiffDecoder(dir.toString() + File.separator, absolute.getFileName().toString())
                    .getTiffInfo();
        } catch (IOException | RuntimeException e) {
            throw new ImageFormatException(file, "not a readable TIFF: " + e.getMessage(), e);
        }
        if (pages == null || pages.length == 0) {
            throw new ImageFormatException(file, "TIFF has no image directory");
        }
        checkExtents(file, pages, Files.size(file));
        for (int p = 1; p < pages.length; p++) {
            if (pages[p].width != pages[0].width || pages[p].height != pages[0].height
                    || pages[p].fileType != pages[0].fileType) {
                throw new ImageFormatException(file, "page " + p + " (" + describe(pages[p]) + ") differs from page 0 ("
                        + describe(pages[0]) + "); the pages of a TIFF are read as the slices of one volume");
            }
        }
        ImagePlus imp;
        try {
            imp = pages.length == 1 ? new FileOpener(pages[0]).openImage() : new Opener().openTiffStack(pages);
        } catch (RuntimeException e) {
            throw new ImageFormatException(file, "TIFF cannot be decoded: " + e, e);
        }
        if (imp == null) {
            throw new ImageFormatException(file, "ImageJ cannot decode this TIFF (" + describe(pages[0]) + ")");
        }
        try {
            return ImagePlusImages.toMedicalImage(imp);
        } catch (IllegalArgumentException e) {
            throw new ImageFormatException(file, e.getMessage(), e);
        }
    }

    /** Every plane must lie inside the file, and the whole image inside the memory bound. */
    private static void checkExtents(Path file, FileInfo[] pages, long fileLength) throws ImageFormatException {
        long totalBytes = 0;
        for (int p = 0; p < pages.length; p++) {
            FileInfo fi = pages[p];
            if (fi.width <= 0 || fi.height <= 0 || (long) fi.width * fi.height > Integer.MAX_VALUE - 8) {
                throw new ImageFormatException(file, "page " + p + " declares " + fi.width + "x" + fi.height
                        + " pixels, which ImageJ cannot hold in one plane");
            }
            long planeBytes = (long) fi.width * fi.height * Math.max(1, fi.getBytesPerPixel());
            int images = Math.max(1, fi.nImages);
            totalBytes += planeBytes * images;
            long end;
            if (fi.compression <= FileInfo.COMPRESSION_NONE || fi.stripOffsets == null) {
                end = fi.getOffset() + images * planeBytes + (images - 1L) * fi.gapBetweenImages;
            } else {
                end = 0;
                for (int s = 0; s < fi.stripOffsets.length; s++) {
                    long length = fi.stripLengths != null && s < fi.stripLengths.length ? fi.stripLengths[s] : 0;
                    end = Math.max(end, (fi.stripOffsets[s] & 0xffffffffL) + length);
                }
            }
            if (end > fileLength) {
                throw new ImageFormatException(file, "TIFF is truncated: page " + p + " (" + describe(fi)
                        + ") needs " + end + " bytes but the file has " + fileLength);
            }
        }
        if (totalBytes > MAX_IMAGE_BYTES) {
            throw new ImageFormatException(file, "image of " + totalBytes + " bytes exceeds medsynth.io.maxImageBytes="
                    + MAX_IMAGE_BYTES);
        }
    }

    private static String describe(FileInfo fi) {
        return fi.width + "x" + fi.height + (fi.nImages > 1 ? "x" + fi.nImages : "") + ", " + 8 * fi.getBytesPerPixel() + "-bit"
                + ", compression " + fi.compression;
    }

    @Override
    public void write(MedicalImage<?> image, Path file) throws IOException {
        if (image.geometry().dimensions() > 3) {
            throw new ImageFormatException(file, "TIFF holds 2D and 3D images; this image is "
                    + image.geometry().dimensions() + "D");
        }
        ImagePlus imp;
        try {
            imp = ImagePlusImages.toImagePlus(image, file.getFileName().toString());
        } catch (IllegalArgumentException e) {
            throw new ImageFormatException(file, e.getMessage(), e);
        }
        FileInfo fi = imp.getFileInfo();
        fi.description = new FileSaver(imp).getDescriptionString();
        fi.info = imp.getInfoProperty();
        if (imp.getStackSize() > 1) {
            fi.sliceLabels = imp.getStack().getSliceLabels();
        }
        // ImageJ writes classic TIFF, so the file is built in memory (under 4 GiB) and then appears whole
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new TiffEncoder(fi).write(bytes);
        AtomicFiles.write(file, bytes.toByteArray());
    }
}
