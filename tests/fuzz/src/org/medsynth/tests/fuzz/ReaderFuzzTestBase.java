package org.medsynth.tests.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two tests every reader's test bundle runs against its fuzz target: the replay of the kept findings (every run)
 * and Jazzer itself (fuzz profile only).
 */
public abstract class ReaderFuzzTestBase {
    @TempDir
    protected Path work;

    /** The class with {@code fuzzerTestOneInput(byte[])}. */
    protected abstract Class<?> target();

    /** Valid inputs Jazzer starts from, written into {@link #work}. */
    protected abstract List<Path> seeds() throws Exception;

    @Test
    void keptFuzzInputsStayRefused() throws Exception {
        Optional<Path> corpus = ReaderFuzzing.corpusOf(getClass());
        assumeFalse(corpus.isEmpty() || ReaderFuzzing.keptInputs(corpus.get()).isEmpty(),
                "no fuzz findings kept for this reader");
        assertEquals(List.of(), ReaderFuzzing.replay(target(), corpus.get()));
    }

    @Test
    @EnabledIfSystemProperty(named = ReaderFuzzing.SECONDS, matches = "[0-9]+")
    void jazzerFindsNoInputThatEscapesTheReader() throws Exception {
        ReaderFuzzing.Run run = ReaderFuzzing.jazzer(target(), seeds());
        System.out.println(target().getSimpleName() + ": " + run.summary());
        assertEquals(List.of(), run.findings(), "inputs that escaped the reader (kept in fuzz-corpus/): " + run.summary());
    }
}
