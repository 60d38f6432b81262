package org.medsynth.core.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The folder where every run record is kept: {@code medsynth.runs} system property, else {@code ~/.medsynth/runs}.
 * File names sort by start time.
 */
public final class RunHistory {
    public static final String FOLDER_PROPERTY = "medsynth.runs";

    private RunHistory() {
    }

    public static Path folder() {
        String configured = System.getProperty(FOLDER_PROPERTY);
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".medsynth", "runs");
    }

    static Path save(RunRecord record) throws IOException {
        String stamp = record.timings().start().toString().replace(":", "").replace("-", "");
        Path file = folder().resolve(stamp + "-" + record.kind() + "-" + record.runId() + ".json");
        AtomicFiles.writeString(file, record.toJson());
        return file;
    }

    /** All records, oldest first; unreadable files are skipped. */
    public static List<RunRecord> list() throws IOException {
        Path dir = folder();
        List<RunRecord> records = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return records;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                try {
                    records.add(RunRecord.read(f));
                } catch (IOException | RuntimeException e) {
                    // a record being written by another process, or damaged: the others are still listed
                }
            }
        }
        return records;
    }
}
