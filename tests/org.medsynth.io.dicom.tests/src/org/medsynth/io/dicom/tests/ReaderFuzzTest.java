package org.medsynth.io.dicom.tests;

import java.nio.file.Path;
import java.util.List;

import org.medsynth.tests.fuzz.ReaderFuzzTestBase;

/**
 * Jazzer over the DICOM reader (fuzz profile) and the replay of the inputs kept in {@code fuzz-corpus/} (every run):
 * those found by Jazzer and by the mutation fuzzing of {@link BadInputTest}.
 */
class ReaderFuzzTest extends ReaderFuzzTestBase {
    @Override
    protected Class<?> target() {
        return DicomFuzzTarget.class;
    }

    @Override
    protected List<Path> seeds() throws Exception {
        return BadInputTest.seeds(work);
    }
}
