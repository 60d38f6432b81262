package org.medsynth.data.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.eclipse.core.runtime.CoreException;
import org.medsynth.core.api.Contribution;
import org.medsynth.core.api.Contribution.Kind;
import org.medsynth.core.api.DatasetAdapter;
import org.medsynth.core.api.ImageFormatException;
import org.medsynth.core.api.ParameterValues;
import org.medsynth.core.registry.Contributions;

/**
 * The {@code adapter.dicom-tree} contribution: a folder tree of DICOM files, e.g. {@code patient/study/series/*.dcm}.
 * Each folder is handed to the installed series adapter ({@code adapter.dicom-series} of the DICOM support), which
 * groups its files into series; each series is one case, whose files are read as one image ({@link Dataset#SERIES})
 * and whose condition {@value #FOLDER} is its folder relative to the root. The series adapter checks each series
 * when the tree is opened, one folder at a time, so a broken series is reported before any job starts; the DICOM
 * support's adapter reads headers only there, the pixels are decoded when a case is read.
 */
public final class DicomTreeAdapter implements DatasetAdapter {
    /** Condition holding the case's folder, relative to the root, with '/' separators. */
    public static final String FOLDER = "folder";
    private static final String DEFAULT_SERIES_ADAPTER = "adapter.dicom-series";

    @Override
    public boolean accepts(Path root) {
        if (!Files.isDirectory(root)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.anyMatch(f -> Files.isRegularFile(f) && f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".dcm"));
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    @Override
    public List<DatasetCase> open(Path root, ParameterValues parameters) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new ImageFormatException(root, "is not a folder");
        }
        String seriesAdapterId = Layouts.parameter(parameters, "series-adapter", DEFAULT_SERIES_ADAPTER);
        Contributions contributions = Contributions.get();
        Contribution seriesAdapter = contributions.find(Kind.ADAPTER, seriesAdapterId).orElseThrow(() -> new IOException(
                root + ": no adapter '" + seriesAdapterId + "' is installed to find DICOM series"
                        + " (it comes with the DICOM support, bundle org.medsynth.io.dicom)"));
        DatasetAdapter folders;
        try {
            folders = contributions.create(seriesAdapter, DatasetAdapter.class);
        } catch (CoreException e) {
            throw new IOException(root + ": " + e.getStatus().getMessage(), e);
        }
        List<Path> tree;
        try (Stream<Path> walk = Files.walk(root)) {
            tree = walk.filter(Files::isDirectory).filter(d -> d.equals(root) || !d.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
        List<DatasetCase> cases = new ArrayList<>();
        Map<String, String> folderOfSeries = new HashMap<>();
        for (Path folder : tree) {
            if (!accepted(seriesAdapter, folders, folder)) {
                continue;
            }
            String relative = root.relativize(folder).toString().replace('\\', '/');
            List<DatasetCase> series;
            try {
                series = Dataset.openWith(contributions, seriesAdapter, folder, ParameterValues.none());
            } catch (CoreException e) {
                throw new IOException(folder + ": " + e.getStatus().getMessage(), e);
            }
            for (DatasetCase s : series) {
                String earlier = folderOfSeries.put(s.id(), relative);
                if (earlier != null) {
                    throw new ImageFormatException(root, "series " + s.id() + " is split over the folders '" + earlier
                            + "' and '" + relative + "'");
                }
                Map<String, String> conditions = new HashMap<>(s.conditions());
                conditions.put(FOLDER, relative);
                conditions.put(Dataset.ROLES, Dataset.SERIES);
                String patient = s.patientId() == null || s.patientId().isBlank() ? s.id() : s.patientId();
                cases.add(new DatasetCase(s.id(), patient, s.images(), Map.copyOf(conditions)));
            }
        }
        if (cases.isEmpty()) {
            throw new ImageFormatException(root, "holds no DICOM series in any folder");
        }
        return cases;
    }

    private static boolean accepted(Contribution c, DatasetAdapter adapter, Path folder) throws IOException {
        try {
            return Contributions.call(c, "accepts " + folder, () -> adapter.accepts(folder));
        } catch (CoreException e) {
            throw new IOException(folder + ": " + e.getStatus().getMessage(), e);
        }
    }
}
