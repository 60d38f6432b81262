package org.medsynth.app.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import net.imglib2.type.numeric.RealType;

import org.eclipse.core.runtime.CoreException;
import org.medsynth.core.api.Contribution;
import org.medsynth.core.api.DatasetAdapter.DatasetCase;
import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.registry.ImageFormats;
import org.medsynth.data.dataset.Dataset;

/**
 * {@code medsynth convert IN OUT} and {@code medsynth info FILE}. Both go through the format registry only, so every
 * installed format takes part; a folder holding one DICOM series is read as that series' volume. What a conversion loses is found by reading the written file back with its own
 * format and comparing it with the source, which holds for any format without knowing its limits in advance.
 */
final class ImageCommands {
    /** Geometry values closer than this (mm, or cosine) count as kept; formats store them as 32-bit floats. */
    private static final double GEOMETRY_TOLERANCE = 1e-3;
    /** The dataset layout that finds the DICOM series below a folder. */
    private static final String DICOM_TREE = "adapter.dicom-tree";

    private final PrintStream out;
    private final ImageFormats formats = ImageFormats.get();

    ImageCommands(PrintStream out) {
        this.out = out;
    }

    /** Whether some installed format reads files named like this. */
    boolean readable(String fileName) {
        return formats.forFile(Path.of(fileName), false).isPresent();
    }

    int info(Path file) throws IOException {
        MedicalImage<?> image = read(file);
        out.println(file);
        if (Files.isDirectory(file)) {
            out.println("  format:      DICOM series folder [" + DICOM_TREE + "]");
        } else {
            Contribution format = formats.forFile(file, false).orElseThrow();
            out.println("  format:      " + format.name() + " [" + format.id() + "]");
        }
        describe(image);
        return Cli.OK;
    }

    private void describe(MedicalImage<?> image) {
        Geometry g = image.geometry();
        long[] dims = image.dimensions();
        out.println("  dimensions:  " + join(Arrays.copyOf(dims, g.dimensions())) + (image.channels() > 1
                ? " x " + image.channels() + " channels (" + String.join(", ", image.channelLabels()) + ")" : ""));
        out.println("  pixel type:  " + image.pixels().firstElement().getClass().getSimpleName());
        out.println("  spacing:     " + join(g.spacing()) + " mm");
        out.println("  origin:      " + join(g.origin()) + " mm (LPS, centre of the first pixel)");
        out.println("  direction:   " + join(g.direction()) + " (row-major, columns are the pixel axes in LPS)");
        out.println("  orientation: " + orientation(g) + " (the patient direction each pixel axis points to)");
        out.println("  modality:    " + image.modality().dicomCode() + " (" + image.modality().description() + ")");
        out.println("  unit:        " + image.unit().symbol() + " (" + image.unit().description() + ")");
        double[] range = range(image);
        out.println("  values:      " + number(range[0]) + " .. " + number(range[1]));
        out.println("  provenance:  " + image.provenance().summary());
    }

    int convert(Path in, Path target) throws IOException {
        MedicalImage<?> source = read(in);
        if (formats.forFile(target, true).isEmpty()) {
            throw new UsageException("no installed format writes '" + target.getFileName() + "' (writable: "
                    + String.join(", ", formats.knownExtensions(true)) + ")");
        }
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path staging = Files.createTempDirectory(dir, ".medsynth-convert-");
        try {
            Path staged = staging.resolve(target.getFileName());
            try {
                formats.write(source, staged);
            } catch (CoreException e) {
                throw new IOException(target + ": the format failed: " + e.getStatus().getMessage(), e);
            }
            MedicalImage<?> written = read(staged);
            List<String> dropped = differences(source, written);
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            out.println("wrote " + target);
            dropped.forEach(line -> out.println("  dropped: " + line));
            if (dropped.isEmpty()) {
                out.println("  kept: pixels, geometry, modality, unit and provenance");
            }
            return Cli.OK;
        } finally {
            deleteTree(staging);
        }
    }

    /** An image file through its format, or a folder holding one DICOM series as that series' volume. */
    private MedicalImage<?> read(Path file) throws IOException {
        try {
            return Files.isDirectory(file) ? readSeriesFolder(file) : formats.read(file);
        } catch (CoreException e) {
            throw new IOException(file + ": the format failed: " + e.getStatus().getMessage(), e);
        }
    }

    private static MedicalImage<?> readSeriesFolder(Path folder) throws IOException, CoreException {
        Dataset dataset = Dataset.open(DICOM_TREE, folder, Map.of());
        List<DatasetCase> series = dataset.cases();
        if (series.isEmpty()) {
            throw new IOException(folder + " is a folder without a DICOM series; give an image file or a series folder");
        }
        if (series.size() > 1) {
            throw new IOException(folder + " holds " + series.size() + " DICOM series ("
                    + String.join(", ", series.stream().limit(5).map(DatasetCase::id).toList())
                    + (series.size() > 5 ? ", ..." : "") + "); give the folder of one series");
        }
        return dataset.read(series.get(0), Dataset.SERIES);
    }

