package org.medsynth.core.jobs;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A hidden folder beside the destination where a job writes its outputs. {@link #commit} moves them into place with
 * atomic renames (the whole folder when the destination does not exist yet, else file by file, never overwriting);
 * {@link #discard} removes everything. A cancelled or failed job therefore leaves no partial output.
 */
public final class OutputStaging implements AutoCloseable {
    private final Path destination;
    private final Path staging;
    private boolean done;

    private OutputStaging(Path destination, Path staging) {
        this.destination = destination;
        this.staging = staging;
    }

    /** Creates the staging folder next to {@code destination} (same file system, so renames are atomic). */
    public static OutputStaging begin(Path destination) throws IOException {
        Path dest = destination.toAbsolutePath().normalize();
        if (Files.exists(dest) && !Files.isDirectory(dest)) {
            throw new FileAlreadyExistsException(dest.toString(), null, "output exists and is not a folder");
        }
        Path parent = dest.getParent();
        Files.createDirectories(parent);
        Path staging = parent.resolve("." + dest.getFileName() + ".partial-" + UUID.randomUUID());
        Files.createDirectory(staging);
        return new OutputStaging(dest, staging);
    }

    /** The folder to write into. */
    public Path folder() {
        return staging;
    }

    public Path destination() {
        return destination;
    }

    /**
     * Moves the staged files into the destination.
     *
     * @return the destination paths of the moved files, sorted
     * @throws FileAlreadyExistsException if a staged name already exists in the destination (nothing is moved)
     */
    public List<Path> commit() throws IOException {
        if (done) {
            throw new IllegalStateException("staging already committed or discarded");
        }
        List<Path> names = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(staging)) {
            files.forEach(f -> names.add(f.getFileName()));
        }
        names.sort(Comparator.naturalOrder());
        if (!Files.exists(destination)) {
            move(staging, destination);
        } else {
            for (Path name : names) {
                if (Files.exists(destination.resolve(name))) {
                    throw new FileAlreadyExistsException(destination.resolve(name).toString(), null,
                            "output would overwrite an existing file; choose another output folder");
                }
            }
            for (Path name : names) {
                move(staging.resolve(name), destination.resolve(name));
            }
            Files.delete(staging);
        }
        done = true;
        return names.stream().map(destination::resolve).toList();
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot move " + from + " to " + to + " atomically", e);
        }
    }

    /** Deletes the staging folder and everything in it. Safe to call more than once. */
    public void discard() throws IOException {
        if (done) {
            return;
        }
        done = true;
        deleteRecursively(staging);
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public void close() throws IOException {
        discard();
    }
}
