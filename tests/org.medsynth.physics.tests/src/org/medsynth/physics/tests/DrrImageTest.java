package org.medsynth.physics.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.medsynth.data.phantom.Phantoms;
import org.medsynth.physics.AttenuationModel;
import org.medsynth.physics.BeerLambert;
import org.medsynth.physics.ProjectionGeometry;
import org.medsynth.physics.Volume;
import org.medsynth.physics.XRayProjector;
import org.medsynth.physics.XRayProjector.Method;

/**
 * Renders Beer–Lambert radiographs of a HU phantom over a C-arm sweep and saves them as PNGs under
 * target/drr-images for a look; checks what a radiograph must show.
 */
class DrrImageTest {

    @Test
    void sweepOfRadiographsShowsBoneDarkerThanSoftTissueAndNoiseAroundTheMean() throws IOException {
        int n = 64;
        // Shepp–Logan values ×1000 − 1000 as HU: air outside, a bone-dense skull (+1000 HU) and soft tissue inside
        float[] values = Phantoms.data(Phantoms.sheppLogan3d(n, 3, 2));
        float[] hu = new float[values.length];
        for (int i = 0; i < hu.length; i++) {
            hu[i] = values[i] >= 0.99f ? 1000 : values[i] == 0 ? -1000 : (values[i] - 0.2f) * 1000 + 40;
        }
        Volume mu = AttenuationModel.atKvp(80).attenuation(Volume.cube(hu, n, 3));
        List<ProjectionGeometry> sweep = ProjectionGeometry.cArmSweep(600, 1000, 96, 96, 3.2, 3.2, -60, 60, 30);
        Path dir = Path.of("target", "drr-images");
        Files.createDirectories(dir);
        for (int v = 0; v < sweep.size(); v++) {
            float[] p = XRayProjector.lineIntegrals(mu, sweep.get(v), Method.SIDDON, 0);
            float[] transmitted = BeerLambert.transmission(p);
            float[] counts = BeerLambert.photonCounts(p, 2000, 17 + v);
            assertArrayEquals(counts, BeerLambert.photonCounts(p, 2000, 17 + v), "seeded noise repeats");
            // the central ray crosses the skull twice and the brain; an outside ray sees only air
            assertTrue(transmitted[48 + 96 * 48] < 0.5f && transmitted[0] > 0.999f);
            double max = max(p);
            save(scale(p, max), 96, dir.resolve("drr-" + (v * 30 - 60) + "deg.png"));
            save(scale(BeerLambert.logTransform(counts, 2000), max), 96,
                    dir.resolve("drr-noisy-" + (v * 30 - 60) + "deg.png"));
        }
        float[] mip = XRayProjector.maximumIntensity(mu, sweep.get(2), 0.5);
        save(scale(mip, max(mip)), 96, dir.resolve("mip-0deg.png"));
    }

    static double max(float[] values) {
        double max = 0;
        for (float f : values) {
            max = Math.max(max, f);
        }
        return max;
    }

    static float[] scale(float[] values, double max) {
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) Math.min(1, values[i] / max);
        }
        return out;
    }

    /** Grey PNG of values in [0, 1]; radiographs are shown as attenuation (line integrals), bone bright. */
    static void save(float[] unit, int width, Path file) throws IOException {
        BufferedImage image = new BufferedImage(width, unit.length / width, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < unit.length; i++) {
            int g = (int) Math.round(255 * Math.max(0, Math.min(1, unit[i])));
            image.getRaster().setSample(i % width, i / width, 0, g);
        }
        ImageIO.write(image, "png", file.toFile());
    }
}
