package org.medsynth.phantoms.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
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
import org.medsynth.core.jobs.Sha256;
import org.medsynth.ml.Devices;
import org.medsynth.ml.ImageTensors;
import org.medsynth.ml.MlEngine;
import org.medsynth.ml.NDScopes;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.nn.Block;

/**
 * Denoises 2D single-channel images with a phantom denoiser that {@code phantom.denoiser} trained: one output per
 * input ({@code denoised-000}, ...), same size, geometry and units. Intensities are taken as they are, in the units
 * the model was trained in (raw phantom units, background 0, skull 1); nothing is normalised.
 * <p>
 * The weight file's sha256 is checked against the model card before anything is loaded, and the bytes that were
 * checked are the bytes that are loaded.
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
            DenoiserModelCard card = DenoiserModelCard.read(modelFolder);
            byte[] weights = verifiedWeights(modelFolder, card);
            return MlEngine.inEngineContext(() -> denoise(request, modelFolder, card, weights, monitor));
        } catch (IOException e) {
            throw new CoreException(Status.error(e.getMessage(), e));
        }
    }

    /** The weight file's content, once its sha256 equals the card's. */
    private static byte[] verifiedWeights(Path modelFolder, DenoiserModelCard card) throws IOException {
        Path file = modelFolder.resolve(card.weightFile());
        if (!Files.isRegularFile(file)) {
            throw new IOException("weight file " + file + " named by " + DenoiserModelCard.FILE_NAME + " is missing");
        }
        byte[] content = Files.readAllBytes(file);
        String actual = Sha256.of(content);
        if (!actual.equals(card.weightSha256())) {
            throw new IOException("weight file " + file + " does not match its model card: sha256 is " + actual
                    + " but " + DenoiserModelCard.FILE_NAME + " says " + card.weightSha256()
                    + "; the file was changed or damaged, so it is not loaded (restore it or train again)");
        }
        return content;
    }

    private static GenerationResult denoise(GenerationRequest request, Path modelFolder, DenoiserModelCard card,
            byte[] weights, IProgressMonitor monitor) throws IOException {
        List<MedicalImage<?>> inputs = request.inputs();
        SubMonitor progress = SubMonitor.convert(monitor, inputs.size() + 1);
        Path weightFile = modelFolder.resolve(card.weightFile());
        Block network;
        try {
            network = DenoiserNetwork.build(card.layers(), card.channels());
        } catch (IllegalArgumentException e) {
            throw new IOException(modelFolder.resolve(DenoiserModelCard.FILE_NAME) + ": " + e.getMessage(), e);
        }
        try (Model model = Model.newInstance(card.id(), Devices.resolve(request.device()), MlEngine.ENGINE_NAME)) {
            model.setBlock(network);
            try {
                model.load(new ByteArrayInputStream(weights));
            } catch (MalformedModelException e) {
                throw new IOException(weightFile + " does not fit the network its model card describes ("
                        + card.layers() + " layers of " + card.channels() + " channels): " + e.getMessage(), e);
            }
            if (!network.isInitialized()) {
                throw new IOException(weightFile + " is not a DJL parameter file");
            }
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
