package org.medsynth.eval.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import net.imglib2.img.array.ArrayImgs;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.core.api.Contribution;
import org.medsynth.core.api.Contribution.Kind;
import org.medsynth.core.api.EvaluationRequest;
import org.medsynth.core.api.EvaluationResult;
import org.medsynth.core.api.Evaluator;
import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.core.registry.Contributions;
import org.medsynth.core.registry.ImageFormats;
import org.medsynth.data.phantom.TorsoPhantom;
import org.medsynth.eval.BinaryMask;
import org.medsynth.eval.ConnectedComponents;
import org.medsynth.eval.ConnectedComponents.Connectivity;
import org.medsynth.eval.RoiMetrics;
import org.medsynth.eval.SegmentationMetrics;
import org.medsynth.eval.Voxels;

/** The segmentation and task evaluators as contributed: same values as the library, errors naming case and file. */
class TaskEvaluatorsTest {
    @TempDir
    Path folder;

    private static MedicalImage<?> image(double[] values, int[] dims, double[] spacing, IntensityUnit unit) {
        float[] f = new float[values.length];
        for (int k = 0; k < f.length; k++) {
            f[k] = (float) values[k];
        }
        long[] d = Arrays.stream(dims).asLongStream().toArray();
        return MedicalImage.of(ArrayImgs.floats(f, d), Geometry.of(spacing), Modality.OT, unit);
    }

    private static MedicalImage<?> image(BinaryMask mask) {
        double[] values = new double[mask.foreground().length];
        for (int k = 0; k < values.length; k++) {
            values[k] = mask.foreground()[k] ? 1 : 0;
        }
        return image(values, mask.dims(), mask.spacing(), IntensityUnit.LABEL);
    }

    private static MedicalImage<?> image(Voxels v) {
        return image(v.values(), v.dims(), v.spacing(), IntensityUnit.SUV_BODY_WEIGHT);
    }

    private static EvaluationResult evaluate(String id, Map<String, String> params, List<MedicalImage<?>> refs,
            List<MedicalImage<?>> cands) throws CoreException {
        return evaluate(id, params, refs, cands,
                IntStream.range(0, refs.size()).mapToObj(k -> "case-" + (k + 1)).toList());
    }

    private static EvaluationResult evaluate(String id, Map<String, String> params, List<MedicalImage<?>> refs,
            List<MedicalImage<?>> cands, List<String> caseIds) throws CoreException {
        Contribution c = Contributions.get().require(Kind.EVALUATOR, id);
        Evaluator e = Contributions.get().create(c, Evaluator.class);
        return e.evaluate(new EvaluationRequest(c, c.resolve(params), refs, cands, caseIds), new NullProgressMonitor());
    }

    private static BinaryMask ball() {
        return SegmentationReferenceTest.ellipsoid(SegmentationReferenceTest.DIMS_3D,
                SegmentationReferenceTest.SPACING_3D, new double[] {19.5, 17.0, 9.3}, new double[] {10, 9, 15});
    }

    private static BinaryMask shiftedBall() {
        return SegmentationReferenceTest.ellipsoid(SegmentationReferenceTest.DIMS_3D,
                SegmentationReferenceTest.SPACING_3D, new double[] {20.8, 16.4, 9.7}, new double[] {11, 8, 14});
    }

    private static BinaryMask empty() {
        int[] d = SegmentationReferenceTest.DIMS_3D;
        return new BinaryMask(new boolean[d[0] * d[1] * d[2]], d, SegmentationReferenceTest.SPACING_3D);
    }

