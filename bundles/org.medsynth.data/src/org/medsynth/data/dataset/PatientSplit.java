package org.medsynth.data.dataset;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import org.medsynth.core.api.DatasetAdapter.DatasetCase;
import org.medsynth.core.api.Json;
import org.medsynth.core.jobs.AtomicFiles;

/**
 * A train/validation/test split by patient: every case of a patient lands in the same split, so no patient is seen
 * in training and again in testing. The split is a pure function of the patient ids, the seed and the fractions
 * (patients sorted by id, shuffled by {@link Random} with the seed, then cut by count), and is recorded as a small
 * JSON file (seed, fractions, patient → split, case → split) that {@link #read} loads and {@link #apply} re-applies
 * to the same cases. Fractions count patients, not cases.
 */
public final class PatientSplit {
    /** The three splits, in file order. */
    public enum Part {
        TRAIN, VAL, TEST;

        /** The lower-case name used in the JSON file. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Part parse(String key, Path file) throws IOException {
            for (Part p : values()) {
                if (p.key().equals(key)) {
                    return p;
                }
            }
            throw new IOException(file + ": unknown split '" + key + "' (known: train, val, test)");
        }
    }

    private final long seed;
    private final Map<Part, Double> fractions;
    private final Map<String, Part> patients;
    private final Map<String, Part> cases;

    private PatientSplit(long seed, Map<Part, Double> fractions, Map<String, Part> patients, Map<String, Part> cases) {
        this.seed = seed;
        this.fractions = Collections.unmodifiableMap(fractions);
        this.patients = Collections.unmodifiableMap(patients);
        this.cases = Collections.unmodifiableMap(cases);
    }

    /**
     * Splits the cases by patient. Each fraction is in [0, 1] and they sum to 1; the validation and test splits get
     * {@code round(fraction × patients)} patients each, the training split the rest.
     *
     * @throws IllegalArgumentException for bad fractions, duplicate case ids or cases without a patient
     */
    public static PatientSplit create(List<DatasetCase> cases, long seed, double train, double val, double test) {
        double[] f = {train, val, test};
        for (int i = 0; i < 3; i++) {
            if (!(f[i] >= 0 && f[i] <= 1)) {
                throw new IllegalArgumentException(Part.values()[i].key() + " fraction " + f[i] + " is not in [0, 1]");
            }
        }
        if (Math.abs(train + val + test - 1) > 1e-9) {
            throw new IllegalArgumentException("split fractions must sum to 1, got " + train + " + " + val + " + " + test
                    + " = " + (train + val + test));
        }
        Map<String, String> patientOfCase = patientsOf(cases);
        List<String> ids = new ArrayList<>(new TreeSet<>(patientOfCase.values()));
        Collections.shuffle(ids, new Random(seed));
        int nVal = (int) Math.round(val * ids.size());
        int nTest = Math.min((int) Math.round(test * ids.size()), ids.size() - nVal);
        Map<String, Part> patients = new TreeMap<>();
        for (int i = 0; i < ids.size(); i++) {
            patients.put(ids.get(i), i < nVal ? Part.VAL : i < nVal + nTest ? Part.TEST : Part.TRAIN);
        }
        Map<String, Part> byCase = new TreeMap<>();
        patientOfCase.forEach((c, p) -> byCase.put(c, patients.get(p)));
        Map<Part, Double> fractions = new LinkedHashMap<>();
        fractions.put(Part.TRAIN, train);
        fractions.put(Part.VAL, val);
        fractions.put(Part.TEST, test);
        return new PatientSplit(seed, fractions, patients, byCase);
    }

    private static Map<String, String> patientsOf(List<DatasetCase> cases) {
        Map<String, String> patientOfCase = new LinkedHashMap<>();
        for (DatasetCase c : cases) {
            if (c.patientId() == null || c.patientId().isBlank()) {
                throw new IllegalArgumentException("case '" + c.id() + "' has no patient id");
            }
            if (patientOfCase.put(c.id(), c.patientId()) != null) {
                throw new IllegalArgumentException("two cases have the id '" + c.id() + "'");
            }
        }
        return patientOfCase;
    }

    public long seed() {
        return seed;
    }

    public Map<Part, Double> fractions() {
        return fractions;
    }

