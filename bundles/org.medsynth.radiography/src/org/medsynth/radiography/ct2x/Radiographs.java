package org.medsynth.radiography.ct2x;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

import org.medsynth.eval.ImageMetrics;
import org.medsynth.physics.AttenuationModel;
import org.medsynth.physics.CountNoise;
import org.medsynth.physics.ProjectionGeometry;
import org.medsynth.physics.Volume;
import org.medsynth.physics.XRayProjector;

/**
 * The three images CT2X-GAN sees of a CT cube ({@link CtVolumes}) at one C-arm angle, all {@code size × size}, values
 * in [0, 1] with bone bright:
 * <ul>
 * <li>the DRR: monochromatic line integrals of μ at the effective energy of {@value #DRR_KVP} kVp
 * ({@link AttenuationModel#atKvp}), divided by {@value #DRR_FULL_SCALE} and clipped;</li>
 * <li>the radiograph-style image ("real" X-ray domain, the style the DRR lacks), see {@link #radiograph};</li>
 * <li>the rotated MIP of the normalised CT ({@link #normalisedCt}), the pose attention module's input.</li>
 * </ul>
 * Geometry: C-arm cone beam, source–object {@value #SOURCE_TO_OBJECT_MM} mm, source–detector
 * {@value #SOURCE_TO_DETECTOR_MM} mm, rotation about patient z, the detector covering
 * {@value #DETECTOR_COVERAGE} × the cube's magnified side.
 */
public final class Radiographs {
    public static final double SOURCE_TO_OBJECT_MM = 750;
    public static final double SOURCE_TO_DETECTOR_MM = 1200;
    public static final double DETECTOR_COVERAGE = 1.25;
    public static final double DRR_KVP = 100;
    /** Line integral (μ·mm, dimensionless) shown as 1 in a DRR. */
    public static final double DRR_FULL_SCALE = 10;
    /** The paper's C-arm sweep: −60° to 60° every 30°. */
    public static final double[] PAPER_ANGLES = {-60, -30, 0, 30, 60};
    /** Normalised CT value of the HU shown as 1: (HU + 1000) / 2000, clipped to [0, {@value #CT_CEILING}]. */
    public static final double CT_CEILING = 1.5;

    private static final double LOW_KEV = 35;
    private static final double HIGH_KEV = 65;
    private static final double LOW_WEIGHT = 0.45;
    private static final float COLLIMATED = 0.95f;
    /** Rays transmitting less than this fraction pass through the body (for the scatter glow). */
    private static final double BODY_TRANSMISSION = 0.9;

    private Radiographs() {
    }

    /** The C-arm view of a cube of side {@code cubeMm} at {@code degrees}, on a {@code size²} detector. */
    public static ProjectionGeometry view(double cubeMm, int size, double degrees) {
        double pixel = DETECTOR_COVERAGE * cubeMm * SOURCE_TO_DETECTOR_MM / SOURCE_TO_OBJECT_MM / size;
        return ProjectionGeometry.cArm(SOURCE_TO_OBJECT_MM, SOURCE_TO_DETECTOR_MM, size, size, pixel, pixel, degrees);
    }

    /** The cube's side (mm). */
    public static double cubeMm(Volume ct) {
        return ct.nx() * ct.sx();
    }