    @Test
    void segmentationEvaluatorsAverageTheLibraryValuesOverCases() throws CoreException {
        List<MedicalImage<?>> refs = List.of(image(ball()), image(ball()));
        List<MedicalImage<?>> cands = List.of(image(shiftedBall()), image(ball()));
        double hd95 = SegmentationMetrics.hd95(ball(), shiftedBall());
        EvaluationResult r = evaluate("hd95", Map.of(), refs, cands);
        assertEquals(hd95, r.perCase().get("case-1"));
        assertEquals(0.0, r.perCase().get("case-2"));
        assertEquals(hd95 / 2, r.value(), 1e-12);
        EvaluationResult nsd = evaluate("nsd", Map.of("tolerance", "2.5"), refs, cands);
        assertEquals(SegmentationMetrics.nsd(ball(), shiftedBall(), 2.5), nsd.perCase().get("case-1"));
        assertEquals(SegmentationMetrics.dice(ball(), shiftedBall()), evaluate("dice", Map.of(), refs, cands)
                .perCase().get("case-1"));
        assertTrue(r.warnings().isEmpty(), r.warnings().toString());
    }

    @Test
    void emptyMasksAreReportedNextToTheirConventionalValues() throws CoreException {
        EvaluationResult r = evaluate("assd", Map.of(), List.of(image(empty()), image(ball())),
                List.of(image(empty()), image(empty())));
        assertEquals(0.0, r.perCase().get("case-1"));
        assertEquals(Double.POSITIVE_INFINITY, r.perCase().get("case-2"));
        assertEquals(List.of("case case-1: both masks are empty, counted as perfect agreement",
                "case case-2: the candidate mask is empty"), r.warnings());
    }

    @Test
    void masksOnDifferentGridsFailNamingTheCase() {
        BinaryMask coarse = SegmentationReferenceTest.ellipsoid(SegmentationReferenceTest.DIMS_3D,
                new double[] {0.7, 0.9, 3.0}, new double[] {19.5, 17.0, 9.3}, new double[] {10, 9, 15});
        CoreException e = assertThrows(CoreException.class,
                () -> evaluate("iou", Map.of(), List.of(image(ball())), List.of(image(coarse))));
        assertTrue(e.getStatus().getMessage().startsWith("case case-1: reference and candidate masks differ in voxel "
                + "spacing"), e.getStatus().getMessage());
    }

    @Test
    void lesionCountEvaluatorReportsTheDifference() throws CoreException {
        BinaryMask lesions = SegmentationReferenceTest.lesions3d();
        int[] d = lesions.dims();
        BinaryMask oneBox = SegmentationReferenceTest.box(d, lesions.spacing(), new int[] {2, 2, 1},
                new int[] {8, 8, 5});
        List<MedicalImage<?>> refs = List.of(image(oneBox));
        List<MedicalImage<?>> cands = List.of(image(lesions));
        assertEquals(7 - 1, evaluate("lesion-count", Map.of("connectivity", "face"), refs, cands).value());
        assertEquals(5 - 1, evaluate("lesion-count", Map.of(), refs, cands).value());
        assertEquals(4, evaluate("lesion-count", Map.of("count", "candidate", "connectivity", "face", "min-voxels",
                "3"), refs, cands).value());
        assertEquals(1, evaluate("lesion-count", Map.of("count", "reference"), refs, cands).value());
    }

    @Test
    void vertebraeOfTheTorsoPhantomAreCountedOnABoneThreshold() {
        // 274 mm = 10 periods of vertebra and disc less the last disc: the spine ends with a whole vertebra
        TorsoPhantom torso = new TorsoPhantom(0, 274);
        Voxels ct = Voxels.of(torso.rasterise(64, 137, 5, 1));
        boolean[] bone = new boolean[ct.values().length];
        for (int k = 0; k < bone.length; k++) {
            bone[k] = ct.values()[k] > 500;
        }
        BinaryMask mask = new BinaryMask(bone, ct.dims(), ct.spacing());
        assertEquals(10, torso.vertebraCount());
        assertEquals(torso.vertebraCount(), ConnectedComponents.count(mask, Connectivity.FULL, 1, 0));
    }

