package org.medsynth.phantoms.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the denoise generator needs from a trained model's card ({@value #FILE_NAME}, written by
 * {@link PhantomDenoiserTrainer}): the card id, how to rebuild the network, and the weight file with its sha256.
 */
record DenoiserModelCard(String id, int layers, int channels, String weightFile, String weightSha256) {
    static final String FILE_NAME = "model.yaml";
    static final String ID = "phantom-denoiser";

    /**
     * Reads the card in {@code modelFolder}.
     *
     * @throws IOException naming the card and the problem: missing, not the subset of YAML cards use, a field
     *                     missing or invalid, another architecture, or a weight file outside the folder
     */
    static DenoiserModelCard read(Path modelFolder) throws IOException {
        Path card = modelFolder.resolve(FILE_NAME);
        if (!Files.isRegularFile(card)) {
            throw new IOException("no model card " + card + ": give the folder that 'medsynth train phantom.denoiser'"
                    + " wrote");
        }
        Map<String, String> fields;
        try {
            fields = ModelCardYaml.read(Files.readString(card));
        } catch (IllegalArgumentException e) {
            throw new IOException(card + ": " + e.getMessage(), e);
        }
        String architecture = field(fields, "architecture.name", card);
        if (!architecture.equals(DenoiserNetwork.ARCHITECTURE)) {
            throw new IOException(card + " describes a '" + architecture + "' network; this generator runs a '"
                    + DenoiserNetwork.ARCHITECTURE + "'");
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
        return new DenoiserModelCard(field(fields, "id", card), number(fields, "architecture.layers", card),
                number(fields, "architecture.channels", card), weightFile, sha256);
    }

    private static String field(Map<String, String> fields, String path, Path card) throws IOException {
        String value = fields.get(path);
        if (value == null || value.isBlank()) {
            throw new IOException(card + " has no '" + path + "'");
        }
        return value;
    }

    private static int number(Map<String, String> fields, String path, Path card) throws IOException {
        String value = field(fields, path, card);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IOException(card + ": '" + path + "' is '" + value + "', not an integer", e);
        }
    }
}
