package org.medsynth.io.dicom.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.tests.fuzz.ReaderFuzzing;

/**
 * Jazzer over the DICOM reader (fuzz profile) and the replay of the inputs kept in {@code fuzz-corpus/} (every run):
 * those found by Jazzer and by the mutation fuzzing of {@link BadInputTest}.
 */
class ReaderFuzzTest {
    @TempDir
    Path work;

    @Test
    void keptFuzzInputsStayRefused() throws Exception {
        Path corpus = ReaderFuzzing.corpusOf(ReaderFuzzTest.class);
        assertFalse(ReaderFuzzing.keptInputs(corpus).isEmpty(), "the fuzz corpus is missing");
        assertEquals(List.of(), ReaderFuzzing.replay(DicomFuzzTarget.class, corpus));
    }

    @Test
    @EnabledIfSystemProperty(named = ReaderFuzzing.SECONDS, matches = "[0-9]+")
    void jazzerFindsNoInputThatEscapesTheReader() throws Exception {
        ReaderFuzzing.Run run = ReaderFuzzing.jazzer(DicomFuzzTarget.class, BadInputTest.seeds(work));
        System.out.println("DICOM reader fuzzed: " + run.summary());
        assertEquals(List.of(), run.findings(), "inputs that escaped the reader (kept in fuzz-corpus/): " + run.summary());
    }
}
