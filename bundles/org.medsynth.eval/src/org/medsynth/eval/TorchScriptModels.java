package org.medsynth.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.medsynth.ml.MlEngine;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;

/**
 * What the networks run on images share: loading a user-supplied TorchScript file by local path through DJL's
 * PyTorch engine (never the model zoo) on the CPU, running it, and turning a 2D image into 3 channels in [0, 1].
 */
final class TorchScriptModels {

    private TorchScriptModels() {
    }

    /**
     * Loads a TorchScript file.
     *
     * @throws IOException naming the file when it does not exist or is not a TorchScript model
     */
    static Model load(Path absolute, String name) throws IOException {
        if (!Files.isRegularFile(absolute)) {
            throw new IOException(absolute + ": no such TorchScript file");
        }
        MlEngine.pytorch();
        Model model = MlEngine.inEngineContext(() -> Model.newInstance(name, Device.cpu(), MlEngine.ENGINE_NAME));
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
        return model;
    }

    /** The model's outputs for one input, with arrays attached to {@code scope}; a tuple or list comes back flat. */
    static NDList forward(Model model, NDManager scope, NDArray input) {
        return model.getBlock().forward(new ParameterStore(scope, false), new NDList(input), false);
    }

    /**
     * A 2D grey or 3-channel image as three channel planes (x fastest), intensities min–max scaled over the whole
     * image to [0, 1] because medical images have no fixed range; grey is repeated to 3 channels. A constant image
     * becomes 0.
     *
     * @param preprocessing named in the error for images it cannot take
     */
    static double[][] unitRgbPlanes(Voxels image, String preprocessing) {
        int spatialAxes = image.spacing().length;
        int[] dims = image.dims();
        int channels = dims.length > spatialAxes ? dims[spatialAxes] : 1;
        if (spatialAxes != 2 || (channels != 1 && channels != 3)) {
            throw new IllegalArgumentException(preprocessing + " preprocessing takes 2D grey or 3-channel images, not "
                    + Arrays.toString(dims) + " with " + spatialAxes + " spatial axes; take slices of volumes first");
        }
        double[] values = image.values();
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
        int plane = dims[0] * dims[1];
        double[][] planes = new double[3][plane];
        for (int c = 0; c < 3; c++) {
            int source = channels == 1 ? 0 : c;
            for (int i = 0; i < plane; i++) {
                planes[c][i] = range > 0 ? (values[source * plane + i] - min) / range : 0;
            }
        }
        return planes;
    }
}