    private Path writeMask(String name, BinaryMask mask) throws IOException, CoreException {
        Path file = folder.resolve(name);
        ImageFormats.get().write(image(mask), file);
        return file;
    }

    @Test
    void suvBiasAndCnrReadTheirMasksFromFiles() throws IOException, CoreException {
        Voxels ref = SegmentationReferenceTest.petImage(false);
        Voxels cand = SegmentationReferenceTest.petImage(true);
        Path roi = writeMask("lesion.mha", SegmentationReferenceTest.lesionRoi());
        Path background = writeMask("background.mha", SegmentationReferenceTest.backgroundRoi());
        List<MedicalImage<?>> refs = List.of(image(ref));
        List<MedicalImage<?>> cands = List.of(image(cand));
        // float32 pixels: agreement with the double-precision library to float rounding
        Voxels refFloat = Voxels.of(refs.get(0));
        Voxels candFloat = Voxels.of(cands.get(0));
        BinaryMask lesion = SegmentationReferenceTest.lesionRoi();
        double meanBias = RoiMetrics.mean(candFloat, lesion) - RoiMetrics.mean(refFloat, lesion);
        assertEquals(meanBias, evaluate("suv-bias", Map.of("roi", roi.toString()), refs, cands).value(), 1e-12);
        double maxRef = RoiMetrics.max(refFloat, lesion);
        assertEquals(100 * (RoiMetrics.max(candFloat, lesion) - maxRef) / maxRef, evaluate("suv-bias",
                Map.of("roi", roi.toString(), "suv", "max", "relative", "true"), refs, cands).value(), 1e-9);
        assertEquals(RoiMetrics.cnr(candFloat, lesion, SegmentationReferenceTest.backgroundRoi()), evaluate("cnr",
                Map.of("roi", roi.toString(), "background", background.toString()), refs, cands).value(), 1e-12);
        Voxels arbitrary = SegmentationReferenceTest.petImage(false);
        EvaluationResult notSuv = evaluate("suv-bias", Map.of("roi", roi.toString()),
                List.of(image(arbitrary.values(), arbitrary.dims(), arbitrary.spacing(), IntensityUnit.ARBITRARY)), cands);
        assertEquals(List.of("case case-1: reference is in a.u., not SUV; the bias is in its units"), notSuv.warnings());
        BinaryMask small = SegmentationReferenceTest.lesions3d();
        CoreException shapes = assertThrows(CoreException.class, () -> evaluate("suv-bias",
                Map.of("roi", roi.toString()), refs, List.of(image(small))));
        assertEquals("case case-1: reference is 40×36×20 but candidate is 30×30×12", shapes.getStatus().getMessage());
        Path wrongGrid = writeMask("wrong.mha", SegmentationReferenceTest.lesions3d());
        CoreException e = assertThrows(CoreException.class,
                () -> evaluate("suv-bias", Map.of("roi", wrongGrid.toString()), refs, cands));
        assertTrue(e.getStatus().getMessage().startsWith("case case-1: " + wrongGrid + ": mask and image differ in shape"),
                e.getStatus().getMessage());
    }

