package org.medsynth.eval;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.medsynth.ml.MlEngine;
import org.medsynth.ml.NDScopes;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * LPIPS-style perceptual distance (Zhang et al. 2018) on the feature maps of a user-supplied TorchScript network whose
 * {@code forward(x)} returns a tuple or list of (1, C, H, W) maps, e.g. a torchvision VGG or AlexNet trunk traced by
 * the user. Per layer the features are unit-normalised along the channels as the official {@code normalize_tensor},
 * x / (‖x‖₂ + 1e-10), the squared differences weighted per channel by the layer's lin weights and summed over
 * channels, and averaged over the map; the distance is the sum over layers. Without lin weights all weights are 1
 * (the "baseline" variant), so values are then not those of the published LPIPS models. Input as LPIPS takes images:
 * 2D only, intensities min–max scaled per image to [0, 1] (medical images have no fixed range) then to [−1, 1], grey
 * repeated to 3 channels, no resizing.
 */
public final class PerceptualDistance implements AutoCloseable {

    /** The official LPIPS code's eps in {@code normalize_tensor}. */
    static final double NORMALIZE_EPS = 1e-10;

    private final Path file;
    private final Model model;
    private final Path weightsFile;
    /** Per layer the lin weight of each channel; empty for the unweighted baseline. */
    private final List<double[]> channelWeights;

    private PerceptualDistance(Path file, Model model, Path weightsFile, List<double[]> channelWeights) {
        this.file = file;
        this.model = model;
        this.weightsFile = weightsFile;
        this.channelWeights = channelWeights;
    }

    /**
     * Loads the feature network for the unweighted baseline distance.
     *
     * @throws IOException naming the file when it does not exist or is not a TorchScript model
     */
    public static PerceptualDistance unweighted(Path network) throws IOException {
        Path absolute = network.toAbsolutePath().normalize();
        return new PerceptualDistance(absolute, TorchScriptModels.load(absolute, "lpips-features"), null, List.of());
    }

    /**
     * Loads the feature network and the lin weights: an .npz file with one array per feature map, in the network's
     * output order (as {@code numpy.savez(path, w0, w1, ...)} writes them), each holding that map's C weights in any
     * shape, e.g. LPIPS's (1, C, 1, 1) lin-layer kernels.
     *
     * @throws IOException naming the file that does not exist or cannot be read
     */
    public static PerceptualDistance weighted(Path network, Path linWeights) throws IOException {
        PerceptualDistance unweighted = unweighted(network);
        Path absolute = linWeights.toAbsolutePath().normalize();
        if (!Files.isRegularFile(absolute)) {
            unweighted.close();
            throw new IOException(absolute + ": no such .npz file of lin weights");
        }
        try (InputStream in = Files.newInputStream(absolute)) {
            List<double[]> weights = MlEngine.inEngineContext(() -> NDScopes.compute(
                    unweighted.model.getNDManager(), scope -> {
                        List<double[]> perLayer = new ArrayList<>();
                        for (NDArray layer : NDList.decode(scope, in)) {
                            perLayer.add(layer.toType(DataType.FLOAT64, false).toDoubleArray());
                        }
                        return perLayer;
                    }));
            if (weights.isEmpty()) {
                // an empty file would silently give the unweighted baseline
                throw new IOException("it holds no arrays");
            }
            return new PerceptualDistance(unweighted.file, unweighted.model, absolute, weights);
        } catch (IOException | RuntimeException e) {
            unweighted.close();
            throw new IOException(absolute + " is not an .npz file of lin weights: " + e.getMessage(), e);
        }
    }

    /** The network and weights, recorded with results since values are only comparable on the same ones. */
    public String description() {
        return "TorchScript " + file + (weightsFile == null ? " (LPIPS baseline, unweighted)"
                : " with lin weights " + weightsFile);
    }

    /**
     * The distance between two 2D images of the same shape; 0 for identical images and symmetric.
     *
     * @throws IllegalArgumentException for volumes, channel counts other than 1 or 3, non-finite values, or a network
     *         whose outputs are not (1, C, H, W) maps
     */
    public double distance(Voxels reference, Voxels candidate) {
        List<FeatureMap> a = featureMaps(reference);
        List<FeatureMap> b = featureMaps(candidate);
        if (!channelWeights.isEmpty() && channelWeights.size() != a.size()) {
            throw new IllegalArgumentException(weightsFile + " has lin weights for " + channelWeights.size()
                    + " feature maps but " + file + " returns " + a.size());
        }
        double total = 0;
        for (int layer = 0; layer < a.size(); layer++) {
            double[] weights = channelWeights.isEmpty() ? ones(a.get(layer).channels()) : channelWeights.get(layer);
            if (weights.length != a.get(layer).channels()) {
                throw new IllegalArgumentException(weightsFile + " has " + weights.length + " lin weights for feature"
                        + " map " + layer + ", which has " + a.get(layer).channels() + " channels");
            }
            total += layerDistance(a.get(layer), b.get(layer), weights);
        }
        return total;
    }

    /** One layer's output: values channel-major, then row-major over the map. */
    private record FeatureMap(double[] values, int channels, int positions) {
    }

    private List<FeatureMap> featureMaps(Voxels image) {
        double[][] unit = TorchScriptModels.unitRgbPlanes(image, "LPIPS");
        int plane = unit[0].length;
        float[] input = new float[3 * plane];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                input[c * plane + i] = (float) (2 * unit[c][i] - 1);
            }
        }
        Shape shape = new Shape(1, 3, image.dims()[1], image.dims()[0]);
        return MlEngine.inEngineContext(() -> NDScopes.compute(model.getNDManager(), scope -> {
            NDList outputs = TorchScriptModels.forward(model, scope, scope.create(input, shape));
            List<FeatureMap> maps = new ArrayList<>(outputs.size());
            for (NDArray output : outputs) {
                long[] dims = output.getShape().getShape();
                if (dims.length != 4 || dims[0] != 1) {
                    throw new IllegalArgumentException(file + " returned a feature map of shape "
                            + Arrays.toString(dims) + "; LPIPS needs (1, C, H, W) maps");
                }
                maps.add(new FeatureMap(output.toType(DataType.FLOAT64, false).toDoubleArray(),
                        Math.toIntExact(dims[1]), Math.toIntExact(dims[2] * dims[3])));
            }
            return maps;
        }));
    }

    private static double[] ones(int n) {
        double[] ones = new double[n];
        Arrays.fill(ones, 1);
        return ones;
    }

    /** Σ_c w_c (x̂ − ŷ)² averaged over the map, x̂ = x / (‖x‖₂ + eps) with the norm over channels. */
    private static double layerDistance(FeatureMap x, FeatureMap y, double[] weights) {
        double sum = 0;
        for (int p = 0; p < x.positions(); p++) {
            double xNorm = channelNorm(x, p) + NORMALIZE_EPS;
            double yNorm = channelNorm(y, p) + NORMALIZE_EPS;
            for (int c = 0; c < x.channels(); c++) {
                int i = c * x.positions() + p;
                double d = x.values()[i] / xNorm - y.values()[i] / yNorm;
                sum += weights[c] * d * d;
            }
        }
        return sum / x.positions();
    }

    private static double channelNorm(FeatureMap map, int position) {
        double squares = 0;
        for (int c = 0; c < map.channels(); c++) {
            double v = map.values()[c * map.positions() + position];
            squares += v * v;
        }
        return Math.sqrt(squares);
    }

    @Override
    public void close() {
        model.close();
    }
}
