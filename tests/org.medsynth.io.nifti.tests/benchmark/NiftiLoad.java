import java.nio.file.Path;
import java.util.List;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.integer.ShortType;

import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.core.image.Provenance;
import org.medsynth.io.nifti.internal.NiftiFormat;

/**
 * Benchmark half of MedSynth: {@code write FILE} writes a 256×256×200 int16 CT-like volume with MedSynth's NIfTI
 * writer ({@code .nii} or {@code .nii.gz} by the name); {@code load FILE N} reads it N times in this process and
 * prints what {@link LoadTiming} measures.
 */
public final class NiftiLoad {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[1]);
        NiftiFormat format = new NiftiFormat();
        if (args[0].equals("write")) {
            int x = 256;
            int y = 256;
            int z = 200;
            short[] hu = new short[x * y * z];
            for (int k = 0; k < z; k++) {
                for (int j = 0; j < y; j++) {
                    for (int i = 0; i < x; i++) {
                        double r = Math.hypot((i - 128) / 100.0, (j - 128) / 115.0);
                        double ripple = 30 * Math.sin(i * 0.1 + k * 0.1) * Math.cos(j * 0.08);
                        hu[(k * y + j) * x + i] = (short) (r > 1 ? -1000 : r > 0.93 ? 1200 + ripple : 40 + ripple);
                    }
                }
            }
            format.write(new MedicalImage<>(ArrayImgs.shorts(hu, x, y, z), Geometry.of(new double[] {0.9, 0.9, 1.5}),
                    Modality.CT, IntensityUnit.HOUNSFIELD, List.of(), Provenance.acquired()), file);
            return;
        }
        LoadTiming.measure(() -> {
            long voxels = 1;
            for (long d : format.read(file).dimensions()) {
                voxels *= d;
            }
            return voxels;
        }, Integer.parseInt(args[2]));
    }
}
