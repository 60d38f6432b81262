package org.medsynth.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.medsynth.core.image.MedicalImage;
import org.medsynth.ml.MlEngine;
import org.medsynth.ml.NDScopes;
import org.medsynth.ml.nn.ResNetEncoder;
import org.medsynth.ml.weights.ModelCard;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * Features from a network MedSynth trains itself for medical images (the {@code phantom.features} trainer): a small
 * 2D ResNet whose globally pooled last stage ({@value #FEATURES} values) is the feature vector. Its input is the image
 * min–max scaled to [0, 1], resized bilinearly to {@value #INPUT_SIZE}² and mapped to [−1, 1]; the trainer feeds
 * exactly this input, so features at evaluation see what the network learnt on.
 * <p>
 * Unlike Inception features these were learnt on MedSynth's own data for a proxy task (recognising image
 * degradations), so values from them are comparable only with values from the same model card and weights, which
 * every result names.
 */
public final class TrainedFeatures implements FeatureExtractor {
    public static final String ARCHITECTURE = "resnet-features";
    public static final int INPUT_SIZE = 64;
    public static final int[] WIDTHS = {16, 32, 64, 128};
    public static final int[] BLOCKS = {1, 1, 1, 1};
    public static final int FEATURES = 128;

    private final ModelCard card;
    private final ResNetEncoder network;
    private final Model model;

    private TrainedFeatures(ModelCard card, ResNetEncoder network, Model model) {
        this.card = card;
        this.network = network;
        this.model = model;
    }

    /** The network with a classification head of {@code classes} outputs, as the trainer builds it. */
    public static ResNetEncoder network(int classes) {
        return new ResNetEncoder(2, 1, WIDTHS, BLOCKS, classes);
    }

    /**
     * Loads the model in {@code folder} (its card and the weights, after checking their sha256), on the CPU.
     *
     * @throws IOException naming the card or weight file and the problem
     */
    public static TrainedFeatures open(Path folder) throws IOException {
        ModelCard card = ModelCard.read(folder, ARCHITECTURE, "phantom.features");
        ResNetEncoder network = network(card.integer("architecture.classes"));
        return new TrainedFeatures(card, network, MlEngine.inEngineContext(() -> card.load(network, "cpu")));
    }

    /**
     * The network's input for a 2D grey image: (1, {@value #INPUT_SIZE}, {@value #INPUT_SIZE}) values in [−1, 1].
     *
     * @throws IllegalArgumentException for images that are not 2D grey, or have non-finite pixels
     */
    public static float[] input(MedicalImage<?> image) {
        Voxels voxels = Voxels.of(image);
        double[] unit = TorchScriptModels.unitRgbPlanes(voxels, ARCHITECTURE)[0];
        double[] resized = TorchScriptFeatureExtractor.resizeBilinear(unit, voxels.dims()[0], voxels.dims()[1],
                INPUT_SIZE, INPUT_SIZE);
        float[] input = new float[resized.length];
        for (int i = 0; i < resized.length; i++) {
            input[i] = (float) (2 * resized[i] - 1);
        }
        return input;
    }

    @Override
    public String description() {
        return "medsynth:" + card.id() + " (MedSynth-trained ResNet features, " + FEATURES + " values, model card "
                + card.file() + ", weights sha256 " + card.weightSha256() + "; trained by MedSynth on its own "
                + "phantoms, not Inception features: values comparable only with this model)";
    }

    @Override
    public double[] features(MedicalImage<?> image) {
        return features(List.of(image))[0];
    }

    @Override
    public double[][] features(List<? extends MedicalImage<?>> images) {
        int pixels = INPUT_SIZE * INPUT_SIZE;
        float[] inputs = new float[images.size() * pixels];
        for (int i = 0; i < images.size(); i++) {
            try {
                System.arraycopy(input(images.get(i)), 0, inputs, i * pixels, pixels);
            } catch (IllegalArgumentException e) {
                throw new ImageFeatureException(i, e);
            }
        }
        double[] values = MlEngine.inEngineContext(() -> NDScopes.compute(model.getNDManager(), scope -> {
            NDArray x = scope.create(inputs, new Shape(images.size(), 1, INPUT_SIZE, INPUT_SIZE));
            return network.features(new ParameterStore(scope, false), x, false).toType(DataType.FLOAT64, false)
                    .toDoubleArray();
        }));
        double[][] features = new double[images.size()][];
        for (int i = 0; i < features.length; i++) {
            features[i] = Arrays.copyOfRange(values, i * FEATURES, (i + 1) * FEATURES);
        }
        return features;
    }

    @Override
    public void close() {
        model.close();
    }
}
