package org.medsynth.data.dataset;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import org.medsynth.core.api.DatasetAdapter;
import org.medsynth.core.api.ImageFormatException;
import org.medsynth.core.api.ParameterValues;
import org.medsynth.core.registry.ImageFormats;

/**
 * The {@code adapter.manifest} contribution: a CSV file with a header row, or a JSON array of objects (or an object
 * whose {@code cases} member is one), one case per row. Columns: {@value #IMAGE} (required), {@value #MASK},
 * {@value #PATIENT} and {@value #ID} (optional; the id defaults to the image's stem); every other non-empty column is
 * a condition of the case (labels, angles, age, free text). JSON values that are arrays or objects are kept as their
 * JSON text. Relative paths are resolved against the manifest's folder and must stay below it (absolute paths may
 * point anywhere); every file is checked when the manifest is
 * opened, so a wrong path is reported with its row before any job starts.
 */
public final class ManifestAdapter implements DatasetAdapter {
    public static final String IMAGE = "image";
    public static final String MASK = "mask";
    public static final String PATIENT = "patient";
    public static final String ID = "id";

    @Override
    public boolean accepts(Path root) {
        String name = root.getFileName() == null ? "" : root.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(root) && (name.endsWith(".csv") || name.endsWith(".json"));
    }

    /** One row of a manifest: where it is in the file (for messages) and its values by column. */
    private record Row(String where, Map<String, String> values) {
    }

    @Override
    public List<DatasetCase> open(Path manifest, ParameterValues parameters) throws IOException {
        if (!Files.isRegularFile(manifest)) {
            throw new ImageFormatException(manifest, Files.exists(manifest) ? "is not a file" : "does not exist");
        }
        String name = manifest.getFileName().toString().toLowerCase(Locale.ROOT);
        List<Row> rows;
        if (name.endsWith(".csv")) {
            rows = csvRows(manifest);
        } else if (name.endsWith(".json")) {
            rows = jsonRows(manifest);
        } else {
            throw new ImageFormatException(manifest, "is neither a .csv nor a .json manifest");
        }
        if (rows.isEmpty()) {
            throw new ImageFormatException(manifest, "lists no cases");
        }
        ImageFormats formats = ImageFormats.get();
        Path folder = manifest.toAbsolutePath().getParent();
        List<DatasetCase> cases = new ArrayList<>();
        Map<String, String> rowOfId = new HashMap<>();
        for (Row row : rows) {
            Map<String, String> values = new LinkedHashMap<>(row.values());
            values.values().removeIf(String::isBlank);
            String imageText = values.remove(IMAGE);
            if (imageText == null) {
                throw new ImageFormatException(manifest, row.where() + ": no '" + IMAGE + "' path");
            }
            Path image = file(manifest, folder, row, imageText, formats);
            List<Path> files = new ArrayList<>(List.of(image));
            String roles = Dataset.IMAGE;
            String maskText = values.remove(MASK);
            if (maskText != null) {
                files.add(file(manifest, folder, row, maskText, formats));
                roles += "," + MASK;
            }
            String id = values.remove(ID);
            if (id == null) {
                id = Layouts.stem(image, formats);
            }
            String earlier = rowOfId.put(id, row.where());
            if (earlier != null) {
                throw new ImageFormatException(manifest, row.where() + ": case id '" + id + "' is already used by "
                        + earlier + (row.values().containsKey(ID) ? "" : " (give each row an '" + ID + "')"));
            }
            String patient = values.remove(PATIENT);
            values.put(Dataset.ROLES, roles);
            cases.add(new DatasetCase(id, patient == null ? id : patient, List.copyOf(files), Map.copyOf(values)));
        }
        return cases;
    }

    private static Path file(Path manifest, Path folder, Row row, String text, ImageFormats formats)
            throws ImageFormatException {
        Path file;
        try {
            file = folder.resolve(text.trim()).normalize();
        } catch (InvalidPathException e) {
            throw new ImageFormatException(manifest, row.where() + ": '" + text + "' is not a valid path");
        }
        if (!Path.of(text.trim()).isAbsolute() && !file.startsWith(folder.normalize())) {
            // a relative path must not climb out of the dataset ('../'); an absolute one says plainly where it points
            throw new ImageFormatException(manifest, row.where() + ": '" + text + "' lies outside the manifest's folder "
                    + folder + "; relative paths in a manifest must stay below it (write an absolute path to use a file elsewhere)");
        }
        if (!Files.isRegularFile(file)) {
            throw new ImageFormatException(manifest, row.where() + ": '" + text + "' does not exist (" + file + ")");
        }
        if (formats.forFile(file, false).isEmpty()) {
            throw new ImageFormatException(manifest, row.where() + ": no installed format reads '" + text
                    + "' (readable: " + String.join(", ", formats.knownExtensions(false)) + ")");
        }
        return file;
    }

    private static List<Row> csvRows(Path manifest) throws IOException {
        List<Csv.Row> records = Csv.read(manifest);
        if (records.isEmpty()) {
            return List.of();
        }
        List<String> header = records.get(0).fields().stream().map(String::trim).toList();
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).isEmpty() || header.indexOf(header.get(i)) != i) {
                throw new ImageFormatException(manifest, "header column " + (i + 1)
                        + (header.get(i).isEmpty() ? " has no name" : " '" + header.get(i) + "' appears twice"));
            }
        }
        if (header.contains(Dataset.ROLES)) {
            throw new ImageFormatException(manifest, "column '" + Dataset.ROLES + "' is reserved for the roles of a case's"
                    + " images; rename it");
        }
        if (!header.contains(IMAGE)) {
            throw new ImageFormatException(manifest, "header has no '" + IMAGE + "' column: " + String.join(",", header));
        }
        List<Row> rows = new ArrayList<>();
        for (Csv.Row record : records.subList(1, records.size())) {
            if (record.fields().size() != header.size()) {
                throw new ImageFormatException(manifest, "line " + record.line() + " has " + record.fields().size()
                        + " fields, the header " + header.size());
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                values.put(header.get(i), record.fields().get(i).trim());
            }
            rows.add(new Row("line " + record.line(), values));
        }
        return rows;
    }

    private static List<Row> jsonRows(Path manifest) throws IOException {
        JsonElement root;
        try {
            root = JsonParser.parseString(Files.readString(manifest, StandardCharsets.UTF_8));
        } catch (JsonParseException e) {
            throw new ImageFormatException(manifest, "is not valid JSON: " + e.getMessage(), e);
        }
        JsonArray array;
        if (root.isJsonArray()) {
            array = root.getAsJsonArray();
        } else if (root.isJsonObject() && root.getAsJsonObject().has("cases")
                && root.getAsJsonObject().get("cases").isJsonArray()) {
            array = root.getAsJsonObject().getAsJsonArray("cases");
        } else {
            throw new ImageFormatException(manifest, "must hold an array of cases, or an object whose 'cases' is one");
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String where = "case " + (i + 1);
            if (!array.get(i).isJsonObject()) {
                throw new ImageFormatException(manifest, where + " is not an object");
            }
            JsonObject object = array.get(i).getAsJsonObject();
            if (object.has(Dataset.ROLES)) {
                throw new ImageFormatException(manifest, where + ": the key '" + Dataset.ROLES
                        + "' is reserved for the roles of a case's images; rename it");
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : object.entrySet()) {
                JsonElement v = e.getValue();
                if (!v.isJsonNull()) {
                    values.put(e.getKey(), v.isJsonPrimitive() ? v.getAsString() : v.toString());
                }
            }
            rows.add(new Row(where, values));
        }
        return rows;
    }
}
