package org.medsynth.data.phantom;

import java.util.List;
import java.util.SplittableRandom;

import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.real.FloatType;

import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;

/**
 * Deterministic procedural phantoms with known geometry: the embedded default data of every MedSynth module.
 * Pixel centres sit at normalised coordinate {@code -1 + (2i + 1) / n}; each pixel is supersampled
 * {@code supersampling²} (or ³) times so edges carry partial-volume values, as a scanner's would.
 */
public final class Phantoms {
    /**
     * Modified Shepp–Logan head phantom (Toft, 1996): the original ellipses with contrast raised so the inner
     * structures are visible without windowing. Values in arbitrary units, background 0, skull 1.
     */
    public static final List<Ellipsoid> MODIFIED_SHEPP_LOGAN_2D = List.of(
            new Ellipsoid(1.0, 0.69, 0.92, 0, 0, 0, 0, 0),
            new Ellipsoid(-0.8, 0.6624, 0.8740, 0, 0, -0.0184, 0, 0),
            new Ellipsoid(-0.2, 0.1100, 0.3100, 0, 0.22, 0, 0, -18),
            new Ellipsoid(-0.2, 0.1600, 0.4100, 0, -0.22, 0, 0, 18),
            new Ellipsoid(0.1, 0.2100, 0.2500, 0, 0, 0.35, 0, 0),
            new Ellipsoid(0.1, 0.0460, 0.0460, 0, 0, 0.1, 0, 0),
            new Ellipsoid(0.1, 0.0460, 0.0460, 0, 0, -0.1, 0, 0),
            new Ellipsoid(0.1, 0.0460, 0.0230, 0, -0.08, -0.605, 0, 0),
            new Ellipsoid(0.1, 0.0230, 0.0230, 0, 0, -0.606, 0, 0),
            new Ellipsoid(0.1, 0.0230, 0.0460, 0, 0.06, -0.605, 0, 0));

    /**
     * 3D modified Shepp–Logan (Kak &amp; Slaney's ellipsoids with Toft's contrasts, as in Schabel's phantom3d).
     * The y axis of the normalised frame points up in the 2D figure; image row 0 is at the top (y = +1).
     */
    public static final List<Ellipsoid> MODIFIED_SHEPP_LOGAN_3D = List.of(
            new Ellipsoid(1.0, 0.6900, 0.920, 0.810, 0, 0, 0, 0),
            new Ellipsoid(-0.8, 0.6624, 0.874, 0.780, 0, -0.0184, 0, 0),
            new Ellipsoid(-0.2, 0.1100, 0.310, 0.220, 0.22, 0, 0, -18),
            new Ellipsoid(-0.2, 0.1600, 0.410, 0.280, -0.22, 0, 0, 18),
            new Ellipsoid(0.1, 0.2100, 0.250, 0.410, 0, 0.35, -0.15, 0),
            new Ellipsoid(0.1, 0.0460, 0.046, 0.050, 0, 0.1, 0.25, 0),
            new Ellipsoid(0.1, 0.0460, 0.046, 0.050, 0, -0.1, 0.25, 0),
            new Ellipsoid(0.1, 0.0460, 0.023, 0.050, -0.08, -0.605, 0, 0),
            new Ellipsoid(0.1, 0.0230, 0.023, 0.020, 0, -0.606, 0, 0),
            new Ellipsoid(0.1, 0.0230, 0.046, 0.020, 0.06, -0.605, 0, 0));

    private Phantoms() {
    }

    /** Rasterises ellipses on an {@code n × n} grid with the given pixel spacing (mm). */
    public static MedicalImage<FloatType> sheppLogan2d(int n, double spacingMm, int supersampling) {
        float[] data = rasterise(MODIFIED_SHEPP_LOGAN_2D, n, n, 1, supersampling);
        ArrayImg<FloatType, FloatArray> img = ArrayImgs.floats(data, n, n);
        return MedicalImage.of(img, centred(new double[] {spacingMm, spacingMm}, new long[] {n, n}), Modality.OT,
                IntensityUnit.ARBITRARY);
    }

    /** Rasterises the 3D phantom on an {@code n³} grid. */
    public static MedicalImage<FloatType> sheppLogan3d(int n, double spacingMm, int supersampling) {
        float[] data = rasterise(MODIFIED_SHEPP_LOGAN_3D, n, n, n, supersampling);
        ArrayImg<FloatType, FloatArray> img = ArrayImgs.floats(data, n, n, n);
        return MedicalImage.of(img, centred(new double[] {spacingMm, spacingMm, spacingMm}, new long[] {n, n, n}),
                Modality.OT, IntensityUnit.ARBITRARY);
    }

    /**
     * Sums the values of all ellipsoids containing each sub-sample; {@code nz = 1} rasterises the z = 0 section
     * (the 2D phantom). Pixel i spans normalised [-1 + 2i/n, -1 + 2(i+1)/n]; image row 0 is at normalised y = +1.
     */
    static float[] rasterise(List<Ellipsoid> shapes, int nx, int ny, int nz, int supersampling) {
        VoxelSampler.Field sum = (x, y, z) -> {
            double v = 0;
            for (Ellipsoid e : shapes) {
                if (e.contains(x, y, z)) {
                    v += e.value();
                }
            }
            return v;
        };
        return VoxelSampler.sample(nx, ny, nz, supersampling, nz == 1 ? 1 : supersampling,
                (i, f) -> -1 + 2 * (i + f) / nx, (j, f) -> 1 - 2 * (j + f) / ny,
                (k, f) -> nz == 1 ? 0 : -1 + 2 * (k + f) / nz, sum);
    }

    /** Geometry with the volume centred on the LPS origin and identity orientation. */
    static Geometry centred(double[] spacing, long[] dims) {
        double[] origin = new double[spacing.length];
        for (int a = 0; a < spacing.length; a++) {
            origin[a] = -0.5 * (dims[a] - 1) * spacing[a];
        }
        return new Geometry(spacing, origin, Geometry.identity(spacing.length));
    }

    /** Adds zero-mean Gaussian noise of standard deviation {@code sigma}, in place, from {@code random}. */
    public static void addGaussianNoise(float[] data, double sigma, SplittableRandom random) {
        if (sigma <= 0) {
            return;
        }
        for (int i = 0; i < data.length; i++) {
            data[i] += (float) (sigma * gaussian(random));
        }
    }

    /** Standard normal deviate by the polar Box–Muller method (deterministic for a given random state). */
    static double gaussian(SplittableRandom random) {
        double u;
        double v;
        double s;
        do {
            u = 2 * random.nextDouble() - 1;
            v = 2 * random.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        return u * Math.sqrt(-2 * Math.log(s) / s);
    }

    /** The primitive backing array of a phantom made here (always a float ArrayImg). */
    public static float[] data(MedicalImage<FloatType> image) {
        return ((FloatArray) ((ArrayImg<FloatType, ?>) image.pixels()).update(null)).getCurrentStorageArray();
    }
}
