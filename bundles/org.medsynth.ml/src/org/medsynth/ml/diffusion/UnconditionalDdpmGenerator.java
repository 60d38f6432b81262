package org.medsynth.ml.diffusion;

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
import org.medsynth.ml.Seeding;
import org.medsynth.ml.nn.UNet;
import org.medsynth.ml.weights.ModelCard;

import ai.djl.Model;

/**
 * Samples an {@link UnconditionalDdpm} that the module's trainer trained: DDIM (η and step count chosen) or full
 * ancestral DDPM sampling from seeded Gaussian noise, {@code count} images ({@code sample-000}, ...) of the size the
 * model was trained at. The parameters are {@code model}, {@code sampler} ({@code ddim} or {@code ddpm}),
 * {@code sampling-steps} and {@code eta}. The weight file's sha256 is checked against the model card before anything
 * is loaded. A module contributes a subclass that names its trainer and turns model values into its images.
 */
public abstract class UnconditionalDdpmGenerator implements Generator {
    /** The trainer whose models this generator samples (the card's {@code trainer}). */
    protected abstract String trainer();

    /** The images of {@code count} samples of {@code size}² (model units, image after image). */
    protected abstract List<MedicalImage<?>> images(float[] values, int count, int size);

    @Override
    public final GenerationResult generate(GenerationRequest request, IProgressMonitor monitor) throws CoreException {
        String id = request.contribution().id();
        if (!request.inputs().isEmpty()) {
            throw new CoreException(Status.error(id + " is unconditional and takes no input images"));
        }
        String model = request.parameters().getString("model");
        String sampler = request.parameters().getString("sampler");
        int steps = request.parameters().getInt("sampling-steps");
        double eta = request.parameters().getDouble("eta");
        try {
            ModelCard card = ModelCard.read(ModelCard.locate(model), UnconditionalDdpm.ARCHITECTURE, trainer());
            UnconditionalDdpm spec = UnconditionalDdpm.fromCard(card);
            if (sampler.equals("ddim") && steps > spec.trainingSteps()) {
                throw new IOException("sampling-steps is " + steps + ", but the model was trained with "
                        + spec.trainingSteps() + " diffusion steps");
            }
            return MlEngine.inEngineContext(() -> sample(request, card, spec, sampler.equals("ddim") ? steps : 0,
                    eta, monitor));
        } catch (IOException e) {
            throw new CoreException(Status.error(e.getMessage(), e));
        }
    }

    private GenerationResult sample(GenerationRequest request, ModelCard card, UnconditionalDdpm spec, int steps,
            double eta, IProgressMonitor monitor) throws IOException {
        SubMonitor progress = SubMonitor.convert(monitor, "Sampling " + request.count() + " image(s)",
                request.count() + 1);
        UNet network = spec.build();
        try (Model model = card.load(network, request.device())) {
            progress.split(1);
            SplittableRandom random = Seeding.seedAll(request.seed());
            List<NamedImage> outputs = new ArrayList<>();
            for (int i = 0; i < request.count(); i++) {
                MedicalImage<?> image = images(spec.sample(network, 1, steps, eta, random.split(),
                        model.getNDManager(), progress.split(1)), 1, spec.size()).get(0);
                outputs.add(new NamedImage(String.format(Locale.ROOT, "sample-%03d", i), image));
            }
            return new GenerationResult(outputs, card.id(), card.weightSha256(), MlEngine.engineVersions());
        }
    }
}
