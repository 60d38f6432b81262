package org.medsynth.eval;

import static org.medsynth.ml.weights.TrainedModels.number;

import java.util.ArrayList;
import java.util.List;

import org.medsynth.core.image.MedicalImage;
import org.medsynth.ml.weights.ModelCardYaml;

/**
 * How far a generative model's samples lie from held-out real images in MedSynth's baseline features
 * ({@link BaselineFeatureExtractor}): FID, and KID (mean and sd over {@value #KID_SUBSETS} random subsets of half
 * the images each), with the warnings both give for small samples. What an unconditional generator's trainer puts
 * in its model card.
 */
public record SampleDistances(double fid, double kid, double kidSd, int samples, List<String> warnings) {
    public static final int KID_SUBSETS = 10;

    /** The distances of {@code generated} from {@code real} (as many of each); KID subsets drawn from {@code seed}. */
    public static SampleDistances of(List<MedicalImage<?>> real, List<MedicalImage<?>> generated, long seed) {
        int n = real.size();
        if (generated.size() != n) {
            throw new IllegalArgumentException(n + " real but " + generated.size() + " generated images");
        }
        BaselineFeatureExtractor extractor = new BaselineFeatureExtractor();
        double[][] realFeatures = new double[n][];
        double[][] fakeFeatures = new double[n][];
        for (int i = 0; i < n; i++) {
            realFeatures[i] = extractor.features(real.get(i));
            fakeFeatures[i] = extractor.features(generated.get(i));
        }
        DistributionMetrics.Value fid = DistributionMetrics.frechetDistance(realFeatures, fakeFeatures);
        int subsetSize = Math.max(2, n / 2);
        DistributionMetrics.Value kid = DistributionMetrics.kernelInceptionDistance(realFeatures, fakeFeatures,
                DistributionMetrics.randomSubsets(n, KID_SUBSETS, subsetSize, seed),
                DistributionMetrics.randomSubsets(n, KID_SUBSETS, subsetSize, seed + 1));
        List<String> warnings = new ArrayList<>(fid.warnings());
        warnings.addAll(kid.warnings());
        return new SampleDistances(fid.value(), kid.value(), kid.components().getOrDefault("sd", Double.NaN), n,
                List.copyOf(warnings));
    }

    /** The model card's lines of these distances (inside its metrics section). */
    public List<String> cardLines() {
        List<String> lines = new ArrayList<>();
        lines.add("  features: " + ModelCardYaml.scalar(new BaselineFeatureExtractor().description()));
        lines.add("  fid-baseline: " + number(fid));
        lines.add("  kid-baseline: " + number(kid));
        lines.add("  kid-baseline-sd: " + number(kidSd));
        for (String warning : warnings) {
            lines.add("  warning: " + ModelCardYaml.scalar(warning));
        }
        return lines;
    }
}
