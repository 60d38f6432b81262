package org.medsynth.phantoms.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.data.phantom.Ellipsoid;
import org.medsynth.data.phantom.Phantoms;

import net.imglib2.img.array.ArrayImgs;

/**
 * Random variations of the 2D modified Shepp–Logan phantom, the training and held-out data of the phantom denoiser,
 * in raw phantom units (background 0, skull 1). Each sample scales the contrast of every inner structure by its own
 * random gain, is flipped left–right with probability ½ and shifted by up to {@code size / 16} pixels per axis
 * (zero fill). Skull and brain keep their values, so the anatomy frame stays recognisable and values stay in 0..1.
 * <p>
 * Pixels are rasterised as {@link Phantoms#sheppLogan2d} does (centres at {@code -1 + (2i + 1) / n}, row 0 at
 * y = +1, {@value #SUPERSAMPLING}² sub-samples): the fraction of each pixel inside each ellipse is computed once, so a
 * sample is a weighted sum of ten coverage maps instead of a new rasterisation.
 */
public final class SheppLoganVariations {
    public static final int SUPERSAMPLING = 2;
    /** Skull and brain: never varied. */
    private static final int FIXED_ELLIPSES = 2;
    private static final double MIN_GAIN = 0.5;
    private static final double MAX_GAIN_BRIGHT = 1.5;
    /** Dark ventricles (−0.2 on a brain of 0.2) would drop below the background with a gain above 1. */
    private static final double MAX_GAIN_DARK = 1.0;

    private final int size;
    private final int maxShift;
    private final List<Ellipsoid> ellipses = Phantoms.MODIFIED_SHEPP_LOGAN_2D;
    /** coverage[k][y * size + x]: fraction of pixel (x, y) inside ellipse k. */
    private final float[][] coverage;

    public SheppLoganVariations(int size) {
        if (size < 8) {
            throw new IllegalArgumentException("phantom size must be at least 8 pixels, got " + size);
        }
        this.size = size;
        this.maxShift = size / 16;
        this.coverage = new float[ellipses.size()][];
        for (int k = 0; k < ellipses.size(); k++) {
            coverage[k] = coverage(ellipses.get(k), size);
        }
    }

    int size() {
        return size;
    }

    /** A size × size phantom image of {@code values} (a sample or the standard phantom): 1 mm pixels. */
    static MedicalImage<?> image(float[] values, int size) {
        return MedicalImage.of(ArrayImgs.floats(values, size, size), Geometry.isotropic(2, 1), Modality.OT,
                IntensityUnit.ARBITRARY);
    }

    /** The DDPM's value of phantom intensity {@code v} ∈ [0, 1]: [−1, 1]. */
    static float toModel(float v) {
        return 2 * v - 1;
    }

    /** A phantom drawn from {@code random} in the DDPM's units. */
    float[] sampleInModelUnits(SplittableRandom random) {
        float[] phantom = sample(random);
        for (int p = 0; p < phantom.length; p++) {
            phantom[p] = toModel(phantom[p]);
        }
        return phantom;
    }

    /** Phantom images of {@code count} DDPM samples (model units, image after image). */
    static List<MedicalImage<?>> fromModel(float[] values, int count, int size) {
        List<MedicalImage<?>> images = new ArrayList<>();
        int pixels = size * size;
        for (int i = 0; i < count; i++) {
            float[] image = new float[pixels];
            for (int p = 0; p < pixels; p++) {
                image[p] = (values[i * pixels + p] + 1) / 2;
            }
            images.add(image(image, size));
        }
        return images;
    }

    /** The phantom itself: every gain 1, no flip, no shift. */
    public float[] standard() {
        double[] gains = new double[ellipses.size()];
        Arrays.fill(gains, 1);
        return combine(gains);
    }

    /** One random variation, drawn from {@code random}. */
    public float[] sample(SplittableRandom random) {
        double[] gains = new double[ellipses.size()];
        for (int k = 0; k < gains.length; k++) {
            double maxGain = ellipses.get(k).value() < 0 ? MAX_GAIN_DARK : MAX_GAIN_BRIGHT;
            gains[k] = k < FIXED_ELLIPSES ? 1 : random.nextDouble(MIN_GAIN, maxGain);
        }
        float[] phantom = combine(gains);
        boolean flip = random.nextBoolean();
        int dx = random.nextInt(-maxShift, maxShift + 1);
        int dy = random.nextInt(-maxShift, maxShift + 1);
        float[] moved = new float[phantom.length];
        for (int y = 0; y < size; y++) {
            int sourceY = y - dy;
            if (sourceY < 0 || sourceY >= size) {
                continue;
            }
            for (int x = 0; x < size; x++) {
                int shiftedX = x - dx;
                if (shiftedX < 0 || shiftedX >= size) {
                    continue;
                }
                int sourceX = flip ? size - 1 - shiftedX : shiftedX;
                moved[y * size + x] = phantom[sourceY * size + sourceX];
            }
        }
        return moved;
    }

    private float[] combine(double[] gains) {
        float[] phantom = new float[size * size];
        for (int p = 0; p < phantom.length; p++) {
            double sum = 0;
            for (int k = 0; k < gains.length; k++) {
                sum += ellipses.get(k).value() * gains[k] * coverage[k][p];
            }
            phantom[p] = (float) sum;
        }
        return phantom;
    }

    private static float[] coverage(Ellipsoid ellipse, int n) {
        float[] fraction = new float[n * n];
        double weight = 1.0 / (SUPERSAMPLING * SUPERSAMPLING);
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                int inside = 0;
                for (int sj = 0; sj < SUPERSAMPLING; sj++) {
                    double y = -normalised(j, sj, n);
                    for (int si = 0; si < SUPERSAMPLING; si++) {
                        if (ellipse.contains(normalised(i, si, n), y, 0)) {
                            inside++;
                        }
                    }
                }
                fraction[j * n + i] = (float) (inside * weight);
            }
        }
        return fraction;
    }

    /** Normalised coordinate of sub-sample {@code s} of pixel {@code i} on an {@code n}-pixel axis. */
    private static double normalised(int i, int s, int n) {
        return -1 + (2.0 * i + (2.0 * s + 1) / SUPERSAMPLING) / n;
    }
}
