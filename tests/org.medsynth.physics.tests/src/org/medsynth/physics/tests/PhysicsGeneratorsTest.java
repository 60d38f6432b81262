package org.medsynth.physics.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.IStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.core.api.Contribution;
import org.medsynth.core.api.Contribution.Kind;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.jobs.GenerationJob;
import org.medsynth.core.registry.Contributions;
import org.medsynth.core.registry.ImageFormats;
import org.medsynth.data.phantom.Phantoms;
import org.medsynth.data.phantom.TorsoPhantom;
import org.medsynth.physics.AttenuationModel;
import org.medsynth.physics.BeerLambert;
import org.medsynth.physics.CoilSensitivities;
import org.medsynth.physics.ComplexArray;
import org.medsynth.physics.ConjugateGradient;
import org.medsynth.physics.FilteredBackProjection;
import org.medsynth.physics.PhysicsImages;
import org.medsynth.physics.ProjectionGeometry;
import org.medsynth.physics.Radon;
import org.medsynth.physics.RadonGeometry;
import org.medsynth.physics.SamplingMasks;
import org.medsynth.physics.SenseOperator;
import org.medsynth.physics.Volume;
import org.medsynth.physics.XRayProjector;

/**
 * The physics generators through the real {@link GenerationJob}: what they write equals the operators called
 * directly on the same input, with the right 2D geometry and provenance, and bad input fails with a message.
 */
class PhysicsGeneratorsTest {

    @TempDir
    Path work;

    @Test
    void drrViewsEqualTheProjectorOnTheSameVolumeWithDetectorGeometryAndProvenance() throws Exception {
        MedicalImage<?> torso = new TorsoPhantom(-60, 60).rasterise(32, 12, 12.5, 1);
        Path input = write(torso, "torso.mha");
        Map<String, String> parameters = Map.of("views", "-30, 0,45", "detector-columns", "40", "detector-rows",
                "24", "column-spacing", "16", "row-spacing", "12", "kvp", "100");
        List<MedicalImage<?>> views = run("physics.drr", parameters, input, "drr-00", "drr-01", "drr-02");
        Volume mu = AttenuationModel.atKvp(100).attenuation(PhysicsImages.volume(ImageFormats.get().read(input)));
        double[] angles = {-30, 0, 45};
        for (int v = 0; v < angles.length; v++) {
            float[] expected = XRayProjector.lineIntegrals(mu, ProjectionGeometry.cArm(600, 1000, 40, 24, 16, 12,
                    angles[v]), XRayProjector.Method.SIDDON, 0);
            MedicalImage<?> view = views.get(v);
            assertArrayEquals(new long[] {40, 24}, view.dimensions());
            assertArrayEquals(expected, PhysicsImages.pixels2d(view), "view " + v);
            assertArrayEquals(new double[] {16, 12}, view.geometry().spacing());
            assertArrayEquals(new double[] {-19.5 * 16, -11.5 * 12}, view.geometry().origin(), 1e-9);
            assertEquals(IntensityUnit.OPACITY, view.unit());
            assertTrue(view.isSynthetic());
            assertEquals("physics.drr", view.provenance().generatorId());
            assertEquals("-30, 0,45", view.provenance().parameters().get("views"));
            assertEquals("siddon", view.provenance().parameters().get("method"));
        }
        // the central ray of the frontal view crosses the body: clearly attenuated
        assertTrue(PhysicsImages.pixels2d(views.get(1))[20 + 40 * 12] > 2);

        // parallel beam, trilinear, intensity with Poisson noise: reproducible for a seed, counts over photons
        Map<String, String> noisy = Map.of("geometry", "parallel", "method", "trilinear", "views", "90",
                "detector-columns", "40", "detector-rows", "24", "column-spacing", "12", "row-spacing", "12",
                "photons", "400", "output", "intensity");
        float[] first = PhysicsImages.pixels2d(run("physics.drr", noisy, input, "drr-00").get(0));
        float[] again = PhysicsImages.pixels2d(run("physics.drr", noisy, input, "drr-00").get(0));
        assertArrayEquals(first, again, "same seed, same noise");
        float[] clean = BeerLambert.transmission(XRayProjector.lineIntegrals(mu,
                ProjectionGeometry.parallel(40, 24, 12, 12, 90), XRayProjector.Method.TRILINEAR, 0.5));
        double meanNoisy = 0;
        double meanClean = 0;
        for (int i = 0; i < first.length; i++) {
            assertEquals(Math.rint(first[i] * 400), first[i] * 400, 1e-3, "whole photon counts");
            meanNoisy += first[i] / first.length;
            meanClean += clean[i] / clean.length;
        }
        // 960 pixels of ≥ 400 photons: the mean transmission is within a few standard errors
        assertEquals(meanClean, meanNoisy, 0.01);
        assertFalse(Arrays.equals(clean, first), "noise was added");
    }

    @Test
    void drrOfA2dImageFailsSayingItNeedsAVolume() throws Exception {
        Path input = write(new TorsoPhantom(-60, 60).axialSlice(32, 12.5, 0, 1), "slice.mha");
        String message = failure("physics.drr", Map.of(), input);
        assertTrue(message.contains("physics.drr needs a 3D CT volume in HU") && message.contains("2D"), message);
    }

