package org.medsynth.spine.uxdiff;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.medsynth.core.api.GenerationRequest;
import org.medsynth.core.api.GenerationResult;
import org.medsynth.core.api.GenerationResult.NamedImage;
import org.medsynth.core.api.Generator;
import org.medsynth.ml.MlEngine;
import org.medsynth.ml.weights.ModelCard;

import ai.djl.Model;

/**
 * Translates coronal spine ultrasounds into AP radiographs with the pix2pix baseline
 * ({@code spine.uxdiff-pix2pix}; the shipped spine-uxdiff-pix2pix by default), one deterministic forward pass per
 * image. Without input images it translates {@code count} spine phantoms drawn as in training, with their
 * ultrasounds and true radiographs. The weight file's sha256 is checked before anything is loaded.
 */
public final class Pix2PixGenerator implements Generator {
    @Override
    public GenerationResult generate(GenerationRequest request, IProgressMonitor monitor) throws CoreException {
        String id = request.contribution().id();
        try {
            ModelCard card = card(ModelCard.locate(request.parameters().getString("model")));
            Pix2PixNetwork spec = Pix2PixNetwork.fromCard(card);
            SpinePairs cases = SpinePairs.generationInputs(request.inputs(), request.count(), spec.columns(),
                    request.seed());
            List<float[]> translated = MlEngine.inEngineContext(() -> translate(card, spec, cases.ultrasounds(),
                    request.device()));
            List<NamedImage> outputs = new ArrayList<>();
            for (int i = 0; i < cases.size(); i++) {
                outputs.addAll(UxdiffGenerator.outputs(cases.pairs().get(i), translated.get(i), spec.columns()));
            }
            return new GenerationResult(outputs, card.id(), card.weightSha256(), MlEngine.engineVersions());
        } catch (IOException | IllegalArgumentException e) {
            throw new CoreException(Status.error(id + ": " + e.getMessage(), e));
        }
    }

    private static ModelCard card(Path folder) throws IOException {
        return ModelCard.read(folder, Pix2PixNetwork.ARCHITECTURE, Pix2PixTrainer.TRAINER);
    }

    /**
     * Radiographs (model units) of ultrasounds (model units) by the pix2pix model in {@code folder}, which must work
     * at {@code columns} pixels wide.
     */
    static List<float[]> translate(Path folder, List<float[]> ultrasounds, int columns, String device)
            throws IOException {
        ModelCard card = card(folder);
        Pix2PixNetwork spec = Pix2PixNetwork.fromCard(card);
        if (spec.columns() != columns) {
            throw new IOException(card.file() + ": the baseline works at " + spec.columns() + " pixels wide, the "
                    + "held-out images are " + columns);
        }
        return translate(card, spec, ultrasounds, device);
    }

    private static List<float[]> translate(ModelCard card, Pix2PixNetwork spec, List<float[]> ultrasounds,
            String device) throws IOException {
        Pix2PixNetwork.Model network = spec.build();
        try (Model model = card.load(network, device)) {
            return spec.translate(network, ultrasounds, model.getNDManager());
        }
    }
}