    /** One line per attribute the written file does not hold as the source had it. */
    private static List<String> differences(MedicalImage<?> source, MedicalImage<?> written) {
        List<String> lines = new ArrayList<>();
        Geometry a = source.geometry();
        Geometry b = written.geometry();
        if (!Arrays.equals(source.dimensions(), written.dimensions())) {
            lines.add("shape " + join(source.dimensions()) + " is stored as " + join(written.dimensions()));
        }
        if (a.dimensions() == b.dimensions()) {
            compare(lines, "spacing", a.spacing(), b.spacing(), "mm");
            compare(lines, "origin", a.origin(), b.origin(), "mm");
            compare(lines, "direction", a.direction(), b.direction(), "");
        } else {
            lines.add("geometry " + a.dimensions() + "D is stored as " + b.dimensions() + "D");
        }
        if (source.modality() != written.modality()) {
            lines.add("modality " + source.modality().dicomCode() + " (reads back as " + written.modality().dicomCode()
                    + ")");
        }
        if (source.unit() != written.unit()) {
            lines.add("unit " + source.unit().symbol() + " (reads back as " + written.unit().symbol() + ")");
        }
        if (!source.channelLabels().equals(written.channelLabels())) {
            lines.add("channel labels " + source.channelLabels() + " (reads back as " + written.channelLabels() + ")");
        }
        if (!source.provenance().equals(written.provenance())) {
            lines.add(source.isSynthetic() && !written.isSynthetic()
                    ? "provenance: the target format does not keep the synthetic mark and how the image was made"
                    : "provenance details (reads back as: " + written.provenance().summary() + ")");
        }
        Class<?> sourceType = source.pixels().firstElement().getClass();
        Class<?> writtenType = written.pixels().firstElement().getClass();
        if (!sourceType.equals(writtenType)) {
            lines.add("pixel type " + sourceType.getSimpleName() + " (stored as " + writtenType.getSimpleName() + ")");
        }
        if (Arrays.equals(source.dimensions(), written.dimensions())) {
            intensityMapping(source, written).ifPresent(lines::add);
        }
        return lines;
    }

    private static void compare(List<String> lines, String what, double[] a, double[] b, String unit) {
        for (int i = 0; i < a.length; i++) {
            if (Math.abs(a[i] - b[i]) > GEOMETRY_TOLERANCE) {
                lines.add(what + " " + join(a) + (unit.isEmpty() ? "" : " " + unit) + " (reads back as " + join(b) + ")");
                return;
            }
        }
    }

    /** Describes how stored values relate to the source values, when they are not the same numbers. */
    private static java.util.Optional<String> intensityMapping(MedicalImage<?> source, MedicalImage<?> written) {
        double[] x = values(source);
        double[] y = values(written);
        double maxError = 0;
        for (int i = 0; i < x.length; i++) {
            maxError = Math.max(maxError, Math.abs(x[i] - y[i]));
        }
        double[] rangeX = range(source);
        if (maxError <= 1e-6 * Math.max(1, Math.max(Math.abs(rangeX[0]), Math.abs(rangeX[1])))) {
            return java.util.Optional.empty();
        }
        double[] rangeY = range(written);
        return java.util.Optional.of("intensities: source values " + number(rangeX[0]) + " .. " + number(rangeX[1])
                + " are stored as " + number(rangeY[0]) + " .. " + number(rangeY[1]) + " (largest change of a value "
                + number(maxError) + ")");
    }

    private static double[] values(MedicalImage<?> image) {
        return image.pixels().stream().mapToDouble(t -> ((RealType<?>) t).getRealDouble()).toArray();
    }

    private static double[] range(MedicalImage<?> image) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Object t : image.pixels()) {
            double v = ((RealType<?>) t).getRealDouble();
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return new double[] {min, max};
    }

    /** Patient direction letters (LPS: +x left, +y posterior, +z superior) that each pixel axis mostly points to. */
    static String orientation(Geometry g) {
        int n = g.dimensions();
        double[] d = g.direction();
        StringBuilder code = new StringBuilder();
        for (int c = 0; c < n; c++) {
            int best = 0;
            for (int r = 1; r < n; r++) {
                if (Math.abs(d[r * n + c]) > Math.abs(d[best * n + c])) {
                    best = r;
                }
            }
            boolean positive = d[best * n + c] > 0;
            code.append(switch (best) {
                case 0 -> positive ? 'L' : 'R';
                case 1 -> positive ? 'P' : 'A';
                default -> positive ? 'S' : 'I';
            });
        }
        return code.toString();
    }

    private static String join(double[] values) {
        return String.join(" ", Arrays.stream(values).mapToObj(ImageCommands::number).toList());
    }

    private static String join(long[] values) {
        return String.join(" x ", Arrays.stream(values).mapToObj(Long::toString).toList());
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e12 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6g", v);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