    @Test
    void sinogramAndFbpEqualRadonAndFilteredBackProjectionOnTheSameImage() throws Exception {
        int n = 48;
        double pixel = 0.5;
        MedicalImage<?> phantom = Phantoms.sheppLogan2d(n, pixel, 2);
        Path input = write(phantom, "phantom.mha");
        float[] pixels = PhysicsImages.pixels2d(ImageFormats.get().read(input));

        MedicalImage<?> sinogram = run("physics.ct-sinogram", Map.of("views", "60"), input, "sinogram").get(0);
        // default bins: the diagonal of 48² pixels of 1 mm bins at 0.5 mm pixels → 0.5 · 67.9 + 1
        RadonGeometry parallel = new RadonGeometry(RadonGeometry.parallel(60, 1).anglesRadians(), 35, 2, 0, 0);
        float[] expected = Radon.forward(pixels, n, n, parallel);
        float[] actual = PhysicsImages.pixels2d(sinogram);
        assertArrayEquals(new long[] {35, 60}, sinogram.dimensions());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i] * (float) pixel, actual[i], "value × mm at " + i);
        }
        assertArrayEquals(new double[] {1, 3}, sinogram.geometry().spacing(), 1e-12, "1 mm bins, 3° per view");

        Map<String, String> fan = Map.of("geometry", "fan", "views", "180", "bins", "80", "detector-spacing", "0.75",
                "source-to-centre", "60", "source-to-detector", "90", "filter", "hann");
        MedicalImage<?> fbp = run("physics.fbp", fan, input, "fbp").get(0);
        RadonGeometry fanScan = RadonGeometry.fan(180, 80, 1.5, 120, 180);
        float[] reconstructed = FilteredBackProjection.reconstruct(Radon.forward(pixels, n, n, fanScan), n, n,
                fanScan, FilteredBackProjection.Filter.HANN);
        assertArrayEquals(reconstructed, PhysicsImages.pixels2d(fbp));
        assertEquals(phantom.geometry(), fbp.geometry());
        assertTrue(relativeError(reconstructed, pixels) < 0.5, "FBP error " + relativeError(reconstructed, pixels));
    }

    @Test
    void mriUndersamplingEqualsTheSenseOperatorAndCgSenseBeatsZeroFilling() throws Exception {
        int n = 32;
        MedicalImage<?> phantom = Phantoms.sheppLogan2d(n, 1.5, 2);
        Path input = write(phantom, "phantom.mha");
        float[] pixels = PhysicsImages.pixels2d(ImageFormats.get().read(input));
        Map<String, String> parameters = Map.of("acceleration", "3", "centre-fraction", "0.25", "coils", "4",
                "cg-sense", "true", "cg-iterations", "50");
        List<MedicalImage<?>> out = run("physics.mri-undersample", parameters, input, "mask", "zero-filled",
                "cg-sense");
        boolean[] mask = SamplingMasks.uniform1d(n, n, 3, 8);
        float[] maskValues = PhysicsImages.pixels2d(out.get(0));
        for (int i = 0; i < mask.length; i++) {
            assertEquals(mask[i] ? 1 : 0, maskValues[i], "mask at " + i);
        }
        SenseOperator a = new SenseOperator(CoilSensitivities.simulate(4, n, n), new int[] {n, n}, mask);
        ComplexArray adjoint = a.adjoint(a.forward(ComplexArray.ofReal(pixels)));
        assertArrayEquals(adjoint.magnitude(), PhysicsImages.pixels2d(out.get(1)));
        float[] sense = ConjugateGradient.solve(a.normal(1e-6), adjoint, 50, 1e-8).magnitude();
        assertArrayEquals(sense, PhysicsImages.pixels2d(out.get(2)));
        assertEquals(phantom.geometry(), out.get(2).geometry());
        double zeroFilledError = relativeError(adjoint.magnitude(), pixels);
        double senseError = relativeError(sense, pixels);
        assertTrue(senseError < 0.5 * zeroFilledError, "SENSE " + senseError + ", zero-filled " + zeroFilledError);

        String message = failure("physics.mri-undersample", Map.of("acceleration", "2.5"), input);
        assertTrue(message.contains("whole number"), message);
    }

    private Path write(MedicalImage<?> image, String name) throws Exception {
        Path file = work.resolve(name);
        ImageFormats.get().write(image, file);
        return file;
    }

    private List<MedicalImage<?>> run(String generator, Map<String, String> parameters, Path input, String... names)
            throws Exception {
        Path out = Files.createTempDirectory(work, generator);
        GenerationJob job = job(generator, parameters, input, out);
        job.schedule();
        job.join();
        assertTrue(job.getResult().isOK(), job.getResult().toString());
        List<MedicalImage<?>> images = new java.util.ArrayList<>();
        for (String name : names) {
            images.add(ImageFormats.get().read(out.resolve(name + ".mha")));
        }
        return images;
    }

    private String failure(String generator, Map<String, String> parameters, Path input) throws Exception {
        Path out = work.resolve("never");
        GenerationJob job = job(generator, parameters, input, out);
        job.schedule();
        job.join();
        assertEquals(IStatus.ERROR, job.getResult().getSeverity());
        assertFalse(Files.exists(out), "no output after a refused input");
        return job.getResult().getMessage();
    }

    private static GenerationJob job(String generator, Map<String, String> parameters, Path input, Path out) {
        Contribution contribution = Contributions.get().require(Kind.GENERATOR, generator);
        return new GenerationJob(contribution, parameters, 7, 1, List.of(input), out, List.of("mha"), "cpu");
    }

    private static double relativeError(float[] estimate, float[] truth) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < truth.length; i++) {
            num += Math.pow(estimate[i] - truth[i], 2);
            den += (double) truth[i] * truth[i];
        }
        return Math.sqrt(num / den);
    }
}
