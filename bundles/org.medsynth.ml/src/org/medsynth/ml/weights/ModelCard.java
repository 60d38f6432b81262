package org.medsynth.ml.weights;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.Platform;
import org.eclipse.osgi.service.datalocation.Location;

import org.medsynth.core.jobs.JobPreferences;
import org.medsynth.core.jobs.Sha256;
import org.medsynth.ml.Devices;
import org.medsynth.ml.MlEngine;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.nn.Block;

/**
 * What a generator or evaluator needs from the card ({@value #FILE_NAME}) a MedSynth trainer wrote next to its
 * weights: the card id, the architecture fields to rebuild the network, and the weight file with its sha256, which
 * is checked before the weights are loaded.
 */
public record ModelCard(Path folder, Map<String, String> fields, String id, String weightFile, String weightSha256) {
    public static final String FILE_NAME = "model.yaml";
    /** System property naming one more folder of models, searched first (the tests point it at models/). */
    public static final String MODELS_PROPERTY = "medsynth.models";
    /** What a model id looks like (the name of its folder in a model folder). */
    public static final String ID_PATTERN = "[a-z0-9][a-z0-9.-]*";

    /**
     * The model folder {@code pathOrId} names: a folder holding a model card, or the id of a model found in the
     * model folders: the {@value #MODELS_PROPERTY} folder, those of the preferences, {@code models/} of the
     * installation (where the shipped models are), {@code models/} of the working directory.
     *
     * @throws IOException saying where it looked
     */
    public static Path locate(String pathOrId) throws IOException {
        Path given = Path.of(pathOrId);
        if (Files.isRegularFile(given.resolve(FILE_NAME))) {
            return given;
        }
        List<Path> folders = new ArrayList<>();
        if (System.getProperty(MODELS_PROPERTY) != null) {
            folders.add(Path.of(System.getProperty(MODELS_PROPERTY)));
        }
        folders.addAll(JobPreferences.modelFolders());
        Location install = Platform.isRunning() ? Platform.getInstallLocation() : null;
        if (install != null && "file".equals(install.getURL().getProtocol())) {
            folders.add(Path.of(install.getURL().getPath()).resolve("models"));
        }
        folders.add(Path.of("models").toAbsolutePath());
        if (pathOrId.matches(ID_PATTERN)) {
            for (Path folder : folders) {
                if (Files.isRegularFile(folder.resolve(pathOrId).resolve(FILE_NAME))) {
                    return folder.resolve(pathOrId);
                }
            }
        }
        throw new IOException("no model '" + pathOrId + "': " + given.toAbsolutePath() + " holds no " + FILE_NAME
                + (pathOrId.matches(ID_PATTERN) ? ", and no model of that id is in " + folders : ""));
    }

    /**
     * Reads the card in {@code modelFolder}, which must describe an {@code architecture} network.
     *
     * @param trainer the trainer that writes such cards, for the message when there is none
     * @throws IOException naming the card and the problem: missing, not the subset of YAML cards use, a field
     *                     missing or invalid, another architecture, or a weight file outside the folder
     */
    public static ModelCard read(Path modelFolder, String architecture, String trainer) throws IOException {
        Path card = modelFolder.resolve(FILE_NAME);
        if (!Files.isRegularFile(card)) {
            throw new IOException("no model card " + card + ": give the folder that 'medsynth train " + trainer
                    + "' wrote");
        }
        Map<String, String> fields;
        try {
            fields = ModelCardYaml.read(Files.readString(card));
        } catch (IllegalArgumentException e) {
            throw new IOException(card + ": " + e.getMessage(), e);
        }
        String described = field(fields, "architecture.name", card);
        if (!described.equals(architecture)) {
            throw new IOException(card + " describes a '" + described + "' network; this generator runs a '"
                    + architecture + "'");
        }
        String weightFile = field(fields, "weights.0.file", card);
        if (!Path.of(weightFile).getFileName().toString().equals(weightFile)) {
            throw new IOException(card + " names weight file '" + weightFile + "', which is not a file name in the"
                    + " card's folder");
        }
        String sha256 = field(fields, "weights.0.sha256", card);
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IOException(card + ": weights.0.sha256 '" + sha256 + "' is not 64 lower-case hex digits");
        }
        return new ModelCard(modelFolder, fields, field(fields, "id", card), weightFile, sha256);
    }

    public Path file() {
        return folder.resolve(FILE_NAME);
    }

    public String text(String path) throws IOException {
        return field(fields, path, file());
    }

    public int integer(String path) throws IOException {
        String value = text(path);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IOException(file() + ": '" + path + "' is '" + value + "', not an integer", e);
        }
    }

    /** A comma-separated list of integers, e.g. a U-Net's {@code architecture.multipliers}. */
    public int[] integers(String path) throws IOException {
        String value = text(path);
        try {
            return Arrays.stream(value.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IOException(file() + ": '" + path + "' is '" + value + "', not a list of integers", e);
        }
    }

    public double decimal(String path) throws IOException {
        String value = text(path);
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IOException(file() + ": '" + path + "' is '" + value + "', not a number", e);
        }
    }

    /**
     * The weight file's content, once its sha256 equals the card's: the bytes that were checked are the bytes that
     * are loaded.
     */
    public byte[] verifiedWeights() throws IOException {
        Path file = folder.resolve(weightFile);
        if (!Files.isRegularFile(file)) {
            throw new IOException("weight file " + file + " named by " + FILE_NAME + " is missing");
        }
        byte[] content = Files.readAllBytes(file);
        String actual = Sha256.of(content);
        if (!actual.equals(weightSha256)) {
            throw new IOException("weight file " + file + " does not match its model card: sha256 is " + actual
                    + " but " + FILE_NAME + " says " + weightSha256 + "; the file was changed or damaged, so it is"
                    + " not loaded (restore it or train again)");
        }
        return content;
    }

    /**
     * A model on {@code device} running {@code network} with the card's weights, after their sha256 was checked.
     *
     * @throws IOException when the weights are missing, changed, or do not fit the network the card describes
     */
    public Model load(Block network, String device) throws IOException {
        byte[] weights = verifiedWeights();
        Model model = Model.newInstance(id, Devices.resolve(device), MlEngine.ENGINE_NAME);
        model.setBlock(network);
        try {
            model.load(new ByteArrayInputStream(weights));
        } catch (MalformedModelException | IOException | RuntimeException e) {
            model.close();
            throw new IOException(folder.resolve(weightFile) + " does not fit the network its model card describes: "
                    + e.getMessage(), e);
        }
        if (!network.isInitialized()) {
            model.close();
            throw new IOException(folder.resolve(weightFile) + " is not a DJL parameter file");
        }
        return model;
    }

    private static String field(Map<String, String> fields, String path, Path card) throws IOException {
        String value = fields.get(path);
        if (value == null || value.isBlank()) {
            throw new IOException(card + " has no '" + path + "'");
        }
        return value;
    }
}
