package org.medsynth.phantoms.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.medsynth.data.phantom.Phantoms;
import org.medsynth.ml.weights.ModelCardYaml;
import org.medsynth.phantoms.internal.SheppLoganVariations;

/** The denoiser's training data and the model-card YAML subset, checked without the engine. */
class TrainingDataTest {

    @Test
    void unvariedPhantomEqualsTheDataBundlesSheppLogan() {
        for (int size : new int[] {32, 64}) {
            float[] expected = Phantoms.data(Phantoms.sheppLogan2d(size, 1.0, SheppLoganVariations.SUPERSAMPLING));
            float[] actual = new SheppLoganVariations(size).standard();
            assertArrayEquals(expected, actual, 1e-6f, "size " + size);
        }
    }

    @Test
    void variationsDifferFromEachOtherStayInRangeAndRepeatForASeed() {
        SheppLoganVariations variations = new SheppLoganVariations(64);
        float[] first = variations.sample(new SplittableRandom(3));
        float[] second = variations.sample(new SplittableRandom(4));
        assertFalse(Arrays.equals(first, second), "two seeds gave the same phantom");
        assertFalse(Arrays.equals(first, variations.standard()), "a variation equals the plain phantom");
        assertArrayEquals(first, variations.sample(new SplittableRandom(3)), "same seed, same phantom");
        for (int seed = 0; seed < 50; seed++) {
            for (float value : variations.sample(new SplittableRandom(seed))) {
                assertTrue(value >= -1e-6f && value <= 1 + 1e-6f, "value " + value + " outside 0..1, seed " + seed);
            }
        }
    }

    @Test
    void modelCardYamlReadsBackNestedListsAndQuotedScalars() {
        String awkward = "Shepp–Logan: \"quoted\", back\\slash # not a comment";
        String yaml = String.join("\n",
                "# a comment",
                "id: phantom-denoiser",
                "architecture:",
                "  name: residual-cnn",
                "  layers: 5",
                "training:",
                "  command: " + ModelCardYaml.scalar(awkward),
                "weights:",
                "  - file: a.params",
                "    sha256: 00ff",
                "  - file: b.params",
                "license: Apache-2.0");
        Map<String, String> fields = ModelCardYaml.read(yaml);
        assertEquals("phantom-denoiser", fields.get("id"));
        assertEquals("residual-cnn", fields.get("architecture.name"));
        assertEquals("5", fields.get("architecture.layers"));
        assertEquals(awkward, fields.get("training.command"));
        assertEquals("a.params", fields.get("weights.0.file"));
        assertEquals("00ff", fields.get("weights.0.sha256"));
        assertEquals("b.params", fields.get("weights.1.file"));
        assertEquals("Apache-2.0", fields.get("license"));
        assertEquals("plain-token_1.0", ModelCardYaml.scalar("plain-token_1.0"), "simple tokens stay unquoted");
    }

    @Test
    void modelCardYamlNamesTheLineItCannotRead() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelCardYaml.read("id: x\n[flow, style]\n"));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }
}
