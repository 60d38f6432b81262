package org.medsynth.phantoms.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import net.imglib2.type.numeric.real.FloatType;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.medsynth.core.api.GenerationRequest;
import org.medsynth.core.api.GenerationResult;
import org.medsynth.core.api.GenerationResult.NamedImage;
import org.medsynth.core.api.Generator;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.ml.ImageTensors;
import org.medsynth.ml.MlEngine;
import org.medsynth.ml.weights.ModelCard;
import org.medsynth.ml.NDScopes;

import ai.djl.Model;
import ai.djl.nn.Block;

/**
 * Denoises 2D single-channel images with a phantom denoiser that {@code phantom.denoiser} trained: one output per
 * input ({@code denoised-000}, ...), same size, geometry and units. Intensities are taken as they are, in the units
 * the model was trained in (raw phantom units, background 0, skull 1); nothing is normalised.
 * <p>
 * The weight file's sha256 is checked against the model card before anything is loaded.
 */
public final class PhantomDenoiseGenerator implements Generator {

    @Override
    public GenerationResult generate(GenerationRequest request, IProgressMonitor monitor) throws CoreException {
        String id = request.contribution().id();
        if (request.count() != 1) {
            throw error(id + " makes one output per input image; count must be 1, got " + request.count());
        }
        if (request.inputs().isEmpty()) {
            throw error(id + " needs at least one input image (--input FILE)");
        }
        for (int i = 0; i < request.inputs().size(); i++) {
            MedicalImage<?> input = request.inputs().get(i);
            if (input.geometry().dimensions() != 2 || input.channels() != 1) {
                throw error(String.format(Locale.ROOT, "input %d of %d is %s with %d channel(s); %s takes 2D "
                        + "single-channel images", i + 1, request.inputs().size(),
                        Arrays.toString(input.dimensions()), input.channels(), id));
            }
        }
        Path modelFolder = request.parameters().getPath("model");
        try {
            ModelCard card = ModelCard.read(modelFolder, DenoiserNetwork.ARCHITECTURE, "phantom.denoiser");
            return MlEngine.inEngineContext(() -> denoise(request, card, monitor));
        } catch (IOException e) {
            throw new CoreException(Status.error(e.getMessage(), e));
        }
    }

    private static GenerationResult denoise(GenerationRequest request, ModelCard card, IProgressMonitor monitor)
            throws IOException {
        List<MedicalImage<?>> inputs = request.inputs();
        SubMonitor progress = SubMonitor.convert(monitor, inputs.size() + 1);
        Block network;
        try {
            network = DenoiserNetwork.build(card.integer("architecture.layers"), card.integer("architecture.channels"));
        } catch (IllegalArgumentException e) {
            throw new IOException(card.file() + ": " + e.getMessage(), e);
        }
        try (Model model = card.load(network, request.device())) {
            progress.split(1);
            List<NamedImage> outputs = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                progress.split(1);
                MedicalImage<?> input = inputs.get(i);
                MedicalImage<FloatType> denoised = NDScopes.compute(model.getNDManager(),
                        scope -> ImageTensors.toImage(DenoiserNetwork
                                .denoise(network, ImageTensors.toNDArray(input, scope).expandDims(0)).squeeze(0),
                                input));
                outputs.add(new NamedImage(String.format(Locale.ROOT, "denoised-%03d", i), denoised));
            }
            return new GenerationResult(outputs, card.id(), card.weightSha256(), MlEngine.engineVersions());
        }
    }

    private static CoreException error(String message) {
        return new CoreException(Status.error(message));
    }
}
