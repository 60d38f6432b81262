package org.medsynth.spine.maskel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.eval.Voxels;
import org.medsynth.ml.MlEngine;
import org.medsynth.ml.NDScopes;
import org.medsynth.ml.nn.UNet;
import org.medsynth.ml.weights.ModelCard;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import net.imglib2.img.array.ArrayImgs;

/**
 * Enlarges whole-body X-rays (−ln(I/I₀), the model's low size, e.g. from {@code spine.maskel-generate} or a 64²
 * synthetic X-ray) by the model's factor with a residual-shifting model trained by {@code spine.maskel-sr} (shipped
 * as {@code spine-maskel-sr}): one output per input ({@code xray-sr-000}, ...), with {@code factor}× finer pixels
 * over the same field. Seeded: the same seed gives the same images. The weight file's sha256 is checked against the
 * model card before anything is loaded.
 */
public final class SuperResolutionGenerator implements Generator {
    @Override
    public GenerationResult generate(GenerationRequest request, IProgressMonitor monitor) throws CoreException {
        String id = request.contribution().id();
        if (request.count() != 1) {
            throw error(id + " makes one image per input X-ray; count must be 1, got " + request.count());
        }
        if (request.inputs().isEmpty()) {
            throw error(id + " needs at least one low-resolution X-ray (--input FILE)");
        }
        try {
            ModelCard card = ModelCard.read(ModelCard.locate(request.parameters().getString("model")),
                    SuperResolutionNetwork.ARCHITECTURE, SuperResolutionTrainer.TRAINER);
            SuperResolutionNetwork spec = SuperResolutionNetwork.fromCard(card);
            for (int i = 0; i < request.inputs().size(); i++) {
                MedicalImage<?> xray = request.inputs().get(i);
                long[] dims = xray.dimensions();
                if (xray.geometry().dimensions() != 2 || xray.channels() != 1 || dims[0] != spec.lowSize()
                        || dims[1] != spec.lowSize()) {
                    throw error(String.format(Locale.ROOT, "input %d of %d is %s with %d channel(s); model %s "
                            + "enlarges 2D single-channel %d × %d X-rays", i + 1, request.inputs().size(),
                            Arrays.toString(dims), xray.channels(), card.id(), spec.lowSize(), spec.lowSize()));
                }
            }
            return MlEngine.inEngineContext(() -> enlarge(request, card, spec, monitor));
        } catch (IOException e) {
            throw new CoreException(Status.error(e.getMessage(), e));
        }
    }

    private static GenerationResult enlarge(GenerationRequest request, ModelCard card, SuperResolutionNetwork spec,
            IProgressMonitor monitor) throws IOException {
        SubMonitor progress = SubMonitor.convert(monitor, request.inputs().size() + 1);
        UNet network = spec.build();
        SplittableRandom random = new SplittableRandom(request.seed());
        try (Model model = card.load(network, request.device())) {
            progress.split(1);
            List<NamedImage> outputs = new ArrayList<>();
            for (int i = 0; i < request.inputs().size(); i++) {
                MedicalImage<?> xray = request.inputs().get(i);
                float[] low = toFloats(Voxels.of(xray).values());
                float[] high = NDScopes.compute(model.getNDManager(), scope -> {
                    NDArray y0 = spec.startingImages(List.of(low), scope);
                    return spec.restore(network, y0, random, progress.split(1)).toFloatArray();
                });
                for (int p = 0; p < high.length; p++) {
                    high[p] = MaskelNetwork.xrayFromModel(high[p]);
                }
                outputs.add(new NamedImage(String.format(Locale.ROOT, "xray-sr-%03d", i), MedicalImage.of(
                        ArrayImgs.floats(high, spec.highSize(), spec.highSize()), finer(xray.geometry(),
                                spec.factor()), Modality.DX, IntensityUnit.OPACITY)));
            }
            return new GenerationResult(outputs, card.id(), card.weightSha256(), MlEngine.engineVersions());
        }
    }

    /** The same field with {@code factor}× finer pixels: the first pixel centre moves to its new place. */
    static Geometry finer(Geometry geometry, int factor) {
        double[] spacing = geometry.spacing().clone();
        double[] firstCentre = new double[spacing.length];
        for (int axis = 0; axis < spacing.length; axis++) {
            spacing[axis] /= factor;
            firstCentre[axis] = (1.0 / factor - 1) / 2;
        }
        return geometry.withOrigin(geometry.indexToPhysical(firstCentre)).withSpacing(spacing);
    }

    private static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    private static CoreException error(String message) {
        return new CoreException(Status.error(message));
    }
}
