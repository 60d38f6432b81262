import java.nio.file.Path;
import java.util.List;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.integer.ShortType;

import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.core.image.Provenance;
import org.medsynth.io.dicom.DicomReader;
import org.medsynth.io.dicom.DicomWriter;

/**
 * Benchmark half of MedSynth: {@code write FOLDER} synthesises a 512×512×300 CT series (HU, a smooth head-like
 * phantom) with MedSynth's writer; {@code load FOLDER N} loads it N times in this process and prints what
 * {@link LoadTiming} measures.
 */
public final class SeriesLoad {
    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[1]);
        if (args[0].equals("write")) {
            int x = 512;
            int y = 512;
            int z = 300;
            short[] hu = new short[x * y * z];
            for (int k = 0; k < z; k++) {
                for (int j = 0; j < y; j++) {
                    for (int i = 0; i < x; i++) {
                        double r = Math.hypot((i - 256) / 200.0, (j - 256) / 230.0);
                        double ripple = 30 * Math.sin(i * 0.05 + k * 0.1) * Math.cos(j * 0.04);
                        hu[(k * y + j) * x + i] = (short) (r > 1 ? -1000 : r > 0.93 ? 1200 + ripple : 40 + ripple);
                    }
                }
            }
            MedicalImage<ShortType> ct = new MedicalImage<>(ArrayImgs.shorts(hu, x, y, z),
                    Geometry.of(new double[] {0.7, 0.7, 1.0}), Modality.CT, IntensityUnit.HOUNSFIELD, List.of(),
                    Provenance.acquired());
            DicomWriter.writeSeries(ct, folder, DicomWriter.Options.DEFAULTS);
            return;
        }
        LoadTiming.measure(() -> {
            long voxels = 1;
            for (long d : DicomReader.readFolder(folder).get(0).image().dimensions()) {
                voxels *= d;
            }
            return voxels;
        }, Integer.parseInt(args[2]));
    }
}
