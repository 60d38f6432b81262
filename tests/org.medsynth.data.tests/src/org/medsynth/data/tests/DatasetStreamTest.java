package org.medsynth.data.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.core.registry.ImageFormats;
import org.medsynth.data.dataset.Dataset;
import org.medsynth.data.dataset.DatasetStream;

/** Streaming a dataset larger than the memory budget: order, content and the bytes held. */
class DatasetStreamTest {
    private static final int CASES = 8;
    /** 32 × 32 × 16 float pixels. */
    private static final long CASE_BYTES = 32 * 32 * 16 * 4;

    @TempDir
    Path work;

    private Dataset dataset() throws Exception {
        for (int i = 0; i < CASES; i++) {
            ImageFormats.get().write(TestImages.ramp(1000 * i, 32, 32, 16), work.resolve(String.format("case%02d.mha", i)));
        }
        return Dataset.open("adapter.folder", work, Map.of());
    }

    @Test
    void aDatasetLargerThanTheBudgetStreamsWithinIt() throws Exception {
        Dataset d = dataset();
        long budget = 2 * CASE_BYTES + CASE_BYTES / 2;
        assertTrue(CASES * CASE_BYTES > 3 * budget, "the dataset must not fit");
        try (DatasetStream stream = new DatasetStream(d, d.cases(), budget)) {
            int i = 0;
            while (stream.hasNext()) {
                DatasetStream.Loaded loaded = stream.next();
                assertEquals(String.format("case%02d", i), loaded.datasetCase().id());
                assertEquals(CASE_BYTES, loaded.bytes());
                assertEquals(CASE_BYTES, Dataset.bytes(loaded.images().get(Dataset.IMAGE)));
                assertArrayEquals(TestImages.values(TestImages.ramp(1000 * i, 32, 32, 16)),
                        TestImages.values(loaded.images().get(Dataset.IMAGE)), 0);
                long held = stream.heldBytes();
                assertTrue(held >= CASE_BYTES && held <= budget, "held " + held + " bytes");
                i++;
            }
            assertEquals(CASES, i);
            assertTrue(stream.peakHeldBytes() <= budget, "peak " + stream.peakHeldBytes() + " > budget " + budget);
            assertTrue(stream.peakHeldBytes() >= CASE_BYTES);
            stream.close();
            assertEquals(0, stream.heldBytes());
            assertFalse(stream.hasNext());
        }
    }

    @Test
    void closingMidwayReleasesEverything() throws Exception {
        Dataset d = dataset();
        DatasetStream stream = new DatasetStream(d, d.cases(), 3 * CASE_BYTES);
        assertEquals("case00", stream.next().datasetCase().id());
        assertTrue(stream.heldBytes() >= CASE_BYTES);
        stream.close();
        assertEquals(0, stream.heldBytes());
        assertFalse(stream.hasNext());
        assertThrows(java.util.NoSuchElementException.class, stream::next);
    }

    @Test
    void aCaseLargerThanTheBudgetIsNamed() throws Exception {
        Dataset d = dataset();
        try (DatasetStream stream = new DatasetStream(d, d.cases(), CASE_BYTES - 1)) {
            UncheckedIOException e = assertThrows(UncheckedIOException.class, stream::next);
            assertTrue(e.getMessage().contains("case00") && e.getMessage().contains("more than the memory budget"),
                    e.getMessage());
            assertTrue(stream.peakHeldBytes() < CASE_BYTES);
        }
        assertThrows(IllegalArgumentException.class, () -> new DatasetStream(d, d.cases(), 0));
    }
}
