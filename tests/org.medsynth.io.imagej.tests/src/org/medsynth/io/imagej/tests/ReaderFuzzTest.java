package org.medsynth.io.imagej.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.tests.fuzz.ReaderFuzzing;

/** Jazzer over the TIFF and JPEG readers (fuzz profile) and the replay of what it found (every run). */
class ReaderFuzzTest {
    @TempDir
    Path work;

    @Test
    void keptFuzzInputsStayRefused() throws Exception {
        Path corpus = ReaderFuzzing.corpusOf(ReaderFuzzTest.class);
        assumeFalse(ReaderFuzzing.keptInputs(corpus).isEmpty(), "no fuzz findings kept for these readers");
        assertEquals(List.of(), ReaderFuzzing.replay(TiffAndJpegFuzzTarget.class, corpus));
    }

    @Test
    @EnabledIfSystemProperty(named = ReaderFuzzing.SECONDS, matches = "[0-9]+")
    void jazzerFindsNoInputThatEscapesTheReaders() throws Exception {
        List<Path> seeds = new ArrayList<>();
        for (String name : ReferenceFiles.files().keySet()) {
            seeds.add(ReferenceFiles.copy(name, work));
        }
        ReaderFuzzing.Run run = ReaderFuzzing.jazzer(TiffAndJpegFuzzTarget.class, seeds);
        System.out.println("TIFF and JPEG readers fuzzed: " + run.summary());
        assertEquals(List.of(), run.findings(), "inputs that escaped the readers (kept in fuzz-corpus/): " + run.summary());
    }
}
