package org.medsynth.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import org.medsynth.core.image.MedicalImage;
import org.medsynth.ml.ImageTensors;
import org.medsynth.ml.MlEngine;
import org.medsynth.ml.NDScopes;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Features from a user-supplied TorchScript model (e.g. pytorch-fid's Inception-v3 exported with
 * {@code torch.jit.trace}), loaded by local path through DJL's PyTorch engine (never the model zoo), on the CPU. The
 * model's output for a batch of one image, flattened, is the feature vector.
 */
public final class TorchScriptFeatureExtractor implements FeatureExtractor {

    /** How an image becomes the model's input. */
    public enum Preprocessing {
        /**
         * pytorch-fid's Inception input, for 2D images: intensities min–max scaled per image to [0, 1] (medical
         * images have no fixed range; pytorch-fid expects [0, 1] pixels), grey repeated to 3 channels, bilinear
         * resize to 299×299 as {@code F.interpolate(align_corners=False)} without antialiasing, then 2x − 1
         * ({@code normalize_input}): a (1, 3, 299, 299) array.
         */
        PYTORCH_FID("pytorch-fid"),
        /** The image's own values as a (1, C, H, W) or (1, C, D, H, W) array. */
        NONE("none");

        private final String id;

        Preprocessing(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public static Preprocessing of(String id) {
            return Arrays.stream(values()).filter(p -> p.id.equals(id)).findFirst().orElseThrow(
                    () -> new IllegalArgumentException("unknown preprocessing '" + id + "'; known: pytorch-fid, none"));
        }
    }

    static final int INCEPTION_SIZE = 299;

    private final Path file;
    private final Preprocessing preprocessing;
    private final Model model;

    private TorchScriptFeatureExtractor(Path file, Preprocessing preprocessing, Model model) {
        this.file = file;
        this.preprocessing = preprocessing;
        this.model = model;
    }

    /**
     * Loads a TorchScript file.
     *
     * @throws IOException naming the file when it does not exist or is not a TorchScript model
     */
    public static TorchScriptFeatureExtractor open(Path file, Preprocessing preprocessing) throws IOException {
        Path absolute = file.toAbsolutePath().normalize();
        return new TorchScriptFeatureExtractor(absolute, preprocessing, TorchScriptModels.load(absolute, "features"));
    }

    @Override
    public String description() {
        return "TorchScript " + file + " (preprocessing " + preprocessing.id() + ")";
    }

    @Override
    public double[] features(MedicalImage<?> image) {
        return MlEngine.inEngineContext(() -> NDScopes.compute(model.getNDManager(), scope -> {
            NDArray input = preprocessing == Preprocessing.PYTORCH_FID
                    ? scope.create(inceptionInput(image), new Shape(1, 3, INCEPTION_SIZE, INCEPTION_SIZE))
                    : ImageTensors.toNDArray(image, scope).expandDims(0);
            return TorchScriptModels.forward(model, scope, input).singletonOrThrow().toType(DataType.FLOAT64, false)
                    .toDoubleArray();
        }));
    }

    /** pytorch-fid's input for a 2D grey or 3-channel image, (3, 299, 299) channels-first, as float32. */
    static float[] inceptionInput(MedicalImage<?> image) {
        Voxels voxels = Voxels.of(image);
        double[][] unit = TorchScriptModels.unitRgbPlanes(voxels, Preprocessing.PYTORCH_FID.id());
        int width = voxels.dims()[0];
        int height = voxels.dims()[1];
        float[] input = new float[3 * INCEPTION_SIZE * INCEPTION_SIZE];
        for (int c = 0; c < 3; c++) {
            double[] resized = resizeBilinear(unit[c], width, height, INCEPTION_SIZE, INCEPTION_SIZE);
            for (int i = 0; i < resized.length; i++) {
                input[c * resized.length + i] = (float) (2 * resized[i] - 1);
            }
        }
        return input;
    }

    /**
     * Bilinear resize of a row-major plane (x fastest) as PyTorch's {@code F.interpolate(mode="bilinear",
     * align_corners=False)}: source coordinate (dst + ½)·in/out − ½, clamped at 0, no antialiasing.
     */
    static double[] resizeBilinear(double[] plane, int width, int height, int outWidth, int outHeight) {
        double[] out = new double[outWidth * outHeight];
        for (int oy = 0; oy < outHeight; oy++) {
            double sy = Math.max((oy + 0.5) * height / outHeight - 0.5, 0);
            int y0 = (int) sy;
            int y1 = y0 < height - 1 ? y0 + 1 : y0;
            double wy = sy - y0;
            for (int ox = 0; ox < outWidth; ox++) {
                double sx = Math.max((ox + 0.5) * width / outWidth - 0.5, 0);
                int x0 = (int) sx;
                int x1 = x0 < width - 1 ? x0 + 1 : x0;
                double wx = sx - x0;
                out[oy * outWidth + ox] = (1 - wy) * ((1 - wx) * plane[y0 * width + x0] + wx * plane[y0 * width + x1])
                        + wy * ((1 - wx) * plane[y1 * width + x0] + wx * plane[y1 * width + x1]);
            }
        }
        return out;
    }

    @Override
    public void close() {
        model.close();
    }
}
