package org.medsynth.io.nifti.tests;

import java.nio.file.Path;
import java.util.List;

import net.imglib2.img.array.ArrayImgs;

import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.io.nifti.internal.NiftiFormat;
import org.medsynth.tests.fuzz.ReaderFuzzTestBase;

/** Jazzer over the NIfTI reader (fuzz profile) and the replay of what it found (every run). */
class ReaderFuzzTest extends ReaderFuzzTestBase {
    @Override
    protected Class<?> target() {
        return NiftiFuzzTarget.class;
    }

    @Override
    protected List<Path> seeds() throws Exception {
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
        return seeds;
    }
}
