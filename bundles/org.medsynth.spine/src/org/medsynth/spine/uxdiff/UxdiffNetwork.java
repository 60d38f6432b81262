package org.medsynth.spine.uxdiff;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.IProgressMonitor;
import org.medsynth.ml.NDScopes;
import org.medsynth.ml.diffusion.Denoiser;
import org.medsynth.ml.diffusion.DiffusionSampler;
import org.medsynth.ml.diffusion.NoiseSchedule;
import org.medsynth.ml.diffusion.Prediction;
import org.medsynth.ml.diffusion.StepHook;
import org.medsynth.ml.nn.UNetConfig;
import org.medsynth.ml.weights.ModelCard;
import org.medsynth.ml.weights.ModelCardYaml;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * The shape of a UXDiff model as its card records it, so that the generator rebuilds exactly what the trainer
 * trained: images {@code columns} × {@value SpinePairs#ASPECT}·{@code columns}, the U-Net, the angle-embedding
 * transformer and the noise schedule. Radiographs and ultrasounds are in the model units of {@link SpinePairs}.
 */
record UxdiffNetwork(int columns, int baseChannels, int[] multipliers, int resBlocks, int attentionLevel, int heads,
        int tokenDim, int patch, int depth, String schedule, int trainingSteps) {
    static final String ARCHITECTURE = "uxdiff";
    static final Prediction PREDICTION = Prediction.EPSILON;

    int rows() {
        return SpinePairs.ASPECT * columns;
    }

    UNetConfig unetConfig() {
        return UNetConfig.of(2, 1, 1, baseChannels, multipliers).withResBlocks(resBlocks)
                .withAttention(heads, attentionLevel).withConditionChannels(1).withContext(tokenDim);
    }

    UxdiffModel build() {
        return new UxdiffModel(new AngleTransformer(columns, rows(), patch, tokenDim, depth, heads), unetConfig());
    }

    NoiseSchedule noiseSchedule() {
        return NoiseSchedule.named(schedule, trainingSteps);
    }

    /** The noise the model predicts in x_t (N, 1, H, W) at steps t (N) given ultrasounds and angles (N, 2). */
    static NDArray predict(UxdiffModel model, NDArray xt, NDArray t, NDArray ultrasound, NDArray angles,
            boolean training) {
        return model.apply(new ParameterStore(xt.getManager(), false), xt, t, ultrasound, angles, training);
    }

    /**
     * Radiographs (model units, N × pixels, x fastest) for ultrasounds (model units, one array each) and their
     * angles ({Cobb, UCA} each, {@value SpinePairs#MISSING_ANGLE} when not given): DDIM with {@code steps} steps and
     * {@code eta} from Gaussian noise drawn from {@code random}, or with {@code steps} = 0 ancestral DDPM over all
     * training steps.
     */
    float[] sample(UxdiffModel model, List<float[]> ultrasounds, double[][] angles, int steps, double eta,
            SplittableRandom random, NDManager manager, IProgressMonitor monitor) {
        int n = ultrasounds.size();
        int pixels = columns * rows();
        float[] source = new float[n * pixels];
        float[] angleValues = new float[n * AngleTransformer.ANGLES];
        for (int i = 0; i < n; i++) {
            System.arraycopy(ultrasounds.get(i), 0, source, i * pixels, pixels);
            for (int a = 0; a < AngleTransformer.ANGLES; a++) {
                angleValues[i * AngleTransformer.ANGLES + a] = (float) angles[i][a];
            }
        }
        DiffusionSampler sampler = new DiffusionSampler(noiseSchedule(), PREDICTION, true);
        Shape shape = new Shape(n, 1, rows(), columns);
        return NDScopes.compute(manager, scope -> {
            NDArray ultrasound = scope.create(source, shape);
            NDArray angleArray = scope.create(angleValues, new Shape(n, AngleTransformer.ANGLES));
            Denoiser denoiser = (xt, t) -> predict(model, xt, t, ultrasound, angleArray, false);
            NDArray start = DiffusionSampler.gaussian(scope, shape, random);
            NDArray x0 = steps == 0 ? sampler.ddpm(denoiser, start, random, StepHook.NONE, monitor)
                    : sampler.ddim(denoiser, start, steps, eta, random, StepHook.NONE, monitor);
            return x0.toFloatArray();
        });
    }

    /** The card's architecture and diffusion sections. */
    List<String> cardLines(long parameterCount) {
        String levels = Arrays.stream(multipliers).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        return List.of(
                "architecture:",
                "  name: " + ARCHITECTURE,
                "  description: " + ModelCardYaml.scalar(String.format(Locale.ROOT, "conditional DDPM: 2D U-Net (%d "
                        + "base channels, multipliers [%s], %d residual block(s) per level, self- and cross-attention "
                        + "with %d heads at level %d and in the middle) on the noisy x-ray with the ultrasound "
                        + "concatenated; cross-attention to an angle-embedding transformer (%d×%d patches of the "
                        + "ultrasound + a Cobb and a UCA token, -1 for a missing angle; %d tokens features, %d "
                        + "blocks); predicts the noise", baseChannels, levels, resBlocks, heads, attentionLevel,
                        patch, patch, tokenDim, depth)),
                "  image-columns: " + columns,
                "  image-rows: " + rows(),
                "  base-channels: " + baseChannels,
                "  multipliers: " + ModelCardYaml.scalar(levels),
                "  res-blocks: " + resBlocks,
                "  attention-level: " + attentionLevel,
                "  heads: " + heads,
                "  token-dim: " + tokenDim,
                "  patch: " + patch,
                "  transformer-depth: " + depth,
                "  parameters: " + parameterCount,
                "diffusion:",
                "  schedule: " + schedule,
                "  training-steps: " + trainingSteps,
                "  prediction: " + PREDICTION.id(),
                "  intensity: " + ModelCardYaml.scalar("x-ray: min-max of each radiograph to [-1, 1]; ultrasound: "
                        + "divided by its 99th percentile, clipped to [0, 1], mapped to [-1, 1]"));
    }

    static UxdiffNetwork fromCard(ModelCard card) throws IOException {
        String prediction = card.text("diffusion.prediction");
        if (!prediction.equals(PREDICTION.id())) {
            throw new IOException(card.file() + ": diffusion.prediction is '" + prediction + "'; UXDiff runs "
                    + PREDICTION.id() + "-prediction models");
        }
        UxdiffNetwork network = new UxdiffNetwork(card.integer("architecture.image-columns"),
                card.integer("architecture.base-channels"), card.integers("architecture.multipliers"),
                card.integer("architecture.res-blocks"), card.integer("architecture.attention-level"),
                card.integer("architecture.heads"), card.integer("architecture.token-dim"),
                card.integer("architecture.patch"), card.integer("architecture.transformer-depth"),
                card.text("diffusion.schedule"), card.integer("diffusion.training-steps"));
        try {
            network.unetConfig();
            network.noiseSchedule();
        } catch (IllegalArgumentException e) {
            throw new IOException(card.file() + ": " + e.getMessage(), e);
        }
        return network;
    }
}
