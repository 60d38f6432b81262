package org.medsynth.data.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.core.api.DatasetAdapter.DatasetCase;
import org.medsynth.data.dataset.PatientSplit;
import org.medsynth.data.dataset.PatientSplit.Part;

/** Patient-level splits: grouping, counts, determinism, the JSON record and its errors. */
class PatientSplitTest {
    @TempDir
    Path work;

    /** 20 patients with 1 to 3 cases each. */
    private static List<DatasetCase> cases() {
        List<DatasetCase> cases = new ArrayList<>();
        for (int p = 0; p < 20; p++) {
            for (int c = 0; c <= p % 3; c++) {
                String patient = String.format("P%02d", p);
                cases.add(new DatasetCase(patient + "-c" + c, patient, List.of(Path.of(patient + "-c" + c + ".mha")),
                        Map.of()));
            }
        }
        return cases;
    }

    @Test
    void everyPatientLandsInOneSplitWithTheRequestedShareOfPatients() {
        List<DatasetCase> cases = cases();
        PatientSplit split = PatientSplit.create(cases, 42, 0.6, 0.2, 0.2);
        Map<Part, List<DatasetCase>> parts = split.apply(cases);
        for (Part part : Part.values()) {
            Set<String> patients = parts.get(part).stream().map(DatasetCase::patientId).collect(Collectors.toSet());
            for (Part other : Part.values()) {
                if (other != part) {
                    assertTrue(parts.get(other).stream().noneMatch(c -> patients.contains(c.patientId())),
                            "a patient of " + part + " appears in " + other);
                }
            }
        }
        Map<Part, Long> patientCounts = split.patients().values().stream()
                .collect(Collectors.groupingBy(p -> p, Collectors.counting()));
        assertEquals(12L, patientCounts.get(Part.TRAIN));
        assertEquals(4L, patientCounts.get(Part.VAL));
        assertEquals(4L, patientCounts.get(Part.TEST));
        assertEquals(cases.size(), parts.values().stream().mapToInt(List::size).sum());
    }

    @Test
    void theSameSeedGivesTheSameSplitAndAnotherSeedAnother() {
        List<DatasetCase> cases = cases();
        PatientSplit a = PatientSplit.create(cases, 7, 0.7, 0.15, 0.15);
        List<DatasetCase> reversed = new ArrayList<>(cases);
        java.util.Collections.reverse(reversed);
        PatientSplit b = PatientSplit.create(reversed, 7, 0.7, 0.15, 0.15);
        assertEquals(a.patients(), b.patients(), "the split must not depend on the order of the cases");
        assertNotEquals(a.patients(), PatientSplit.create(cases, 8, 0.7, 0.15, 0.15).patients());
    }

    @Test
    void theRecordedSplitReadsBackAndReapplies() throws Exception {
        List<DatasetCase> cases = cases();
        PatientSplit split = PatientSplit.create(cases, 42, 0.5, 0.25, 0.25);
        Path file = work.resolve("split.json");
        split.write(file);
        JsonObject json = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        assertEquals(42, json.get("seed").getAsLong());
        assertEquals(0.25, json.getAsJsonObject("fractions").get("val").getAsDouble());
        assertEquals(split.ofCase("P03-c0").key(), json.getAsJsonObject("cases").get("P03-c0").getAsString());

        PatientSplit back = PatientSplit.read(file);
        assertEquals(42, back.seed());
        assertEquals(split.fractions(), back.fractions());
        assertEquals(split.patients(), back.patients());
        assertEquals(split.apply(cases), back.apply(cases));
    }

    @Test
    void dataTheSplitDoesNotKnowIsRefusedByName() {
        List<DatasetCase> cases = cases();
        PatientSplit split = PatientSplit.create(cases, 1, 0.6, 0.2, 0.2);

        List<DatasetCase> more = new ArrayList<>(cases);
        more.add(new DatasetCase("P99-c0", "P99", List.of(Path.of("x.mha")), Map.of()));
        IllegalArgumentException newCase = assertThrows(IllegalArgumentException.class, () -> split.apply(more));
        assertTrue(newCase.getMessage().contains("'P99-c0'") && newCase.getMessage().contains("not in the split"),
                newCase.getMessage());

        IllegalArgumentException patient = assertThrows(IllegalArgumentException.class, () -> split.ofPatient("P99"));
        assertTrue(patient.getMessage().contains("unknown patient 'P99'"), patient.getMessage());

        DatasetCase first = cases.get(0);
        Part own = split.ofCase(first.id());
        String elsewhere = split.patients().entrySet().stream().filter(e -> e.getValue() != own).findFirst()
                .orElseThrow().getKey();
        List<DatasetCase> moved = new ArrayList<>(cases);
        moved.set(0, new DatasetCase(first.id(), elsewhere, first.images(), first.conditions()));
        IllegalArgumentException changed = assertThrows(IllegalArgumentException.class, () -> split.apply(moved));
        assertTrue(changed.getMessage().contains("changed patient"), changed.getMessage());

        IllegalArgumentException sum = assertThrows(IllegalArgumentException.class,
                () -> PatientSplit.create(cases, 1, 0.6, 0.3, 0.3));
        assertTrue(sum.getMessage().contains("sum to 1"), sum.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PatientSplit.create(cases, 1, 1.2, -0.2, 0));
    }

    @Test
    void malformedSplitFilesAreNamed() throws Exception {
        Path file = work.resolve("bad.json");
        Files.writeString(file, "{\"seed\": 1, \"fractions\": {\"train\": 1, \"val\": 0, \"test\": 0}, \"patients\": {}}");
        IOException missing = assertThrows(IOException.class, () -> PatientSplit.read(file));
        assertTrue(missing.getMessage().contains("bad.json") && missing.getMessage().contains("no 'cases'"),
                missing.getMessage());
        Files.writeString(file, "{\"seed\": 1, \"fractions\": {\"train\": 1, \"val\": 0, \"test\": 0}, \"patients\": {},"
                + " \"cases\": {\"c\": \"holdout\"}}");
        IOException unknown = assertThrows(IOException.class, () -> PatientSplit.read(file));
        assertTrue(unknown.getMessage().contains("unknown split 'holdout'"), unknown.getMessage());
    }
}