    /** The split of a patient. @throws IllegalArgumentException for a patient the split does not know */
    public Part ofPatient(String patientId) {
        Part p = patients.get(patientId);
        if (p == null) {
            throw new IllegalArgumentException("unknown patient '" + patientId + "': the split holds " + patients.size()
                    + " patients");
        }
        return p;
    }

    /** The split of a case. @throws IllegalArgumentException for a case the split does not know */
    public Part ofCase(String caseId) {
        Part p = cases.get(caseId);
        if (p == null) {
            throw new IllegalArgumentException("unknown case '" + caseId + "': the split holds " + cases.size() + " cases");
        }
        return p;
    }

    /** Patient ids by split. */
    public Map<String, Part> patients() {
        return patients;
    }

    /**
     * The cases of a dataset by split, in their order. Every case must be in this split with the patient it was
     * split by, and every patient of a case must be known; anything else means the split belongs to other data.
     *
     * @throws IllegalArgumentException naming the first case or patient that does not fit
     */
    public Map<Part, List<DatasetCase>> apply(List<DatasetCase> dataset) {
        Map<Part, List<DatasetCase>> result = new LinkedHashMap<>();
        for (Part p : Part.values()) {
            result.put(p, new ArrayList<>());
        }
        for (DatasetCase c : dataset) {
            Part byCase = cases.get(c.id());
            if (byCase == null) {
                throw new IllegalArgumentException("case '" + c.id() + "' (patient '" + c.patientId()
                        + "') is not in the split; the split was made for other data");
            }
            Part byPatient = patients.get(c.patientId());
            if (byPatient == null) {
                throw new IllegalArgumentException("case '" + c.id() + "' has the patient '" + c.patientId()
                        + "', unknown to the split");
            }
            if (byPatient != byCase) {
                throw new IllegalArgumentException("case '" + c.id() + "' is in " + byCase.key() + " but its patient '"
                        + c.patientId() + "' is in " + byPatient.key() + ": the case changed patient since the split");
            }
            result.get(byCase).add(c);
        }
        result.replaceAll((p, l) -> List.copyOf(l));
        return result;
    }

    /** Writes the split as JSON, atomically. */
    public void write(Path file) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("seed", seed);
        Map<String, Double> f = new LinkedHashMap<>();
        fractions.forEach((p, v) -> f.put(p.key(), v));
        json.put("fractions", f);
        Map<String, String> p = new LinkedHashMap<>();
        patients.forEach((k, v) -> p.put(k, v.key()));
        json.put("patients", p);
        Map<String, String> c = new LinkedHashMap<>();
        cases.forEach((k, v) -> c.put(k, v.key()));
        json.put("cases", c);
        AtomicFiles.write(file, (Json.pretty(json) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a split written by {@link #write}.
     *
     * @throws IOException naming the file and what is missing or malformed
     */
    public static PatientSplit read(Path file) throws IOException {
        JsonObject root;
        try {
            JsonElement e = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            if (!e.isJsonObject()) {
                throw new IOException(file + ": a split file holds a JSON object");
            }
            root = e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new IOException(file + ": is not valid JSON: " + e.getMessage(), e);
        }
        for (String member : List.of("seed", "fractions", "patients", "cases")) {
            if (!root.has(member)) {
                throw new IOException(file + ": the split has no '" + member + "'");
            }
        }
        try {
            Map<Part, Double> fractions = new LinkedHashMap<>();
            JsonObject f = root.getAsJsonObject("fractions");
            for (Part p : Part.values()) {
                if (!f.has(p.key())) {
                    throw new IOException(file + ": fractions have no '" + p.key() + "'");
                }
                fractions.put(p, f.get(p.key()).getAsDouble());
            }
            Map<String, Part> patients = new TreeMap<>();
            for (Map.Entry<String, JsonElement> e : root.getAsJsonObject("patients").entrySet()) {
                patients.put(e.getKey(), Part.parse(e.getValue().getAsString(), file));
            }
            Map<String, Part> cases = new TreeMap<>();
            for (Map.Entry<String, JsonElement> e : root.getAsJsonObject("cases").entrySet()) {
                cases.put(e.getKey(), Part.parse(e.getValue().getAsString(), file));
            }
            return new PatientSplit(root.get("seed").getAsLong(), fractions, patients, cases);
        } catch (ClassCastException | IllegalStateException | NumberFormatException | UnsupportedOperationException e) {
            throw new IOException(file + ": malformed split (" + e.getMessage() + ")", e);
        }
    }
}
