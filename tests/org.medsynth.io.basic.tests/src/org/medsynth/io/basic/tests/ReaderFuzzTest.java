package org.medsynth.io.basic.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Path;
import java.util.List;

import net.imglib2.img.array.ArrayImgs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.io.basic.internal.MetaImageFormat;
import org.medsynth.io.basic.internal.PngFormat;
import org.medsynth.tests.fuzz.ReaderFuzzing;

/** Jazzer over the MetaImage and PNG readers (fuzz profile) and the replay of what it found (every run). */
class ReaderFuzzTest {
    @TempDir
    Path work;

    @Test
    void keptFuzzInputsStayRefused() throws Exception {
        Path corpus = ReaderFuzzing.corpusOf(ReaderFuzzTest.class);
        assumeFalse(ReaderFuzzing.keptInputs(corpus).isEmpty(), "no fuzz findings kept for these readers");
        assertEquals(List.of(), ReaderFuzzing.replay(MetaImageAndPngFuzzTarget.class, corpus));
    }

    @Test
    @EnabledIfSystemProperty(named = ReaderFuzzing.SECONDS, matches = "[0-9]+")
    void jazzerFindsNoInputThatEscapesTheReaders() throws Exception {
        MedicalImage<?> volume = MedicalImage.of(ArrayImgs.floats(new float[] {0, 1.5f, -2, 1e5f, 3, 4, 5, 6}, 2, 2, 2),
                new Geometry(new double[] {0.5, 0.5, 2}, new double[] {10, -20, 30}, new double[] {1, 0, 0, 0, 0, 1, 0, -1, 0}),
                Modality.MR, IntensityUnit.ARBITRARY);
        MedicalImage<?> plane = MedicalImage.of(ArrayImgs.unsignedShorts(new short[] {0, 1000, 65535 - 65536, 7, 8, 9}, 3, 2),
                Geometry.of(new double[] {0.3, 0.4}), Modality.OT, IntensityUnit.ARBITRARY);
        List<Path> seeds = List.of(work.resolve("volume.mha"), work.resolve("plane.mha"), work.resolve("plane.png"));
        new MetaImageFormat().write(volume, seeds.get(0));
        new MetaImageFormat().write(plane, seeds.get(1));
        new PngFormat().write(plane, seeds.get(2));
        ReaderFuzzing.Run run = ReaderFuzzing.jazzer(MetaImageAndPngFuzzTarget.class, seeds);
        System.out.println("MetaImage and PNG readers fuzzed: " + run.summary());
        assertEquals(List.of(), run.findings(), "inputs that escaped the readers (kept in fuzz-corpus/): " + run.summary());
    }
}
