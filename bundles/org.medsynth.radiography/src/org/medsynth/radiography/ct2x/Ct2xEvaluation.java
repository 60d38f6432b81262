package org.medsynth.radiography.ct2x;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.eval.BaselineFeatureExtractor;
import org.medsynth.eval.DistributionMetrics;
import org.medsynth.eval.ImageMetrics;
import org.medsynth.ml.NDScopes;
import org.medsynth.ml.loss.PerceptualLoss;
import org.medsynth.physics.PhysicsImages;
import org.medsynth.physics.Volume;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * CT2X-GAN's evaluation as in the paper, on held-out CTs seen at every angle of the sweep: the X-ray-style outputs
 * against radiograph-style images of the same views (FID and KID on MedSynth's baseline features, and a paired
 * LPIPS-style distance on frozen random convolutional features, {@link RandomFeatures}), the DRR-style outputs
 * against the DRRs (PSNR and SSIM, data range 1). The same measures of another candidate set of images (a baseline)
 * come from {@link #distribution} and {@link #paired}.
 */
public final class Ct2xEvaluation {
    /** Seed and widths of the LPIPS-style evaluation features (not the training loss's). */
    public static final long LPIPS_SEED = 20_240_418;
    static final int[] LPIPS_WIDTHS = {16, 32, 64};
    private static final int KID_SUBSETS = 10;

    /** Held-out views: CTs, their DRRs, radiograph-style images (independent noise) and the angles. */
    public record HeldOut(List<Volume> cts, double[] degrees, List<float[]> drrs, List<float[]> radiographs) {
    }

    /** FID, KID (± sd) and the paired LPIPS-style distance of a candidate set against the radiograph-style set. */
    public record Distribution(double fid, double kid, double kidSd, double lpips, List<String> warnings) {
    }

    /** Mean PSNR (dB) and SSIM of candidates against references. */
    public record Paired(double psnr, double ssim) {
    }

    private Ct2xEvaluation() {
    }

    /** {@code count} held-out CTs from {@code seed}, each at every angle. */
    public static HeldOut heldOut(Ct2xData data, double[] degrees, int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Volume> cts = new ArrayList<>();
        List<float[]> drrs = new ArrayList<>();
        List<float[]> radiographs = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            Volume hu = data.anatomy(random);
            cts.add(hu);
            for (double angle : degrees) {
                drrs.add(Radiographs.drr(hu, data.imageSize(), angle));
                radiographs.add(Radiographs.radiograph(hu, data.imageSize(), angle, random));
            }
        }
        return new HeldOut(cts, degrees.clone(), drrs, radiographs);
    }

    /** The network's images of every held-out CT at every angle in one style, in the held-out order. */
    public static List<float[]> render(Ct2xNetwork network, NDManager manager, HeldOut heldOut, float[] style) {
        List<float[]> images = new ArrayList<>();
        for (Volume ct : heldOut.cts()) {
            for (float[] image : Ct2xModel.render(network, manager, ct, heldOut.degrees(), style)) {
                images.add(image);
            }
        }
        return images;
    }

    /** FID/KID and paired LPIPS-style distance of {@code candidates} against {@code radiographs}. */
    public static Distribution distribution(List<float[]> candidates, List<float[]> radiographs, int size,
            NDManager manager, long seed) {
        BaselineFeatureExtractor extractor = new BaselineFeatureExtractor();
        int n = candidates.size();
        double[][] real = new double[n][];
        double[][] fake = new double[n][];
        for (int i = 0; i < n; i++) {
            real[i] = extractor.features(image(radiographs.get(i), size));
            fake[i] = extractor.features(image(candidates.get(i), size));
        }
        DistributionMetrics.Value fid = DistributionMetrics.frechetDistance(real, fake);
        int subset = Math.max(2, n / 2);
        DistributionMetrics.Value kid = DistributionMetrics.kernelInceptionDistance(real, fake,
                DistributionMetrics.randomSubsets(n, KID_SUBSETS, subset, seed),
                DistributionMetrics.randomSubsets(n, KID_SUBSETS, subset, seed + 1));
        List<String> warnings = new ArrayList<>(fid.warnings());
        warnings.addAll(kid.warnings());
        return new Distribution(fid.value(), kid.value(), kid.components().getOrDefault("sd", Double.NaN),
                lpips(candidates, radiographs, size, manager), warnings);
    }

    /** Mean LPIPS-style distance of image pairs ([0, 1] images, compared in [−1, 1]). */
    public static double lpips(List<float[]> candidates, List<float[]> references, int size, NDManager manager) {
        return NDScopes.compute(manager, scope -> {
            RandomFeatures features = new RandomFeatures(scope, LPIPS_SEED, LPIPS_WIDTHS);
            double sum = 0;
            for (int i = 0; i < candidates.size(); i++) {
                Shape shape = new Shape(1, 1, size, size);
                sum += PerceptualLoss.distance(features, scope.create(Ct2xModel.toModel(candidates.get(i)), shape),
                        scope.create(Ct2xModel.toModel(references.get(i)), shape)).getFloat();
            }
            return sum / candidates.size();
        });
    }

    /** Mean PSNR and SSIM (scikit-image defaults, data range 1). */
    public static Paired paired(List<float[]> candidates, List<float[]> references, int size) {
        double psnr = 0;
        double ssim = 0;
        for (int i = 0; i < candidates.size(); i++) {
            double[] reference = doubles(references.get(i));
            double[] candidate = doubles(candidates.get(i));
            psnr += ImageMetrics.psnr(reference, candidate, 1);
            ssim += ImageMetrics.ssim(reference, candidate, new int[] {size, size}, 1,
                    ImageMetrics.SsimOptions.SCIKIT_IMAGE_DEFAULTS);
        }
        return new Paired(psnr / candidates.size(), ssim / candidates.size());
    }

    /** A [0, 1] radiograph as a 2D image (unit pixels). */
    public static MedicalImage<?> image(float[] pixels, int size) {
        return PhysicsImages.image(pixels, size, size, 1, 1, Modality.DX, IntensityUnit.ARBITRARY);
    }

    private static double[] doubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
