package org.medsynth.physics.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.medsynth.physics.AttenuationModel;
import org.medsynth.physics.ProjectionGeometry;
import org.medsynth.physics.Volume;
import org.medsynth.physics.XRayProjector;
import org.medsynth.physics.XRayProjector.Method;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * DRRs of a real head CT (Debian package invesalius-examples: its Cranium.inv3 archive holds the volume as raw
 * little-endian int16 HU, 108 × 256 × 256, x fastest) against reference/head_ct_drr_reference.py, and saved as PNGs
 * under target/drr-images.
 */
class HeadCtDrrTest {

    private static final Path ARCHIVE = Path.of("/usr/share/doc/invesalius-examples/examples/Cranium.inv3");

    @Test
    void headCtDrrsMatchTheNumpyReference() throws IOException {
        assertTrue(Files.isRegularFile(ARCHIVE), ARCHIVE + " is missing: install the Debian package "
                + "invesalius-examples (listed in .mvn/os-packages.sh)");
        float[] hu = readMatrix(ARCHIVE);
        Volume volume = new Volume(hu, 256, 256, 108, 0.9570312, 0.9570312, 1.5);
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

    /** The int16 HU volume from the gzip-compressed tar archive (ustar: 512-byte headers, octal sizes). */
    static float[] readMatrix(Path archive) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
            DataInputStream data = new DataInputStream(in);
            byte[] header = new byte[512];
            while (true) {
                data.readFully(header);
                String name = new String(header, 0, 100, StandardCharsets.US_ASCII).trim().replace("\0", "");
                if (name.isEmpty()) {
                    throw new IOException(archive + " has no matrix.dat");
                }
                long size = Long.parseLong(new String(header, 124, 12, StandardCharsets.US_ASCII).trim()
                        .replace("\0", ""), 8);
                if (name.endsWith("matrix.dat")) {
                    byte[] raw = new byte[(int) size];
                    data.readFully(raw);
                    if (raw.length != 2 * 108 * 256 * 256) {
                        throw new IOException(archive + ": matrix.dat has " + raw.length + " bytes, expected int16 "
                                + "108×256×256");
                    }
                    float[] hu = new float[raw.length / 2];
                    ByteBuffer buffer = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
                    for (int i = 0; i < hu.length; i++) {
                        hu[i] = buffer.getShort();
                    }
                    return hu;
                }
                data.skipNBytes((size + 511) / 512 * 512);
            }
        }
    }
}
