package org.medsynth.data.tests;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import org.eclipse.core.runtime.FileLocator;
import org.eclipse.core.runtime.Platform;
import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.core.image.Provenance;

/** Small images made from formulas, their values, and this bundle's reference files. */
final class TestImages {
    private TestImages() {
    }

    /** A float image whose pixel at index p (x first) is f(p), with the given geometry. */
    static MedicalImage<FloatType> of(int[] size, Geometry geometry, ToDoubleFunction<int[]> f) {
        return of(size, geometry, List.of(), f);
    }

    /** As {@link #of(int[], Geometry, ToDoubleFunction)}; with channel labels, p has the channel as its last entry. */
    static MedicalImage<FloatType> of(int[] size, Geometry geometry, List<String> channels, ToDoubleFunction<int[]> f) {
        int d = size.length;
        int axes = d + (channels.isEmpty() ? 0 : 1);
        long[] dims = new long[axes];
        int total = 1;
        for (int a = 0; a < axes; a++) {
            dims[a] = a < d ? size[a] : channels.size();
            total *= (int) dims[a];
        }
        float[] data = new float[total];
        int[] p = new int[axes];
        for (int i = 0; i < total; i++) {
            data[i] = (float) f.applyAsDouble(p.clone());
            for (int a = 0; a < axes && ++p[a] == dims[a]; a++) {
                p[a] = 0;
            }
        }
        return new MedicalImage<>(ArrayImgs.floats(data, dims), geometry, Modality.CT, IntensityUnit.HOUNSFIELD, channels,
                Provenance.acquired());
    }

    /** A ramp with distinct values, identity geometry of 1 mm: enough to tell images and pixels apart. */
    static MedicalImage<FloatType> ramp(double start, int... size) {
        return of(size, Geometry.isotropic(size.length, 1), p -> {
            double v = start;
            int stride = 1;
            for (int a = 0; a < p.length; a++) {
                v += p[a] * stride;
                stride *= size[a];
            }
            return v;
        });
    }

    static double[] values(MedicalImage<?> image) {
        return Views.flatIterable(image.pixels()).stream().mapToDouble(t -> ((RealType<?>) t).getRealDouble()).toArray();
    }

    static Path reference(String name) throws IOException {
        return Path.of(FileLocator.toFileURL(Platform.getBundle("org.medsynth.data.tests").getEntry("reference/" + name))
                .getPath());
    }
}
