package org.medsynth.data.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.core.api.DatasetAdapter.DatasetCase;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.data.dataset.Dataset;
import org.medsynth.data.dataset.DatasetStream;

/**
 * Real NIfTI volumes (Debian mricron-data: atlases and templates of uint8, int16 and float32) listed in a manifest
 * and streamed through a memory budget smaller than their total; shapes, decoded sizes and voxel sums against nibabel
 * (reference/mricron_reference.py).
 */
class RealVolumesTest {
    private static final long BUDGET = 20L << 20;

    @TempDir
    Path work;

    @Test
    void realVolumesStreamWithinTheBudgetAndMatchNibabel() throws Exception {
        JsonObject reference = JsonParser.parseString(Files.readString(TestImages.reference("mricron_reference.json")))
                .getAsJsonObject();
        Path folder = Path.of(reference.get("folder").getAsString());
        JsonObject volumes = reference.getAsJsonObject("volumes");
        StringBuilder csv = new StringBuilder("id,image,patient,kind\n");
        long total = 0;
        List<String> ids = new ArrayList<>();
        for (Map.Entry<String, JsonElement> v : volumes.entrySet()) {
            String id = v.getKey().replace(".nii.gz", "");
            ids.add(id);
            String patient = id.startsWith("inia19") ? "inia19" : id;
            csv.append(id).append(',').append(folder.resolve(v.getKey())).append(',').append(patient).append(',')
                    .append(v.getValue().getAsJsonObject().get("dtype").getAsString()).append('\n');
            total += v.getValue().getAsJsonObject().get("bytes").getAsLong();
        }
        Path manifest = work.resolve("atlases.csv");
        Files.writeString(manifest, csv);
        assertTrue(total > BUDGET, "the volumes must not fit the budget together");

        Dataset d = Dataset.open("adapter.manifest", manifest, Map.of());
        assertEquals(ids, d.cases().stream().map(DatasetCase::id).toList());
        assertEquals("inia19", d.find("inia19-t1-brain").orElseThrow().patientId());
        try (DatasetStream stream = new DatasetStream(d, d.cases(), BUDGET)) {
            int i = 0;
            for (Map.Entry<String, JsonElement> v : volumes.entrySet()) {
                JsonObject expected = v.getValue().getAsJsonObject();
                DatasetStream.Loaded loaded = stream.next();
                assertEquals(ids.get(i++), loaded.datasetCase().id());
                MedicalImage<?> image = loaded.images().get(Dataset.IMAGE);
                long[] shape = expected.getAsJsonArray("shape").asList().stream().mapToLong(JsonElement::getAsLong).toArray();
                assertArrayEquals(shape, image.dimensions(), v.getKey());
                assertEquals(expected.get("bytes").getAsLong(), loaded.bytes(), v.getKey());
                double sum = Arrays.stream(TestImages.values(image)).sum();
                double expectedSum = expected.get("sum").getAsDouble();
                assertEquals(expectedSum, sum, Math.abs(expectedSum) * 1e-9, v.getKey());
                assertTrue(stream.heldBytes() <= BUDGET);
            }
            assertTrue(stream.peakHeldBytes() <= BUDGET, "peak " + stream.peakHeldBytes());
        }
    }
}
