package org.medsynth.io.basic.tests;

import java.nio.file.Path;
import java.util.List;

import net.imglib2.img.array.ArrayImgs;

import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.io.basic.internal.MetaImageFormat;
import org.medsynth.io.basic.internal.PngFormat;
import org.medsynth.tests.fuzz.ReaderFuzzTestBase;

/** Jazzer over the MetaImage and PNG readers (fuzz profile) and the replay of what it found (every run). */
class ReaderFuzzTest extends ReaderFuzzTestBase {
    @Override
    protected Class<?> target() {
        return MetaImageAndPngFuzzTarget.class;
    }

    @Override
    protected List<Path> seeds() throws Exception {
        MedicalImage<?> volume = MedicalImage.of(ArrayImgs.floats(new float[] {0, 1.5f, -2, 1e5f, 3, 4, 5, 6}, 2, 2, 2),
                new Geometry(new double[] {0.5, 0.5, 2}, new double[] {10, -20, 30}, new double[] {1, 0, 0, 0, 0, 1, 0, -1, 0}),
                Modality.MR, IntensityUnit.ARBITRARY);
        MedicalImage<?> plane = MedicalImage.of(ArrayImgs.unsignedShorts(new short[] {0, 1000, -1, 7, 8, 9}, 3, 2),
                Geometry.of(new double[] {0.3, 0.4}), Modality.OT, IntensityUnit.ARBITRARY);
        List<Path> seeds = List.of(work.resolve("volume.mha"), work.resolve("plane.mha"), work.resolve("plane.png"));
        new MetaImageFormat().write(volume, seeds.get(0));
        new MetaImageFormat().write(plane, seeds.get(1));
        new PngFormat().write(plane, seeds.get(2));
        return seeds;
    }
}
