package org.medsynth.spine.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.medsynth.eval.Voxels;
import org.medsynth.spine.CobbAngle;
import org.medsynth.spine.CobbAngle.VertebraTilt;
import org.medsynth.spine.SpinePhantom;

/**
 * Per-vertebra tilts of a label map against scikit-image's regionprops orientation (reference/spine_tilts.py wrote
 * reference/spine_tilts.csv from reference/spine_labels.npy.gz, the label map this phantom draws).
 */
class SkimageReferenceTest {

    @Test
    void tiltsEqualScikitImageOnTheCommittedLabelMap() throws IOException {
        SpinePhantom spine = SpinePhantom.doubleCurve(7, 35, SpinePhantom.levelIndex("T7"), 25,
                SpinePhantom.levelIndex("L2"));
        Voxels drawn = Voxels.of(spine.labelMap(256));
        assertArrayEquals(ReferenceFiles.npyBytes(ReferenceFiles.reference("spine_labels.npy.gz"), 256 * 512),
                labelBytes(drawn), "the phantom still draws the label map the reference was computed on");
        List<String> rows = Files.readAllLines(ReferenceFiles.reference("spine_tilts.csv"),
                StandardCharsets.UTF_8);
        List<VertebraTilt> tilts = CobbAngle.fromLabelMap(spine.labelMap(256), SpinePhantom.VERTEBRAE, 2).vertebrae();
        assertEquals(SpinePhantom.VERTEBRAE, rows.size() - 1);
        for (int k = 0; k < SpinePhantom.VERTEBRAE; k++) {
            String[] fields = rows.get(k + 1).split(",");
            assertEquals(k + 1, Integer.parseInt(fields[0]));
            assertEquals(Double.parseDouble(fields[1]), tilts.get(k).tiltDegrees(), 0.1, SpinePhantom.levelName(k));
        }
    }

    private static byte[] labelBytes(Voxels v) {
        byte[] b = new byte[v.values().length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) v.values()[i];
        }
        return b;
    }
}
