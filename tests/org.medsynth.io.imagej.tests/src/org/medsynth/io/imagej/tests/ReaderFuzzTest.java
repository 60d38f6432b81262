package org.medsynth.io.imagej.tests;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.medsynth.tests.fuzz.ReaderFuzzTestBase;

/** Jazzer over the TIFF and JPEG readers (fuzz profile) and the replay of what it found (every run). */
class ReaderFuzzTest extends ReaderFuzzTestBase {
    @Override
    protected Class<?> target() {
        return TiffAndJpegFuzzTarget.class;
    }

    /** The tifffile and Pillow reference files. */
    @Override
    protected List<Path> seeds() throws Exception {
        List<Path> seeds = new ArrayList<>();
        for (String name : ReferenceFiles.files().keySet()) {
            seeds.add(ReferenceFiles.copy(name, work));
        }
        return seeds;
    }
}
