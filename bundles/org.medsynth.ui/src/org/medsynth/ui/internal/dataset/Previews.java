package org.medsynth.ui.internal.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.swt.graphics.ImageData;
import org.medsynth.core.api.DatasetAdapter.DatasetCase;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.jobs.JobPreferences;
import org.medsynth.data.dataset.Dataset;
import org.medsynth.ui.internal.viewer.Thumbnails;

/**
 * What the dataset explorer shows of a case's first image: size, spacing, modality, unit, origin and a thumbnail. Made
 * in jobs (no UI resources) and kept for the session by file version (path, size and modification time of every file),
 * so reopening a dataset or another layout of the same files reads nothing again. Thread-safe.
 */
public final class Previews {
    /** Thumbnails of 48 px hold about 7 KiB each: a few thousand cases stay well under the memory budget. */
    private static final int CAPACITY = 4096;
    static final int THUMBNAIL = 48;

    /** One case's first image as listed, or why it could not be read ({@code problem} non-null, the rest empty). */
    public record Preview(String size, String spacing, String modality, String unit, String origin, ImageData thumbnail,
            String problem) {
        static Preview problem(String why) {
            return new Preview("", "", "", "", "", null, why);
        }
    }

    private record Version(List<Path> files, List<Long> stamps) {
    }

    private static final Map<Version, Preview> CACHE = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Version, Preview> eldest) {
            return size() > CAPACITY;
        }
    };

    private Previews() {
    }

    /** The preview of the case's first image, from the cache when its files have not changed. */
    static Preview of(Dataset dataset, DatasetCase c) {
        String role = Dataset.roles(c).get(0);
        List<Path> files = role.equals(Dataset.SERIES) ? c.images() : List.of(c.images().get(0));
        Version version;
        long bytes = 0;
        try {
            List<Long> stamps = new ArrayList<>();
            for (Path file : files) {
                long size = Files.size(file);
                bytes += size;
                stamps.add(size);
                stamps.add(Files.getLastModifiedTime(file).toMillis());
            }
            version = new Version(files, stamps);
        } catch (IOException e) {
            return Preview.problem("cannot read " + e.getMessage());
        }
        synchronized (CACHE) {
            Preview known = CACHE.get(version);
            if (known != null) {
                return known;
            }
        }
        Preview made = make(dataset, c, role, bytes);
        synchronized (CACHE) {
            CACHE.put(version, made);
        }
        return made;
    }

    private static Preview make(Dataset dataset, DatasetCase c, String role, long bytes) {
        long budget = JobPreferences.memoryBudgetMb() * (1L << 20);
        if (bytes > budget) {
            return Preview.problem("larger than the memory budget of " + JobPreferences.memoryBudgetMb() + " MiB");
        }
        try {
            MedicalImage<?> image = dataset.read(c, role);
            long[] dims = image.dimensions();
            int spatial = image.geometry().dimensions();
            StringBuilder size = new StringBuilder();
            StringBuilder spacing = new StringBuilder();
            for (int axis = 0; axis < spatial; axis++) {
                size.append(axis == 0 ? "" : "×").append(dims[axis]);
                spacing.append(axis == 0 ? "" : "×")
                        .append(String.format(Locale.ROOT, "%.3g", image.geometry().spacing(axis)));
            }
            if (image.channels() > 1) {
                size.append(" (").append(image.channels()).append(" channels)");
            }
            String origin = image.isSynthetic() ? "synthetic: " + image.provenance().generatorId() : "acquired";
            return new Preview(size.toString(), spacing.toString(), image.modality().dicomCode(), image.unit().symbol(),
                    origin, Thumbnails.render(image, THUMBNAIL), null);
        } catch (Exception e) {
            return Preview.problem(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }
}
