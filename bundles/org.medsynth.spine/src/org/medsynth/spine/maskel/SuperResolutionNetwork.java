package org.medsynth.spine.maskel;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.IProgressMonitor;
import org.medsynth.ml.diffusion.ResidualShift;
import org.medsynth.ml.nn.Conditioning;
import org.medsynth.ml.nn.UNet;
import org.medsynth.ml.nn.UNetConfig;
import org.medsynth.ml.weights.ModelCard;
import org.medsynth.ml.weights.ModelCardYaml;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * MaSkel's super-resolution step as a residual-shifting diffusion ({@link ResidualShift}, ResShift): a 2D U-Net
 * reads the scaled x_t and the bicubic upsampling y_0 of the low-resolution X-ray as two channels and predicts the
 * high-resolution X-ray x_0, at step t. ResShift runs in a VQ autoencoder's latent space with a Swin U-Net; here it
 * runs on the pixels with a convolutional U-Net (no attention), which keeps 256² inference on a CPU to seconds and,
 * being fully convolutional, lets it train on crops and run on whole images. X-rays are −ln(I/I₀) in the model's
 * [−1, 1] ({@link MaskelNetwork#xrayToModel}).
 */
record SuperResolutionNetwork(int lowSize, int factor, int tile, int baseChannels, int[] multipliers, int resBlocks,
        int diffusionSteps, double kappa, double power) {
    static final String ARCHITECTURE = "unet-resshift";

    SuperResolutionNetwork {
        if (lowSize < 4 || factor < 2) {
            throw new IllegalArgumentException("low-size must be at least 4 and factor at least 2, got " + lowSize
                    + " and " + factor);
        }
        UNetConfig config = UNetConfig.of(2, 2, 1, baseChannels, multipliers);
        if (lowSize * factor % config.sizeDivisor() != 0) {
            throw new IllegalArgumentException("the high-resolution size " + lowSize * factor + " must be a multiple"
                    + " of " + config.sizeDivisor() + " for this U-Net");
        }
        if (tile < config.sizeDivisor() || tile % config.sizeDivisor() != 0 || tile > lowSize * factor) {
            throw new IllegalArgumentException("the tile (the training crop) must be a multiple of "
                    + config.sizeDivisor() + " no larger than " + lowSize * factor + ", got " + tile);
        }
    }

    int highSize() {
        return lowSize * factor;
    }

    UNetConfig config() {
        return UNetConfig.of(2, 2, 1, baseChannels, multipliers).withResBlocks(resBlocks);
    }

    UNet build() {
        return new UNet(config());
    }

    ResidualShift shift() {
        return new ResidualShift(diffusionSteps, kappa, power);
    }

    /** x̂_0 of the scaled x_t and y_0 (both (N, 1, H, W)) at steps t (N). */
    static NDArray predictClean(UNet network, NDArray scaledXt, NDArray y0, NDArray t, boolean training) {
        return network.apply(new ParameterStore(scaledXt.getManager(), false), scaledXt.concat(y0, 1), t,
                Conditioning.NONE, training);
    }

    /** The bicubic starting images y_0 (N, 1, high, high) of low-resolution X-rays in −ln(I/I₀), in model units. */
    NDArray startingImages(List<float[]> lowResolution, NDManager manager) {
        int pixels = highSize() * highSize();
        float[] values = new float[lowResolution.size() * pixels];
        for (int n = 0; n < lowResolution.size(); n++) {
            float[] up = LowResolution.upsampleBicubic(lowResolution.get(n), lowSize, factor);
            for (int p = 0; p < pixels; p++) {
                values[n * pixels + p] = MaskelNetwork.xrayToModel(up[p]);
            }
        }
        return manager.create(values, new Shape(lowResolution.size(), 1, highSize(), highSize()));
    }

    /** The high-resolution X-rays (model units) of the starting images y_0, by residual shifting. */
    NDArray restore(UNet network, NDArray y0, SplittableRandom random, IProgressMonitor monitor) {
        return shift().sample((scaledXt, t) -> predictTiled(network, scaledXt, y0, t), y0, true, random, monitor);
    }

    /**
     * x̂_0 of whole images from overlapping tiles of the training crops' size, blended with weights that fall
     * towards each tile's edges (ResShift's chopped inference). The network learned on crops: its group norms
     * normalise over a crop, so a whole image, with other statistics, would shift its output.
     */
    NDArray predictTiled(UNet network, NDArray scaledXt, NDArray y0, NDArray t) {
        int size = highSize();
        int count = (int) y0.getShape().get(0);
        int[] starts = tileStarts(size, tile);
        NDList xs = new NDList();
        NDList ys = new NDList();
        for (int top : starts) {
            for (int left : starts) {
                NDIndex window = new NDIndex(":, :, {}:{}, {}:{}", top, top + tile, left, left + tile);
                xs.add(scaledXt.get(window));
                ys.add(y0.get(window));
            }
        }
        int tiles = starts.length * starts.length;
        float[] predicted = predictClean(network, NDArrays.concat(xs), NDArrays.concat(ys), t.tile(tiles), false)
                .toFloatArray();
        double[] sum = new double[count * size * size];
        double[] weightSum = new double[size * size];
        int tilePixels = tile * tile;
        int k = 0;
        for (int top : starts) {
            for (int left : starts) {
                for (int y = 0; y < tile; y++) {
                    for (int x = 0; x < tile; x++) {
                        double w = edgeWeight(y) * edgeWeight(x);
                        int pixel = (top + y) * size + left + x;
                        weightSum[pixel] += w;
                        for (int n = 0; n < count; n++) {
                            sum[n * size * size + pixel] += w * predicted[((k * count) + n) * tilePixels + y * tile + x];
                        }
                    }
                }
                k++;
            }
        }
        float[] blended = new float[sum.length];
        for (int i = 0; i < sum.length; i++) {
            blended[i] = (float) (sum[i] / weightSum[i % (size * size)]);
        }
        return y0.getManager().create(blended, new Shape(count, 1, size, size));
    }

    /** A tile's weight at offset i: 1 at the centre falling linearly to 1/(tile/2) at the edges. */
    private double edgeWeight(int i) {
        return Math.min(i + 1, tile - i) / (tile / 2.0);
    }

    /** Starts of tiles that cover [0, size) with a quarter-tile overlap at least, evenly spread. */
    static int[] tileStarts(int size, int tile) {
        if (tile >= size) {
            return new int[] {0};
        }
        int stride = tile - tile / 4;
        int count = (size - tile + stride - 1) / stride + 1;
        int[] starts = new int[count];
        for (int i = 0; i < count; i++) {
            starts[i] = (int) Math.round((double) i * (size - tile) / (count - 1));
        }
        return starts;
    }

    /** The card's architecture and diffusion sections. */
    List<String> cardLines(long parameterCount) {
        String levels = Arrays.stream(multipliers).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        return List.of(
                "architecture:",
                "  name: " + ARCHITECTURE,
                "  description: " + ModelCardYaml.scalar(String.format(Locale.ROOT, "2D U-Net on two channels "
                        + "(x_t scaled by 1/sqrt(kappa^2 eta_t + 1), and the bicubic upsampling y_0), %d base "
                        + "channels, multipliers [%s], %d residual block(s) per level, no attention; predicts the "
                        + "high-resolution image x_0, on %d² tiles (the training crops) overlapping by a quarter and "
                        + "blended", baseChannels, levels, resBlocks, tile)),
                "  base-channels: " + baseChannels,
                "  multipliers: " + ModelCardYaml.scalar(levels),
                "  res-blocks: " + resBlocks,
                "  low-size: " + lowSize,
                "  tile: " + tile,
                "  factor: " + factor,
                "  parameters: " + parameterCount,
                "diffusion:",
                "  process: " + ModelCardYaml.scalar("residual shifting (ResShift): x_t = x_0 + eta_t (y_0 - x_0) + "
                        + "kappa sqrt(eta_t) noise, exponential eta schedule, sqrt(eta_1) = min(0.04 / kappa, 0.04), "
                        + "sqrt(eta_T) = 0.99"),
                "  steps: " + diffusionSteps,
                "  kappa: " + kappa,
                "  power: " + power,
                "  prediction: x0",
                "  intensity: " + ModelCardYaml.scalar("-ln(I/I0) in [0, " + MaskelNetwork.XRAY_RANGE
                        + "] mapped to [-1, 1]"));
    }

    static SuperResolutionNetwork fromCard(ModelCard card) throws IOException {
        try {
            return new SuperResolutionNetwork(card.integer("architecture.low-size"), card.integer("architecture.factor"),
                    card.integer("architecture.tile"), card.integer("architecture.base-channels"), card.integers("architecture.multipliers"),
                    card.integer("architecture.res-blocks"), card.integer("diffusion.steps"),
                    card.decimal("diffusion.kappa"), card.decimal("diffusion.power"));
        } catch (IllegalArgumentException e) {
            throw new IOException(card.file() + ": " + e.getMessage(), e);
        }
    }
}
