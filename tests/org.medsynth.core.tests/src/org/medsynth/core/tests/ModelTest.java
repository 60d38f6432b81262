package org.medsynth.core.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import net.imglib2.img.array.ArrayImgs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.core.api.ParameterSpec;
import org.medsynth.core.api.ParameterValues;
import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.core.image.Provenance;
import org.medsynth.core.jobs.DeviceRule;
import org.medsynth.core.jobs.OutputStaging;

/** Image model, parameters, device rules and output staging. */
class ModelTest {
    @TempDir
    Path work;

    @Test
    void geometryMapsIndicesToPatientCoordinatesAndBack() {
        double c = Math.cos(Math.toRadians(30));
        double s = Math.sin(Math.toRadians(30));
        // columns are axis directions: x axis rotated 30° about z
        Geometry g = new Geometry(new double[] {0.5, 0.8, 2.5}, new double[] {-10, 20, 5},
                new double[] {c, -s, 0, s, c, 0, 0, 0, 1});
        double[] p = g.indexToPhysical(new double[] {2, 1, 4});
        assertArrayEquals(new double[] {-10 + c * 1.0 - s * 0.8, 20 + s * 1.0 + c * 0.8, 15}, p, 1e-12);
        assertArrayEquals(new double[] {2, 1, 4}, g.physicalToIndex(p), 1e-12);
    }

    @Test
    void geometryRejectsImpossibleValues() {
        assertThrows(IllegalArgumentException.class, () -> Geometry.of(new double[] {1, 0}));
        assertThrows(IllegalArgumentException.class, () -> new Geometry(new double[] {1, 1}, new double[2],
                new double[] {1, 1, 0, 1}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MedicalImage.of(ArrayImgs.floats(4, 4, 4), Geometry.isotropic(2, 1), Modality.CT, IntensityUnit.HOUNSFIELD));
        assertTrue(e.getMessage().contains("3 axes"), e.getMessage());
    }

    @Test
    void provenanceSurvivesJsonAndSaysSynthetic() {
        Provenance p = new Provenance(true, "phantom.torso", "0.1.0", "card", "ab12", 42, Map.of("size", "64"),
                List.of("in.mha@sha256:00"), "0.1.0", Instant.parse("2026-01-02T03:04:05Z"));
        Provenance back = Provenance.fromJson(p.toJson());
        assertEquals(p, back);
        assertFalse(p.toJson().contains("\n"), "embedded form is one line");
        assertTrue(p.summary().startsWith("SYNTHETIC"));
        assertFalse(Provenance.acquired().synthetic());
    }

    @Test
    void parametersAreValidatedAgainstTheirDeclaration() {
        List<ParameterSpec> specs = List.of(
                new ParameterSpec("size", ParameterSpec.Type.INT, "64", 16.0, 512.0, null, "px", "Side."),
                new ParameterSpec("mode", ParameterSpec.Type.CHOICE, "a", null, null, List.of("a", "b"), null, "Mode."),
                new ParameterSpec("sigma", ParameterSpec.Type.DOUBLE, null, 0.0, null, null, null, "Noise."));
        ParameterValues v = ParameterValues.resolve(specs, Map.of("sigma", "0.5"));
        assertEquals(64, v.getInt("size"));
        assertEquals("a", v.getString("mode"));
        assertEquals(0.5, v.getDouble("sigma"));
        assertEquals(Map.of("size", "64", "mode", "a", "sigma", "0.5"), v.asText());
        assertMessage("'size': 8 is below the minimum 16", specs, Map.of("sigma", "1", "size", "8"));
        assertMessage("'size': '2.5' is not an integer", specs, Map.of("sigma", "1", "size", "2.5"));
        assertMessage("'mode': 'c' is not one of [a, b]", specs, Map.of("sigma", "1", "mode", "c"));
        assertMessage("'sigma' is required", specs, Map.of());
        assertMessage("unknown parameter 'colour'", specs, Map.of("sigma", "1", "colour", "red"));
    }

    private static void assertMessage(String expected, List<ParameterSpec> specs, Map<String, String> given) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ParameterValues.resolve(specs, given));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void gpuRulesConflictPerDeviceAndCpuRulesNever() {
        assertTrue(DeviceRule.of("gpu").isConflicting(DeviceRule.of("gpu:0")));
        assertFalse(DeviceRule.of("gpu:0").isConflicting(DeviceRule.of("gpu:1")));
        assertFalse(DeviceRule.cpu().isConflicting(DeviceRule.cpu()));
        DeviceRule cpu = DeviceRule.cpu();
        assertTrue(cpu.isConflicting(cpu), "a rule conflicts with itself");
        assertFalse(DeviceRule.of("gpu:0").isConflicting(DeviceRule.cpu()));
        assertThrows(IllegalArgumentException.class, () -> DeviceRule.of("tpu"));
    }

    @Test
    void stagingCommitsAtomicallyAndNeverOverwrites() throws Exception {
        Path dest = work.resolve("out");
        try (OutputStaging staging = OutputStaging.begin(dest)) {
            Files.writeString(staging.folder().resolve("a.txt"), "a");
            assertFalse(Files.exists(dest), "nothing visible before commit");
            assertEquals(List.of(dest.resolve("a.txt")), staging.commit());
        }
        assertEquals("a", Files.readString(dest.resolve("a.txt")));
        try (OutputStaging second = OutputStaging.begin(dest)) {
            Files.writeString(second.folder().resolve("b.txt"), "b");
            Files.writeString(second.folder().resolve("a.txt"), "other");
            assertThrows(FileAlreadyExistsException.class, second::commit);
        }
        assertEquals("a", Files.readString(dest.resolve("a.txt")));
        assertFalse(Files.exists(dest.resolve("b.txt")), "a refused commit moves nothing");
        try (var files = Files.list(work)) {
            assertEquals(List.of(dest), files.toList(), "staging folders are removed");
        }
    }
}