    /** The DRR of a HU cube at {@code degrees}: Siddon line integrals of μ at {@value #DRR_KVP} kVp, scaled. */
    public static float[] drr(Volume hu, int size, double degrees) {
        Volume mu = AttenuationModel.atKvp(DRR_KVP).attenuation(hu);
        float[] p = XRayProjector.lineIntegrals(mu, view(cubeMm(hu), size, degrees), XRayProjector.Method.SIDDON, 0);
        float[] out = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = (float) Math.min(1, p[i] / DRR_FULL_SCALE);
        }
        return out;
    }

    /** The CT as the network takes it: (HU + 1000) / 2000 clipped to [0, {@value #CT_CEILING}]. */
    public static Volume normalisedCt(Volume hu) {
        float[] in = hu.data();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = (float) Math.max(0, Math.min(CT_CEILING, (in[i] + 1000) / 2000.0));
        }
        return hu.withData(out);
    }

    /** The maximum intensity projection of the normalised CT along the view's rays, divided by the ceiling. */
    public static float[] mip(Volume normalisedCt, int size, double degrees) {
        float[] mip = XRayProjector.maximumIntensity(normalisedCt, view(cubeMm(normalisedCt), size, degrees),
                0.5 * normalisedCt.sx());
        for (int i = 0; i < mip.length; i++) {
            mip[i] /= (float) CT_CEILING;
        }
        return mip;
    }

    /**
     * A radiograph-style image of the same anatomy and view: what separates a clinical radiograph from a DRR.
     * <ol>
     * <li>polychromatic beam: transmission is the mix {@value #LOW_WEIGHT} e^(−p₃₅) + (1 − {@value #LOW_WEIGHT})
     * e^(−p₆₅) of line integrals at 35 and 65 keV (beam hardening lowers bone contrast);</li>
     * <li>heel effect: the incident fluence falls linearly by a random 15–30 % across the columns (random
     * anode side);</li>
     * <li>scatter glow: the body's shadow (rays transmitting under {@value #BODY_TRANSMISSION}) blurred with a
     * Gaussian (σ = size/8), scaled to 0.3–0.8 × the mean primary behind the body, added;</li>
     * <li>quantum noise: Poisson counts ({@link CountNoise}) at 20 000–100 000 photons per pixel unattenuated;</li>
     * <li>detector processing: log of the counts; a look-up table fitted to the anatomy's histogram (exposed rays
     * through the body) as exposure recognition does: the mean of a linear window (2nd to 99.5th percentile) and
     * the histogram's rank (equalisation), to [0.1, 0.9]; unsharp-mask edge enhancement (amount 0.5–1.5,
     * σ = size/32 px); an S-shaped tone curve (tanh, gain 1–2);</li>
     * <li>collimation: shutters covering 0–12 % of each side, shown as unexposed ({@value #COLLIMATED}).</li>
     * </ol>
     * All random choices come from {@code random}; the result is clipped to [0, 1].
     */
    public static float[] radiograph(Volume hu, int size, double degrees, SplittableRandom random) {
        ProjectionGeometry view = view(cubeMm(hu), size, degrees);
        float[] low = XRayProjector.lineIntegrals(AttenuationModel.atEnergy(LOW_KEV).attenuation(hu), view,
                XRayProjector.Method.SIDDON, 0);
        float[] high = XRayProjector.lineIntegrals(AttenuationModel.atEnergy(HIGH_KEV).attenuation(hu), view,
                XRayProjector.Method.SIDDON, 0);
        double heel = uniform(random, 0.15, 0.3) * (random.nextBoolean() ? 1 : -1);
        double scatterRatio = uniform(random, 0.3, 0.8);
        double photons = uniform(random, 20_000, 100_000);
        double amount = uniform(random, 0.5, 1.5);
        double gain = uniform(random, 1, 2);
        int[] shutters = new int[4];
        for (int s = 0; s < 4; s++) {
            shutters[s] = (int) Math.floor(uniform(random, 0, 0.12) * size);
        }
        long noiseSeed = random.nextLong();
        int pixels = size * size;
        double[] incident = new double[pixels];
        double[] primary = new double[pixels];
        for (int i = 0; i < pixels; i++) {
            double column = (i % size) / (double) (size - 1) - 0.5;
            incident[i] = photons * (1 - heel * column);
            primary[i] = incident[i] * (LOW_WEIGHT * Math.exp(-low[i]) + (1 - LOW_WEIGHT) * Math.exp(-high[i]));
        }
        // scatter arises in the body: a glow of the body's shadow at a level set by the primary behind the body
        double[] body = new double[pixels];
        double bodyPrimary = 0;
        int bodyPixels = 0;
        for (int i = 0; i < pixels; i++) {
            if (primary[i] < BODY_TRANSMISSION * incident[i]) {
                body[i] = 1;
                bodyPrimary += primary[i];
                bodyPixels++;
            }
        }
        double scatterLevel = bodyPixels == 0 ? 0 : scatterRatio * bodyPrimary / bodyPixels;
        double[] scatter = blur(body, size, size / 8.0);
        double[] log = new double[pixels];
        for (int i = 0; i < pixels; i++) {
            double counts = CountNoise.poisson(primary[i] + scatterLevel * scatter[i],
                    CountNoise.random(noiseSeed, i));
            log[i] = Math.log(incident[i] / Math.max(counts, 0.5));
        }
        boolean[] exposed = new boolean[pixels];
        List<Double> anatomy = new ArrayList<>();
        List<Double> field = new ArrayList<>();
        for (int i = 0; i < pixels; i++) {
            int column = i % size;
            int row = i / size;
            exposed[i] = column >= shutters[0] && column < size - shutters[1] && row >= shutters[2]
                    && row < size - shutters[3];
            if (exposed[i]) {
                field.add(log[i]);
                if (body[i] > 0) {
                    anatomy.add(log[i]);
                }
            }
        }
        // exposure recognition as radiography systems do it: the window spans the anatomy's histogram, not the air
        List<Double> histogram = anatomy.size() >= pixels / 20 ? anatomy : field;
        Collections.sort(histogram);
        double lo = histogram.get((int) (0.02 * (histogram.size() - 1)));
        double hi = histogram.get((int) (0.995 * (histogram.size() - 1)));
        double range = Math.max(hi - lo, 1e-6);
        double[] windowed = new double[pixels];
        for (int i = 0; i < pixels; i++) {
            double linear = Math.max(0, Math.min(1, (log[i] - lo) / range));
            windowed[i] = 0.1 + 0.8 * (0.5 * linear + 0.5 * rank(histogram, log[i]));
        }
        double[] smooth = blur(windowed, size, Math.max(1, size / 32.0));
        float[] out = new float[pixels];
        double norm = Math.tanh(gain / 2);
        for (int i = 0; i < pixels; i++) {
            double sharpened = windowed[i] + amount * (windowed[i] - smooth[i]);
            double toned = 0.5 + 0.5 * Math.tanh(gain * (sharpened - 0.5)) / norm;
            out[i] = exposed[i] ? (float) Math.max(0, Math.min(1, toned)) : COLLIMATED;
        }
        return out;
    }

    /** The fraction of a sorted sample below {@code value}. */
    private static double rank(List<Double> sorted, double value) {
        int index = Collections.binarySearch(sorted, value);
        return (index >= 0 ? index : -index - 1) / (double) sorted.size();
    }

    /**
     * Separable Gaussian blur of a square image (row-major), edges clamped: scipy.ndimage's
     * {@code gaussian_filter(image, sigma, mode="nearest", truncate=3)} where 3σ is a whole number of pixels.
     */
    public static double[] blur(double[] image, int size, double sigma) {
        double[] kernel = ImageMetrics.gaussianKernel(sigma, (int) Math.ceil(3 * sigma));
        int radius = kernel.length / 2;
        double[] rows = new double[image.length];
        double[] out = new double[image.length];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double sum = 0;
                for (int k = -radius; k <= radius; k++) {
                    sum += kernel[k + radius] * image[Math.max(0, Math.min(size - 1, x + k)) + size * y];
                }
                rows[x + size * y] = sum;
            }
        }
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double sum = 0;
                for (int k = -radius; k <= radius; k++) {
                    sum += kernel[k + radius] * rows[x + size * Math.max(0, Math.min(size - 1, y + k))];
                }
                out[x + size * y] = sum;
            }
        }
        return out;
    }

    private static double uniform(SplittableRandom random, double from, double to) {
        return from + (to - from) * random.nextDouble();
    }
}
