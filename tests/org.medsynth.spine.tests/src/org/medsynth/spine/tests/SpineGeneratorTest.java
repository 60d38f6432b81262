package org.medsynth.spine.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.core.api.Contribution;
import org.medsynth.core.api.Contribution.Kind;
import org.medsynth.core.api.EvaluationRequest;
import org.medsynth.core.api.EvaluationResult;
import org.medsynth.core.api.Evaluator;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.core.jobs.GenerationJob;
import org.medsynth.core.jobs.RunHistory;
import org.medsynth.core.registry.Contributions;
import org.medsynth.core.registry.ImageFormats;
import org.medsynth.data.phantom.Phantoms;
import org.medsynth.eval.Voxels;

/**
 * The spine.phantom generator through the real generation job (outputs, provenance, determinism, refused
 * parameters) and the spine.cobb-agreement evaluator on its radiographs.
 */
class SpineGeneratorTest {
    @TempDir
    Path work;

    private Path generate(Map<String, String> parameters, long seed, int count, String name) throws Exception {
        System.setProperty(RunHistory.FOLDER_PROPERTY, work.resolve("runs").toString());
        Path out = work.resolve(name);
        GenerationJob job = new GenerationJob(Contributions.get().require(Kind.GENERATOR, "spine.phantom"), parameters,
                seed, count, List.of(), out, List.of("mha"), "cpu");
        job.schedule();
        job.join();
        assertTrue(job.getResult().isOK(), job.getResult().toString());
        return out;
    }

    @Test
    void writesTheThreeRenderingsOfEachSpineWithProvenance() throws Exception {
        Path out = generate(Map.of("cobb-angle", "35", "size", "128"), 5, 2, "run");
        for (int i = 0; i < 2; i++) {
            MedicalImage<?> xray = ImageFormats.get().read(out.resolve("spine-00" + i + "-x-ray.mha"));
            MedicalImage<?> us = ImageFormats.get().read(out.resolve("spine-00" + i + "-ultrasound.mha"));
            MedicalImage<?> labels = ImageFormats.get().read(out.resolve("spine-00" + i + "-labels.mha"));
            assertEquals(Modality.DX, xray.modality());
            assertEquals(Modality.US, us.modality());
            assertEquals(IntensityUnit.LABEL, labels.unit());
            for (MedicalImage<?> image : List.of(xray, us, labels)) {
                assertTrue(image.isSynthetic());
                assertEquals("spine.phantom", image.provenance().generatorId());
                assertEquals(5, image.provenance().seed());
                assertEquals("35", image.provenance().parameters().get("cobb-angle"), "the true Cobb angle");
                assertArrayEquals(new long[] {128, 256}, image.dimensions());
            }
        }
        Path again = generate(Map.of("cobb-angle", "35", "size", "128"), 5, 1, "again");
        assertArrayEquals(pixels(out.resolve("spine-000-x-ray.mha")), pixels(again.resolve("spine-000-x-ray.mha")),
                "same seed, same pixels");
        assertFalse(java.util.Arrays.equals(pixels(out.resolve("spine-000-x-ray.mha")),
                pixels(out.resolve("spine-001-x-ray.mha"))), "each sample its own anatomy");
    }

    @Test
    void refusesBadParametersNamingThemAndWritesNothing() throws Exception {
        assertRefused(Map.of("cobb-angle", "95"), "cobb-angle");
        assertRefused(Map.of("curve", "S", "apex", "L2", "lower-apex", "T8"), "below the upper apex");
        assertRefused(Map.of("outputs", "x-ray,mri"), "mri");
    }

    private void assertRefused(Map<String, String> parameters, String named) throws InterruptedException {
        System.setProperty(RunHistory.FOLDER_PROPERTY, work.resolve("runs").toString());
        Path out = work.resolve("refused");
        GenerationJob job = new GenerationJob(Contributions.get().require(Kind.GENERATOR, "spine.phantom"), parameters,
                1, 1, List.of(), out, List.of("mha"), "cpu");
        job.schedule();
        job.join();
        assertEquals(IStatus.ERROR, job.getResult().getSeverity());
        assertTrue(job.getResult().getMessage().contains(named), job.getResult().getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void cobbAgreementComparesMeasuredWithTrueAngles() throws Exception {
        List<MedicalImage<?>> xrays = new ArrayList<>();
        List<String> cases = new ArrayList<>();
        double[] angles = {10, 25, 40, 55};
        for (int i = 0; i < angles.length; i++) {
            Map<String, String> p = new HashMap<>(Map.of("cobb-angle", "" + angles[i], "outputs", "x-ray"));
            Path out = generate(p, 30 + i, 1, "cobb-" + i);
            xrays.add(ImageFormats.get().read(out.resolve("spine-000-x-ray.mha")));
            cases.add("case-" + i);
        }
        EvaluationResult slope = evaluate(Map.of("statistic", "slope-angle"), List.of(), xrays, cases);
        assertEquals(45, slope.value(), 3, "atan(slope) of measured against true angles");
        for (int i = 0; i < angles.length; i++) {
            EvaluationResult.Measurement m = slope.measurements().get("case-" + i);
            assertEquals(angles[i], m.reference(), 1e-9, "true angle from the provenance");
            assertEquals(angles[i], m.candidate(), 5, "measured angle");
            assertEquals(m.candidate() - m.reference(), slope.perCase().get("case-" + i), 1e-12);
        }
        EvaluationResult r2 = evaluate(Map.of("statistic", "r-squared"), xrays, xrays, cases);
        assertTrue(r2.value() > 0.97, "R² " + r2.value());
        EvaluationResult bias = evaluate(Map.of(), List.of(), xrays, cases);
        assertTrue(Math.abs(bias.value()) < 3, "Bland–Altman bias " + bias.value());
    }

    @Test
    void cobbAgreementWithoutReferencesNeedsPhantomCandidates() {
        MedicalImage<?> other = Phantoms.sheppLogan2d(64, 1, 1);
        CoreException e = assertThrows(CoreException.class, () -> evaluate(Map.of(), List.of(), List.of(other, other,
                other), List.of("a", "b", "c")));
        assertTrue(e.getMessage().contains("spine.phantom") && e.getMessage().contains("case a"), e.getMessage());
    }

    private static EvaluationResult evaluate(Map<String, String> parameters, List<MedicalImage<?>> references,
            List<MedicalImage<?>> candidates, List<String> cases) throws CoreException {
        Contribution c = Contributions.get().require(Kind.EVALUATOR, "spine.cobb-agreement");
        Evaluator evaluator = Contributions.get().create(c, Evaluator.class);
        return evaluator.evaluate(new EvaluationRequest(c, c.resolve(parameters), references, candidates, cases),
                new NullProgressMonitor());
    }

    private static double[] pixels(Path file) throws Exception {
        return Voxels.of(ImageFormats.get().read(file)).values();
    }
}
