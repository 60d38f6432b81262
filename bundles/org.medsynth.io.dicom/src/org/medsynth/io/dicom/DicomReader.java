package org.medsynth.io.dicom;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.medsynth.core.api.ImageFormatException;
import org.medsynth.io.dicom.internal.VolumeAssembler;

/**
 * Reads DICOM objects and series into images with LPS geometry and physical units. Every problem with the input
 * is an {@link ImageFormatException} naming the file; nothing is allocated beyond what the file can hold or the
 * {@code medsynth.dicom.maxVoxels} cap (default 2^30).
 */
public final class DicomReader {
    private DicomReader() {
    }

    /** One file: a single frame (a 3D image one slice deep when it has a position) or all frames of a multi-frame object. */
    public static DicomVolume read(Path file) throws ImageFormatException {
        return VolumeAssembler.readFile(file);
    }

    /** The files of one series, as one volume sorted along the slice normal; files of another series are an error. */
    public static DicomVolume readSeries(List<Path> files) throws ImageFormatException {
        return VolumeAssembler.readSeries(files);
    }

    /**
     * Every series in a folder (not its subfolders): files grouped by Series Instance UID and Frame of Reference UID
     * (and image size, so a localizer does not spoil a series), each group read as one volume. Hidden files and
     * files that are not DICOM are skipped only when they lack the DICOM preamble; a damaged DICOM file is an error.
     */
    public static List<DicomVolume> readFolder(Path folder) throws IOException {
        return VolumeAssembler.readAllSeries(dicomFiles(folder));
    }

    /**
     * Describes every series in a folder as {@link #readFolder} would read it (same grouping, file order, unit and
     * warnings) from the file headers only: no pixel is decoded, so a folder of hundreds of series is described in
     * the time it takes to parse their headers. Every check that needs no pixels is made, with the same messages
     * as the full read (mixed or duplicate slices, orientation, spacing, SUV tags, the declared size against the
     * cap); a file whose pixels cannot be decoded is reported only when it is read.
     *
     * @throws ImageFormatException naming the file, for any problem its header shows
     */
    public static List<DicomSeriesInfo> scanFolder(Path folder) throws IOException {
        return VolumeAssembler.scanAllSeries(dicomFiles(folder));
    }

    /** Regular, non-hidden files of a folder that start like DICOM (the "DICM" preamble) or end in .dcm, by name. */
    public static List<Path> dicomFiles(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new ImageFormatException(folder, "is not a folder");
        }
        try (Stream<Path> s = Files.list(folder)) {
            List<Path> files = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(DicomReader::looksLikeDicom).sorted().toList();
            if (files.isEmpty()) {
                throw new ImageFormatException(folder, "holds no DICOM files");
            }
            return files;
        }
    }

    private static boolean looksLikeDicom(Path file) {
        if (file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".dcm")) {
            return true;
        }
        try (var in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(132);
            return head.length == 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M';
        } catch (IOException e) {
            return false;
        }
    }
}
