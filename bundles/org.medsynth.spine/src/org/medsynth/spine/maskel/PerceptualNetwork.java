package org.medsynth.spine.maskel;

import java.io.IOException;

import org.medsynth.eval.TrainedFeatures;
import org.medsynth.ml.loss.FeatureNetwork;
import org.medsynth.ml.nn.ResNetEncoder;
import org.medsynth.ml.weights.ModelCard;

import ai.djl.Model;
import ai.djl.training.ParameterStore;

/**
 * The feature network of MaSkel's perceptual loss and of its LPIPS-style metric: no ImageNet VGG can be fetched, so
 * it is MedSynth's own ResNet feature model ({@code phantom.features}, shipped as {@code phantom-features}), compared
 * on the maps after its stem and each residual block. Its weights are never trained here.
 */
final class PerceptualNetwork implements AutoCloseable {
    private final ModelCard card;
    private final ResNetEncoder network;
    private final Model model;

    private PerceptualNetwork(ModelCard card, ResNetEncoder network, Model model) {
        this.card = card;
        this.network = network;
        this.model = model;
    }

    /** The feature model of that id or folder, its weights checked against its card. */
    static PerceptualNetwork open(String idOrFolder, String device) throws IOException {
        ModelCard card = ModelCard.read(ModelCard.locate(idOrFolder), TrainedFeatures.ARCHITECTURE,
                "phantom.features");
        ResNetEncoder network = TrainedFeatures.network(card.integer("architecture.classes"));
        Model model = card.load(network, device);
        // gradients flow through the features to the compared images, never into these weights
        network.freezeParameters(true);
        return new PerceptualNetwork(card, network, model);
    }

    /** The network's block maps of a batch, computed in the batch's manager with gradients to the batch only. */
    FeatureNetwork network() {
        return batch -> network.blockMaps(new ParameterStore(batch.getManager(), false), batch, false);
    }

    String description() {
        return "block maps (stem and every residual block) of " + card.id() + " (weights sha256 "
                + card.weightSha256().substring(0, 12) + "…), LPIPS form without lin weights";
    }

    @Override
    public void close() {
        model.close();
    }
}
