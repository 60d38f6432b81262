package org.medsynth.ml.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.medsynth.core.jobs.AtomicFiles;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The checkpoints of one kind of training run in a folder: {@code KIND-step-NNNNNN.ckpt}, each written atomically (a
 * cancelled or crashed run never leaves a partial one). A checkpoint holds everything a resumed run needs to
 * continue bit-identically: step, loss curve, validation history, the network's parameters in DJL's encoding, and
 * named state arrays (optimizer moments, moving averages, best weights).
 */
public final class Checkpoints {
    private static final String MAGIC = "MedSynth training checkpoint";
    private static final int FORMAT_VERSION = 1;

    private final Path folder;
    private final String kind;
    private final Pattern fileName;

    /** A checkpoint file and the step it was written after. */
    public record Entry(Path file, int step) {
    }

    /** One validation: the value measured after {@code step} steps (lower is better). */
    public record ValidationPoint(int step, double value) {
    }

    /**
     * The content of a checkpoint.
     *
     * @param parameters the network's parameters as {@code Block.saveParameters} writes them
     * @param arrays     further state under names, e.g. {@code m/NAME}, {@code ema/NAME}
     */
    public record State(int step, int optimizerUpdates, List<Double> losses, List<ValidationPoint> validations,
            byte[] parameters, Map<String, NDArray> arrays) {
    }

    /** {@code kind} names the run type in file names and is checked when reading ({@code [a-z0-9-]+}). */
    public Checkpoints(Path folder, String kind) {
        if (!kind.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("checkpoint kind must match [a-z0-9-]+, got " + kind);
        }
        this.folder = folder;
        this.kind = kind;
        this.fileName = Pattern.compile(Pattern.quote(kind) + "-step-(\\d{6,})\\.ckpt");
    }

    public Path folder() {
        return folder;
    }

    /** Writes the checkpoint of {@code state.step()} atomically and returns its file. */
    public Path write(State state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeUTF(kind);
            out.writeInt(state.step());
            out.writeInt(state.optimizerUpdates());
            out.writeInt(state.losses().size());
            for (double loss : state.losses()) {
                out.writeDouble(loss);
            }
            out.writeInt(state.validations().size());
            for (ValidationPoint point : state.validations()) {
                out.writeInt(point.step());
                out.writeDouble(point.value());
            }
            out.writeInt(state.parameters().length);
            out.write(state.parameters());
            out.writeInt(state.arrays().size());
            for (Map.Entry<String, NDArray> array : state.arrays().entrySet()) {
                byte[] encoded = array.getValue().encode();
                out.writeUTF(array.getKey());
                out.writeInt(encoded.length);
                out.write(encoded);
            }
        }
        Files.createDirectories(folder);
        Path file = folder.resolve(String.format(Locale.ROOT, "%s-step-%06d.ckpt", kind, state.step()));
        AtomicFiles.write(file, bytes.toByteArray());
        return file;
    }

    /** The checkpoints in the folder, oldest step first; none when the folder does not exist. */
    public List<Entry> list() throws IOException {
        List<Entry> found = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return found;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                Matcher m = fileName.matcher(file.getFileName().toString());
                if (m.matches() && Files.isRegularFile(file)) {
                    found.add(new Entry(file, Integer.parseInt(m.group(1))));
                }
            }
        }
        found.sort(Comparator.comparingInt(Entry::step));
        return found;
    }

    public Optional<Entry> newest() throws IOException {
        List<Entry> all = list();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** Deletes all but the newest {@code keep} checkpoints. */
    public void prune(int keep) throws IOException {
        List<Entry> all = list();
        for (Entry entry : all.subList(0, Math.max(0, all.size() - Math.max(1, keep)))) {
            Files.deleteIfExists(entry.file());
        }
    }

    /** Reads a checkpoint; its arrays are created in {@code manager}. */
    public State read(Entry entry, NDManager manager) throws IOException {
        byte[] content = Files.readAllBytes(entry.file());
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(content))) {
            if (!MAGIC.equals(in.readUTF()) || in.readInt() != FORMAT_VERSION) {
                throw new IOException(entry.file() + " is not a MedSynth training checkpoint of format version "
                        + FORMAT_VERSION);
            }
            String storedKind = in.readUTF();
            if (!kind.equals(storedKind)) {
                throw new IOException(entry.file() + " is a checkpoint of a " + storedKind + " run, not " + kind);
            }
            int step = in.readInt();
            int updates = in.readInt();
            List<Double> losses = new ArrayList<>();
            for (int i = count(in, content.length, entry); i > 0; i--) {
                losses.add(in.readDouble());
            }
            List<ValidationPoint> validations = new ArrayList<>();
            for (int i = count(in, content.length, entry); i > 0; i--) {
                validations.add(new ValidationPoint(in.readInt(), in.readDouble()));
            }
            byte[] parameters = new byte[count(in, content.length, entry)];
            in.readFully(parameters);
            Map<String, NDArray> arrays = new LinkedHashMap<>();
            for (int i = count(in, content.length, entry); i > 0; i--) {
                String name = in.readUTF();
                byte[] encoded = new byte[count(in, content.length, entry)];
                in.readFully(encoded);
                try {
                    arrays.put(name, NDArray.decode(manager, encoded));
                } catch (RuntimeException e) {
                    throw new IOException(entry.file() + " is damaged: its array " + name + " cannot be decoded", e);
                }
            }
            if (step != losses.size()) {
                throw new IOException(entry.file() + " is inconsistent: step " + step + " but " + losses.size()
                        + " losses");
            }
            return new State(step, updates, losses, validations, parameters, arrays);
        } catch (EOFException e) {
            throw new IOException(entry.file() + " is truncated (" + content.length + " bytes)", e);
        }
    }

    /** A count or length field, checked against what the file can hold. */
    private static int count(DataInputStream in, int fileLength, Entry entry) throws IOException {
        int value = in.readInt();
        if (value < 0 || value > fileLength) {
            throw new IOException(entry.file() + " is truncated or damaged: it declares a length of " + value
                    + " in a file of " + fileLength + " bytes");
        }
        return value;
    }
}
