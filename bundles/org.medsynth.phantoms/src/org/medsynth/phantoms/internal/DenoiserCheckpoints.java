package org.medsynth.phantoms.internal;

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
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.medsynth.core.jobs.AtomicFiles;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;

/**
 * Checkpoints of the phantom denoiser: {@code phantom-denoiser-step-NNNNNN.ckpt} in the run's checkpoint folder, each
 * written atomically. A checkpoint holds the step reached, the loss curve up to it and the network's parameters in
 * DJL's parameter encoding. The Adam moments are <em>not</em> stored: a resumed run restarts them from zero, so it
 * continues from the same weights and data stream but not bit-identically to an uninterrupted run.
 */
final class DenoiserCheckpoints {
    private static final String MAGIC = "MedSynth phantom-denoiser checkpoint";
    private static final int FORMAT_VERSION = 1;
    private static final Pattern FILE_NAME = Pattern.compile("phantom-denoiser-step-(\\d{6,})\\.ckpt");

    /** A checkpoint file and the step it was written after. */
    record Checkpoint(Path file, int step) {
    }

    private DenoiserCheckpoints() {
    }

    static Path write(Path folder, int step, List<Double> lossCurve, Block network) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeInt(step);
            out.writeInt(lossCurve.size());
            for (double loss : lossCurve) {
                out.writeDouble(loss);
            }
            network.saveParameters(out);
        }
        Path file = folder.resolve(String.format(Locale.ROOT, "phantom-denoiser-step-%06d.ckpt", step));
        AtomicFiles.write(file, bytes.toByteArray());
        return file;
    }

    /** The checkpoints in {@code folder}, oldest step first; none when the folder does not exist. */
    static List<Checkpoint> list(Path folder) throws IOException {
        List<Checkpoint> found = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return found;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                Matcher name = FILE_NAME.matcher(file.getFileName().toString());
                if (name.matches()) {
                    found.add(new Checkpoint(file, Integer.parseInt(name.group(1))));
                }
            }
        }
        found.sort(Comparator.comparingInt(Checkpoint::step));
        return found;
    }

    static Optional<Checkpoint> newest(Path folder) throws IOException {
        List<Checkpoint> all = list(folder);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /**
     * Loads the checkpoint's parameters into {@code network} (before a trainer initialises it, so the parameters
     * still get their gradients) and returns its loss curve.
     *
     * @throws IOException naming the file when it is not a checkpoint of this network
     */
    static List<Double> restore(Checkpoint checkpoint, Block network, NDManager manager) throws IOException {
        byte[] content = Files.readAllBytes(checkpoint.file());
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(content))) {
            if (!MAGIC.equals(readMagic(in)) || in.readInt() != FORMAT_VERSION) {
                throw new IOException(checkpoint.file() + " is not a phantom-denoiser checkpoint of format "
                        + FORMAT_VERSION);
            }
            int step = in.readInt();
            if (step != checkpoint.step()) {
                throw new IOException(checkpoint.file() + " holds step " + step + " but its name says "
                        + checkpoint.step());
            }
            int losses = in.readInt();
            List<Double> lossCurve = new ArrayList<>(losses);
            for (int i = 0; i < losses; i++) {
                lossCurve.add(in.readDouble());
            }
            network.loadParameters(manager, in);
            return lossCurve;
        } catch (EOFException e) {
            throw new IOException(checkpoint.file() + " is truncated", e);
        } catch (MalformedModelException e) {
            throw new IOException(checkpoint.file() + " does not fit this network: " + e.getMessage(), e);
        }
    }

    private static String readMagic(DataInputStream in) {
        try {
            return in.readUTF();
        } catch (IOException e) {
            return "";
        }
    }
}
