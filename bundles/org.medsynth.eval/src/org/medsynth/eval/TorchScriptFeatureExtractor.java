package org.medsynth.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.medsynth.core.image.MedicalImage;
import org.medsynth.ml.ImageTensors;
import org.medsynth.ml.MlEngine;
import org.medsynth.ml.NDScopes;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

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
        if (!Files.isRegularFile(absolute)) {
            throw new IOException(absolute + ": no such TorchScript file");
        }
        MlEngine.pytorch();
        Model model = MlEngine.inEngineContext(() -> Model.newInstance("features", Device.cpu(),
                MlEngine.ENGINE_NAME));
        try {
            MlEngine.<Void, Exception>inEngineContext(() -> {
                model.load(absolute);
                return null;
            });
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new IOException(absolute + " is not a TorchScript model DJL's PyTorch engine can load: "
                    + e.getMessage(), e);
        } catch (Exception e) {
            model.close();
            throw new IOException(absolute + ": " + e.getMessage(), e);
        }
        return new TorchScriptFeatureExtractor(absolute, preprocessing, model);
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
            NDList output = model.getBlock().forward(new ParameterStore(scope, false), new NDList(input), false);
            NDArray features = output.singletonOrThrow().toType(DataType.FLOAT64, false);
            return features.toDoubleArray();
        }));
    }

    /** pytorch-fid's input for a 2D grey or 3-channel image, (3, 299, 299) channels-first, as float32. */
    static float[] inceptionInput(MedicalImage<?> image) {
        int spatialAxes = image.geometry().dimensions();
        long[] dims = image.dimensions();
        int channels = dims.length > spatialAxes ? Math.toIntExact(dims[spatialAxes]) : 1;
        if (spatialAxes != 2 || (channels != 1 && channels != 3)) {
            throw new IllegalArgumentException("pytorch-fid preprocessing takes 2D grey or 3-channel images, not "
                    + Arrays.toString(dims) + " with " + spatialAxes + " spatial axes; take slices of volumes first");
        }
        double[] values = Voxels.of(image).values();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("the image has a non-finite value (" + values[i] + ") at element " + i);
            }
            min = Math.min(min, values[i]);
            max = Math.max(max, values[i]);
        }
        double range = max - min;
        int width = Math.toIntExact(dims[0]);
        int height = Math.toIntExact(dims[1]);
        int plane = width * height;
        float[] input = new float[3 * INCEPTION_SIZE * INCEPTION_SIZE];
        for (int c = 0; c < 3; c++) {
            double[] unit = new double[plane];
            int source = channels == 1 ? 0 : c;
            for (int i = 0; i < plane; i++) {
                unit[i] = range > 0 ? (values[source * plane + i] - min) / range : 0;
            }
            double[] resized = resizeBilinear(unit, width, height, INCEPTION_SIZE, INCEPTION_SIZE);
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