    @Test
    void suvBiasTakesOneMaskPerCaseFromAFolderByTheCaseFileName() throws IOException, CoreException {
        Path masks = Files.createDirectory(folder.resolve("masks"));
        Files.move(writeMask("p1.mha", SegmentationReferenceTest.lesionRoi()), masks.resolve("p1.mha"));
        Files.move(writeMask("p2.mha", SegmentationReferenceTest.backgroundRoi()), masks.resolve("p2.mha"));
        MedicalImage<?> ref = image(SegmentationReferenceTest.petImage(false));
        MedicalImage<?> cand = image(SegmentationReferenceTest.petImage(true));
        EvaluationResult r = evaluate("suv-bias", Map.of("roi", masks.toString()), List.of(ref, ref),
                List.of(cand, cand), List.of("p1.mha", "p2.mha"));
        for (String caseId : List.of("p1.mha", "p2.mha")) {
            BinaryMask roi = caseId.equals("p1.mha") ? SegmentationReferenceTest.lesionRoi()
                    : SegmentationReferenceTest.backgroundRoi();
            assertEquals(RoiMetrics.mean(Voxels.of(cand), roi) - RoiMetrics.mean(Voxels.of(ref), roi),
                    r.perCase().get(caseId), 1e-12, caseId);
            assertEquals(new EvaluationResult.Measurement(RoiMetrics.mean(Voxels.of(ref), roi),
                    RoiMetrics.mean(Voxels.of(cand), roi)), r.measurements().get(caseId), caseId);
        }
        CoreException missing = assertThrows(CoreException.class, () -> evaluate("suv-bias",
                Map.of("roi", masks.toString()), List.of(ref), List.of(cand), List.of("p3.mha")));
        assertTrue(missing.getStatus().getMessage().startsWith("case p3.mha: " + masks.resolve("p3.mha")),
                missing.getStatus().getMessage());
    }

    private Path csv(String text) throws IOException {
        Path file = folder.resolve("angles.csv");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void cobbAgreementReadsAnglesFromCsv() throws IOException, CoreException {
        Path angles = csv("# Cobb angles in degrees\ncase,reference,candidate\na,10,12\nb,20,19\n\nc,30,33\nd,45,44\n");
        List<MedicalImage<?>> unused = List.of(image(ball()));
        EvaluationResult bias = evaluate("cobb-agreement", Map.of("angles", angles.toString()), unused, unused);
        assertEquals(0.75, bias.value(), 1e-12);
        assertEquals(Map.of("a", 2.0, "b", -1.0, "c", 3.0, "d", -1.0), bias.perCase());
        assertEquals(List.of("a", "b", "c", "d"), List.copyOf(bias.measurements().keySet()));
        assertEquals(new EvaluationResult.Measurement(30, 33), bias.measurements().get("c"));
        EvaluationResult slope = evaluate("cobb-agreement", Map.of("angles", angles.toString(), "statistic",
                "slope-angle"), unused, unused);
        // least squares through (10,12) (20,19) (30,33) (45,44): slope = Sxy / Sxx = 635 / 668.75
        assertEquals(Math.toDegrees(Math.atan(635 / 668.75)), slope.value(), 1e-9);
    }

    @Test
    void badAngleRowsFailNamingFileAndLine() throws IOException {
        List<MedicalImage<?>> unused = List.of(image(ball()));
        Path angles = csv("case,reference,candidate\na,10,12\nb,twenty,19\n");
        CoreException number = assertThrows(CoreException.class,
                () -> evaluate("cobb-agreement", Map.of("angles", angles.toString()), unused, unused));
        assertEquals(angles + " line 3: reference angle 'twenty' is not a finite number",
                number.getStatus().getMessage());
        csv("case,reference,candidate\na,10,12\nb,20\n");
        CoreException fields = assertThrows(CoreException.class,
                () -> evaluate("cobb-agreement", Map.of("angles", angles.toString()), unused, unused));
        assertTrue(fields.getStatus().getMessage().startsWith(angles + " line 3: expected 3 fields"),
                fields.getStatus().getMessage());
        csv("id,ref,cand\na,10,12\n");
        CoreException header = assertThrows(CoreException.class,
                () -> evaluate("cobb-agreement", Map.of("angles", angles.toString()), unused, unused));
        assertTrue(header.getStatus().getMessage().startsWith(angles + " line 1: expected the header"),
                header.getStatus().getMessage());
        Path missing = folder.resolve("none.csv");
        CoreException absent = assertThrows(CoreException.class,
                () -> evaluate("cobb-agreement", Map.of("angles", missing.toString()), unused, unused));
        assertEquals(missing + ": does not exist", absent.getStatus().getMessage());
    }
}
