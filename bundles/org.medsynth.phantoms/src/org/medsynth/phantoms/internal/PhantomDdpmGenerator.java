package org.medsynth.phantoms.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.medsynth.core.api.GenerationRequest;
import org.medsynth.core.api.GenerationResult;
import org.medsynth.core.api.GenerationResult.NamedImage;
import org.medsynth.core.api.Generator;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.ml.MlEngine;
import org.medsynth.ml.weights.ModelCard;
import org.medsynth.ml.Seeding;
import org.medsynth.ml.nn.UNet;

import ai.djl.Model;

/**
 * Samples Shepp–Logan-like phantoms from a DDPM that {@code phantom.ddpm} trained: DDIM (η and step count chosen)
 * or full ancestral DDPM sampling from seeded Gaussian noise, {@code count} images of the size the model was trained
 * at, in phantom units. The weight file's sha256 is checked against the model card before anything is loaded.
 */
public final class PhantomDdpmGenerator implements Generator {
    @Override
    public GenerationResult generate(GenerationRequest request, IProgressMonitor monitor) throws CoreException {
        String id = request.contribution().id();
        if (!request.inputs().isEmpty()) {
            throw new CoreException(Status.error(id + " is unconditional and takes no input images"));
        }
        String model = request.parameters().getString("model");
        String sampler = request.parameters().getString("sampler");
        int steps = request.parameters().getInt("sampling-steps");
        double eta = request.parameters().getDouble("eta");
        try {
            ModelCard card = ModelCard.read(ModelCard.locate(model), DdpmNetwork.ARCHITECTURE, "phantom.ddpm");
            DdpmNetwork spec = DdpmNetwork.fromCard(card);
            if (sampler.equals("ddim") && steps > spec.trainingSteps()) {
                throw new IOException("sampling-steps is " + steps + ", but the model was trained with "
                        + spec.trainingSteps() + " diffusion steps");
            }
            return MlEngine.inEngineContext(() -> sample(request, card, spec, sampler, steps, eta, monitor));
        } catch (IOException e) {
            throw new CoreException(Status.error(e.getMessage(), e));
        }
    }

    private static GenerationResult sample(GenerationRequest request, ModelCard card, DdpmNetwork spec,
            String sampler, int steps, double eta, IProgressMonitor monitor) throws IOException {
        SubMonitor progress = SubMonitor.convert(monitor, "Sampling " + request.count() + " phantom(s)",
                request.count() + 1);
        UNet network = spec.build();
        try (Model model = card.load(network, request.device())) {
            progress.split(1);
            SplittableRandom random = Seeding.seedAll(request.seed());
            List<NamedImage> outputs = new ArrayList<>();
            for (int i = 0; i < request.count(); i++) {
                MedicalImage<?> image = spec.sample(network, 1, sampler.equals("ddim") ? steps : 0, eta,
                        random.split(), model.getNDManager(), progress.split(1)).get(0);
                outputs.add(new NamedImage(String.format(Locale.ROOT, "sample-%03d", i), image));
            }
            return new GenerationResult(outputs, card.id(), card.weightSha256(), MlEngine.engineVersions());
        }
    }
}
