package org.medsynth.io.nifti.tests;

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
import org.medsynth.core.image.Modality;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.io.nifti.internal.NiftiFormat;
import org.medsynth.tests.fuzz.ReaderFuzzing;

/** Jazzer over the NIfTI reader (fuzz profile) and the replay of what it found (every run). */
class ReaderFuzzTest {
    @TempDir
    Path work;

    @Test
    void keptFuzzInputsStayRefused() throws Exception {
        Path corpus = ReaderFuzzing.corpusOf(ReaderFuzzTest.class);
        assumeFalse(ReaderFuzzing.keptInputs(corpus).isEmpty(), "no fuzz findings kept for this reader");
        assertEquals(List.of(), ReaderFuzzing.replay(NiftiFuzzTarget.class, corpus));
    }

    @Test
    @EnabledIfSystemProperty(named = ReaderFuzzing.SECONDS, matches = "[0-9]+")
    void jazzerFindsNoInputThatEscapesTheReader() throws Exception {
        Geometry geometry = new Geometry(new double[] {0.8, 0.9, 2.5}, new double[] {-12.5, 30, -40},
                new double[] {0, 1, 0, 1, 0, 0, 0, 0, -1});
        MedicalImage<?> shorts = MedicalImage.of(ArrayImgs.shorts(new short[] {-5, 0, 7, 300, 12, -1000}, 3, 2, 1),
                geometry, Modality.CT, IntensityUnit.HOUNSFIELD);
        MedicalImage<?> floats = MedicalImage.of(ArrayImgs.floats(new float[] {0.5f, 1e6f, -3f, 0f}, 2, 2),
                Geometry.of(new double[] {1.5, 0.7}), Modality.MR, IntensityUnit.ARBITRARY);
        List<Path> seeds = List.of(work.resolve("v1.nii"), work.resolve("v2.nii"), work.resolve("v1.nii.gz"));
        NiftiFormat.write(shorts, seeds.get(0), 1);
        NiftiFormat.write(floats, seeds.get(1), 2);
        NiftiFormat.write(shorts, seeds.get(2), 1);
        ReaderFuzzing.Run run = ReaderFuzzing.jazzer(NiftiFuzzTarget.class, seeds);
        System.out.println("NIfTI reader fuzzed: " + run.summary());
        assertEquals(List.of(), run.findings(), "inputs that escaped the reader (kept in fuzz-corpus/): " + run.summary());
    }
}
