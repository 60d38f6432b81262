package org.medsynth.radiography.ct2x.internal;

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
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.ml.MlEngine;
import org.medsynth.ml.weights.ModelCard;
import org.medsynth.physics.PhysicsImages;
import org.medsynth.physics.ProjectionGeometry;
import org.medsynth.physics.Volume;
import org.medsynth.radiography.ct2x.Ct2xModel;
import org.medsynth.radiography.ct2x.Ct2xNetwork;
import org.medsynth.radiography.ct2x.CtVolumes;
import org.medsynth.radiography.ct2x.Radiographs;

import ai.djl.Model;

/**
 * Renders X-rays of a CT volume with a CT2X-GAN that {@code radiography.ct2x-gan} trained (the shipped
 * {@code radiography-ct2x-gan} by default): the CT resampled into the model's cube, one image per gantry angle, in
 * the X-ray style, the DRR style or both. The weight file's sha256 is checked against the model card before anything
 * is loaded; the outputs carry the card's id and weights.
 */
public final class Ct2xGenerator implements Generator {
    @Override
    public GenerationResult generate(GenerationRequest request, IProgressMonitor monitor) throws CoreException {
        String id = request.contribution().id();
        if (request.inputs().size() != 1 || request.inputs().get(0).geometry().dimensions() != 3
                || request.inputs().get(0).channels() != 1) {
            throw error(id + " takes exactly one input: a single-channel 3D CT volume in HU");
        }
        MedicalImage<?> input = request.inputs().get(0);
        if (input.unit() != IntensityUnit.HOUNSFIELD && input.modality() != Modality.CT) {
            throw error(id + " needs a CT volume in HU; the input is " + input.modality().dicomCode() + " in "
                    + input.unit().symbol());
        }
        if (request.count() != 1) {
            throw error(id + " renders one deterministic set of views per input; count must be 1, got "
                    + request.count());
        }
        double[] angles;
        try {
            angles = ProjectionGeometry.gantryAngles(request.parameters().getString("views"));
        } catch (IllegalArgumentException e) {
            throw error(id + ": " + e.getMessage());
        }
        String style = request.parameters().getString("style");
        boolean references = request.parameters().getBoolean("references");
        try {
            ModelCard card = ModelCard.read(ModelCard.locate(request.parameters().getString("model")),
                    Ct2xModel.ARCHITECTURE, Ct2xModel.TRAINER);
            Ct2xModel spec = Ct2xModel.fromCard(card);
            Volume cube = CtVolumes.cube(PhysicsImages.volume(input), spec.config().ctSize());
            return MlEngine.inEngineContext(() -> render(request, card, spec, cube, angles, style, references,
                    monitor));
        } catch (IOException e) {
            throw new CoreException(Status.error(e.getMessage(), e));
        }
    }

    private static GenerationResult render(GenerationRequest request, ModelCard card, Ct2xModel spec, Volume cube,
            double[] angles, String style, boolean references, IProgressMonitor monitor) throws IOException {
        SubMonitor progress = SubMonitor.convert(monitor, "Rendering " + angles.length + " view(s)", 4);
        Ct2xNetwork network = new Ct2xNetwork(spec.config());
        try (Model model = card.load(network, request.device())) {
            progress.split(1);
            int size = spec.config().imageSize();
            double pixel = Radiographs.DETECTOR_COVERAGE * Radiographs.cubeMm(cube)
                    * Radiographs.SOURCE_TO_DETECTOR_MM / Radiographs.SOURCE_TO_OBJECT_MM / size;
            List<NamedImage> outputs = new ArrayList<>();
            for (Ct2xModel.Style kind : Ct2xModel.Style.values()) {
                if (!style.equals("both") && !style.equals(kind.name().toLowerCase(Locale.ROOT))) {
                    continue;
                }
                float[][] images = Ct2xModel.render(network, model.getNDManager(), cube, angles,
                        spec.styleCode(kind));
                for (int v = 0; v < angles.length; v++) {
                    outputs.add(new NamedImage(String.format(Locale.ROOT, "%s-%02d",
                            kind == Ct2xModel.Style.XRAY ? "xray" : "drr-style", v), PhysicsImages.image(images[v],
                                    size, size, pixel, pixel, Modality.DX, IntensityUnit.ARBITRARY)));
                }
                progress.split(1);
            }
            if (references) {
                // what the trainer's evaluation compares with, in the same geometry and scaling
                SplittableRandom random = new SplittableRandom(request.seed());
                for (int v = 0; v < angles.length; v++) {
                    outputs.add(new NamedImage(String.format(Locale.ROOT, "drr-%02d", v), PhysicsImages.image(
                            Radiographs.drr(cube, size, angles[v]), size, size, pixel, pixel, Modality.DX,
                            IntensityUnit.ARBITRARY)));
                    outputs.add(new NamedImage(String.format(Locale.ROOT, "radiograph-%02d", v), PhysicsImages.image(
                            Radiographs.radiograph(cube, size, angles[v], random), size, size, pixel, pixel,
                            Modality.DX, IntensityUnit.ARBITRARY)));
                }
            }
            progress.split(1);
            return new GenerationResult(outputs, card.id(), card.weightSha256(), MlEngine.engineVersions());
        }
    }

    private static CoreException error(String message) {
        return new CoreException(Status.error(message));
    }
}
