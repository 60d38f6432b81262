package org.medsynth.spine.maskel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.medsynth.ml.Scalars;

import net.imglib2.img.array.ArrayImgs;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.medsynth.core.api.GenerationRequest;
import org.medsynth.core.api.GenerationResult;
import org.medsynth.core.api.GenerationResult.NamedImage;
import org.medsynth.core.api.Generator;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.ml.ImageTensors;
import org.medsynth.ml.MlEngine;
import org.medsynth.ml.NDScopes;
import org.medsynth.ml.weights.ModelCard;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;

/**
 * Draws a whole-body AP X-ray for each input body mask with a MaSkel model ({@code spine.maskel}, shipped as
 * {@code spine-maskel}): one output per input ({@code xray-000}, ...), on the mask's grid, in −ln(I/I₀). A mask
 * pixel above 0.5 is body. The weight file's sha256 is checked against the model card before anything is loaded.
 */
public final class MaskelGenerator implements Generator {
    @Override
    public GenerationResult generate(GenerationRequest request, IProgressMonitor monitor) throws CoreException {
        String id = request.contribution().id();
        if (request.count() != 1) {
            throw error(id + " makes one X-ray per input mask; count must be 1, got " + request.count());
        }
        if (request.inputs().isEmpty()) {
            throw error(id + " needs at least one body mask (--input FILE), e.g. from spine.whole-body");
        }
        try {
            ModelCard card = ModelCard.read(ModelCard.locate(request.parameters().getString("model")),
                    MaskelNetwork.ARCHITECTURE, MaskelTrainer.TRAINER);
            MaskelNetwork spec = MaskelNetwork.fromCard(card);
            for (int i = 0; i < request.inputs().size(); i++) {
                MedicalImage<?> mask = request.inputs().get(i);
                long[] dims = mask.dimensions();
                if (mask.geometry().dimensions() != 2 || mask.channels() != 1 || dims[0] != spec.size()
                        || dims[1] != spec.size()) {
                    throw error(String.format(Locale.ROOT, "input %d of %d is %s with %d channel(s); model %s takes "
                            + "2D single-channel %d × %d masks (spine.whole-body --size %d)", i + 1,
                            request.inputs().size(), Arrays.toString(dims), mask.channels(), card.id(), spec.size(),
                            spec.size(), spec.size()));
                }
            }
            return MlEngine.inEngineContext(() -> draw(request, card, spec, monitor));
        } catch (IOException e) {
            throw new CoreException(Status.error(e.getMessage(), e));
        }
    }

    private static GenerationResult draw(GenerationRequest request, ModelCard card, MaskelNetwork spec,
            IProgressMonitor monitor) throws IOException {
        SubMonitor progress = SubMonitor.convert(monitor, request.inputs().size() + 1);
        MaskelNetwork.Stages stages = new MaskelNetwork.Stages(spec);
        try (Model model = card.load(stages, request.device())) {
            progress.split(1);
            List<NamedImage> outputs = new ArrayList<>();
            for (int i = 0; i < request.inputs().size(); i++) {
                MedicalImage<?> mask = request.inputs().get(i);
                float[] xray = NDScopes.compute(model.getNDManager(), scope -> {
                    NDArray masks = Scalars.times(ImageTensors.toNDArray(mask, scope).expandDims(0).gt(0.5f)
                            .toType(DataType.FLOAT32, false), 2).sub(1);
                    return stages.generator.apply(new ParameterStore(scope, false), masks, false).xray()
                            .toFloatArray();
                });
                for (int p = 0; p < xray.length; p++) {
                    xray[p] = MaskelNetwork.xrayFromModel(xray[p]);
                }
                outputs.add(new NamedImage(String.format(Locale.ROOT, "xray-%03d", i), MedicalImage.of(
                        ArrayImgs.floats(xray, spec.size(), spec.size()), mask.geometry(), Modality.DX,
                        IntensityUnit.OPACITY)));
                progress.split(1);
            }
            return new GenerationResult(outputs, card.id(), card.weightSha256(), MlEngine.engineVersions());
        }
    }

    private static CoreException error(String message) {
        return new CoreException(Status.error(message));
    }
}
