package org.medsynth.radiography.tomography.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import net.imglib2.img.array.ArrayImgs;

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
import org.medsynth.ml.MlEngine;
import org.medsynth.ml.weights.ModelCard;
import org.medsynth.physics.PhysicsImages;
import org.medsynth.physics.SingleImageTomography;
import org.medsynth.radiography.tomography.Reconstruction;
import org.medsynth.radiography.tomography.TomographyNetwork;
import org.medsynth.radiography.tomography.ViewPairs;

import ai.djl.Model;

/**
 * Reconstructs a 3D density volume from each input x-ray with a network that {@code radiography.tomography} trained:
 * the x-ray (square, opacity 1 − α in [0, 1]) is resized to the network's input, the network gives a coarse
 * depth³ volume in the view's frame, and, unless fusion is off, the paper's per-pixel fusion corrects it at the
 * x-ray's full resolution ({@code volume-000}, with the network's own output as {@code coarse-000}). The cube's side
 * is the x-ray's side (its pixel spacing times its width). The weight file's sha256 is checked before loading.
 */
public final class TomographyGenerator implements Generator {
    @Override
    public GenerationResult generate(GenerationRequest request, IProgressMonitor monitor) throws CoreException {
        String id = request.contribution().id();
        if (request.count() != 1) {
            throw error(id + " makes one volume per input x-ray; count must be 1, got " + request.count());
        }
        if (request.inputs().isEmpty()) {
            throw error(id + " needs at least one input x-ray (--input FILE)");
        }
        List<float[]> xrays = new ArrayList<>();
        for (int i = 0; i < request.inputs().size(); i++) {
            xrays.add(checkedXray(request.inputs().get(i), i, request.inputs().size(), id));
        }
        String fusion = request.parameters().getString("fusion");
        try {
            ModelCard card = ModelCard.read(ModelCard.locate(request.parameters().getString("model")),
                    TomographyNetwork.ARCHITECTURE, TomographyTrainer.TRAINER);
            TomographyNetwork spec = TomographyNetwork.fromCard(card);
            return MlEngine.inEngineContext(() -> reconstruct(request, card, spec, xrays, fusion, monitor));
        } catch (IOException e) {
            throw new CoreException(Status.error(e.getMessage(), e));
        }
    }

    private static GenerationResult reconstruct(GenerationRequest request, ModelCard card, TomographyNetwork spec,
            List<float[]> xrays, String fusion, IProgressMonitor monitor) throws IOException {
        SubMonitor progress = SubMonitor.convert(monitor, "Reconstructing " + xrays.size() + " volume(s)",
                xrays.size() + 1);
        TomographyNetwork.Net network = spec.build();
        try (Model model = card.load(network, request.device())) {
            progress.split(1);
            List<NamedImage> outputs = new ArrayList<>();
            for (int i = 0; i < xrays.size(); i++) {
                MedicalImage<?> input = request.inputs().get(i);
                int side = (int) input.dimensions()[0];
                float[] xray = xrays.get(i);
                float[] coarse = Reconstruction.coarse(network,
                        List.of(ViewPairs.resize(xray, side, side, spec.size(), spec.size())), model.getNDManager())[0];
                double extent = side * input.geometry().spacing(0);
                MedicalImage<?> coarseImage = volumeImage(coarse, spec.depth(), spec.depth(), extent);
                if (fusion.equals("none")) {
                    outputs.add(new NamedImage(String.format(Locale.ROOT, "volume-%03d", i), coarseImage));
                } else {
                    SingleImageTomography.Correction correction = fusion.equals("as-printed")
                            ? SingleImageTomography.Correction.AS_PRINTED : SingleImageTomography.Correction.EXACT;
                    float[] fused = Reconstruction.fused(coarse, spec.depth(), xray, side, correction);
                    outputs.add(new NamedImage(String.format(Locale.ROOT, "volume-%03d", i),
                            volumeImage(fused, side, spec.depth(), extent)));
                    outputs.add(new NamedImage(String.format(Locale.ROOT, "coarse-%03d", i), coarseImage));
                }
                progress.split(1);
            }
            return new GenerationResult(outputs, card.id(), card.weightSha256(), MlEngine.engineVersions());
        }
    }

    /** The x-ray's pixels after checking it is a square 2D opacity image. */
    private static float[] checkedXray(MedicalImage<?> input, int index, int count, String id) throws CoreException {
        long[] dims = input.dimensions();
        if (dims.length != 2 || dims[0] != dims[1] || input.channels() != 1) {
            throw error(String.format(Locale.ROOT, "input %d of %d is %s with %d channel(s); %s takes square 2D "
                    + "single-channel x-rays (the view of a cube)", index + 1, count, Arrays.toString(dims),
                    input.channels(), id));
        }
        float[] xray = PhysicsImages.pixels2d(input);
        for (float v : xray) {
            if (!(v >= 0 && v <= 1)) {
                throw error(String.format(Locale.ROOT, "input %d of %d has the value %s; %s takes x-rays as opacity "
                        + "1 - alpha in [0, 1] (the paper's x-ray model)", index + 1, count, v, id));
            }
        }
        return xray;
    }

    /** A slice-major stack (side² per slice, {@code slices} slices) as a volume spanning a cube of {@code extent} mm. */
    static MedicalImage<?> volumeImage(float[] stack, int side, int slices, double extent) {
        double lateral = extent / side;
        double depth = extent / slices;
        double[] origin = {-0.5 * (side - 1) * lateral, -0.5 * (side - 1) * lateral, -0.5 * (slices - 1) * depth};
        return MedicalImage.of(ArrayImgs.floats(stack, side, side, slices),
                new Geometry(new double[] {lateral, lateral, depth}, origin, Geometry.identity(3)), Modality.OT,
                IntensityUnit.ARBITRARY);
    }

    private static CoreException error(String message) {
        return new CoreException(Status.error(message));
    }
}
