package org.medsynth.physics.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.medsynth.data.examples.InvesaliusHeadCt;
import org.medsynth.physics.AttenuationModel;
import org.medsynth.physics.ProjectionGeometry;
import org.medsynth.physics.Volume;
import org.medsynth.physics.XRayProjector;
import org.medsynth.physics.XRayProjector.Method;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * DRRs of a real head CT (Debian package invesalius-examples, read by {@link InvesaliusHeadCt}) against reference/head_ct_drr_reference.py, and saved as PNGs
 * under target/drr-images.
 */
class HeadCtDrrTest {

    @Test
    void headCtDrrsMatchTheNumpyReference() throws IOException {
        InvesaliusHeadCt ct = InvesaliusHeadCt.readInstalled();
        assertEquals(List.of(256, 256, 108), List.of(ct.nx(), ct.ny(), ct.nz()));
        Volume volume = new Volume(ct.hu(), ct.nx(), ct.ny(), ct.nz(), ct.spacingX(), ct.spacingY(), ct.spacingZ());
        JsonObject ref = XRayProjectorTest.readJson("reference/head_ct_drr_reference.json");
        Volume mu = AttenuationModel.atKvp(ref.get("kvp").getAsDouble()).attenuation(volume);
        Files.createDirectories(Path.of("target", "drr-images"));
        int cols = ref.get("columns").getAsInt();
        int rows = ref.get("rows").getAsInt();
        for (JsonElement e : ref.getAsJsonArray("cases")) {
            double angle = e.getAsJsonObject().get("angle").getAsDouble();
            ProjectionGeometry view = ProjectionGeometry.cArm(ref.get("sod").getAsDouble(),
                    ref.get("sdd").getAsDouble(), cols, rows, ref.get("du").getAsDouble(), ref.get("dv").getAsDouble(),
                    angle);
            float[] drr = XRayProjector.lineIntegrals(mu, view, Method.TRILINEAR, ref.get("step").getAsDouble());
            assertArrayEquals(XRayProjectorTest.toFloats(e.getAsJsonObject().getAsJsonArray("image")), drr, 2e-4f,
                    "head CT DRR at " + angle + "°");
            // Siddon on the same voxels agrees with the marcher to within a few percent of the skull's integral
            float[] exact = XRayProjector.lineIntegrals(mu, view, Method.SIDDON, 0);
            double max = 0;
            double meanAbs = 0;
            for (int i = 0; i < drr.length; i++) {
                max = Math.max(max, drr[i]);
                meanAbs += Math.abs(drr[i] - exact[i]) / drr.length;
            }
            assertTrue(meanAbs < 0.02 * max, "Siddon vs trilinear mean |difference| " + meanAbs + " of " + max);
            ProjectionGeometry fine = ProjectionGeometry.cArm(600, 1000, 256, 200, 1.4, 1.4, angle);
            float[] image = XRayProjector.lineIntegrals(mu, fine, Method.SIDDON, 0);
            DrrImageTest.save(DrrImageTest.scale(image, DrrImageTest.max(image)), 256,
                    Path.of("target", "drr-images", "head-ct-" + (int) angle + "deg.png"));
        }
    }
}
