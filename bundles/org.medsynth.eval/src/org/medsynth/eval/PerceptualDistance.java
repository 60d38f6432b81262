package org.medsynth.eval;

import java.io.IOException;
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
 * the user. Unweighted: the "baseline" variant without the learned per-channel lin layers, so values are not those of
 * the published LPIPS models. Per layer the features are unit-normalised along the channels as the official
 * {@code normalize_tensor}, x / (‖x‖₂ + 1e-10), the squared differences summed over channels and averaged over the
 * map; the distance is the sum over layers. Input as LPIPS takes images: 2D only, intensities min–max scaled per
 * image to [0, 1] (medical images have no fixed range) then to [−1, 1], grey repeated to 3 channels, no resizing.
 */
public final class PerceptualDistance implements AutoCloseable {

    /** The official LPIPS code's eps in {@code normalize_tensor}. */
    static final double NORMALIZE_EPS = 1e-10;

    private final Path file;
    private final Model model;

    private PerceptualDistance(Path file, Model model) {
        this.file = file;
        this.model = model;
    }

    /**
     * Loads the feature network.
     *
     * @throws IOException naming the file when it does not exist or is not a TorchScript model
     */
    public static PerceptualDistance open(Path network) throws IOException {
        Path absolute = network.toAbsolutePath().normalize();
        return new PerceptualDistance(absolute, TorchScriptModels.load(absolute, "lpips-features"));
    }

    /** The network, recorded with results since values are only comparable on the same one. */
    public String description() {
        return "TorchScript " + file + " (LPIPS baseline, unweighted)";
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
        double total = 0;
        for (int layer = 0; layer < a.size(); layer++) {
            total += layerDistance(a.get(layer), b.get(layer));
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

    /** Σ_c (x̂ − ŷ)² averaged over the map, x̂ = x / (‖x‖₂ + eps) with the norm over channels. */
    private static double layerDistance(FeatureMap x, FeatureMap y) {
        double sum = 0;
        for (int p = 0; p < x.positions(); p++) {
            double xNorm = channelNorm(x, p) + NORMALIZE_EPS;
            double yNorm = channelNorm(y, p) + NORMALIZE_EPS;
            for (int c = 0; c < x.channels(); c++) {
                int i = c * x.positions() + p;
                double d = x.values()[i] / xNorm - y.values()[i] / yNorm;
                sum += d * d;
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
