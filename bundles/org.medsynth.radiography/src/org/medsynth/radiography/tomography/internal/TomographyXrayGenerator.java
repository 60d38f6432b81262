package org.medsynth.radiography.tomography.internal;

import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.medsynth.core.api.GenerationRequest;
import org.medsynth.core.api.GenerationResult;
import org.medsynth.core.api.GenerationResult.NamedImage;
import org.medsynth.core.api.Generator;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.Modality;
import org.medsynth.data.examples.InvesaliusHeadCt;
import org.medsynth.physics.PhysicsImages;
import org.medsynth.radiography.tomography.SkullPhantom;
import org.medsynth.radiography.tomography.ViewPairs;

/**
 * The inputs and ground truth of single-image tomography: the paper's x-ray ({@code xray}, opacity) of a procedural
 * skull (seeded) or of the real head CT's bone, from the frontal view or a random one, and the true density volume
 * in that view's frame ({@code volume}), as the network is trained to give it. The cube's side is {@code extent} mm.
 */
public final class TomographyXrayGenerator implements Generator {
    @Override
    public GenerationResult generate(GenerationRequest request, IProgressMonitor monitor) throws CoreException {
        String id = request.contribution().id();
        if (!request.inputs().isEmpty() || request.count() != 1) {
            throw new CoreException(Status.error(id + " takes no input images and makes one x-ray; got "
                    + request.inputs().size() + " input(s) and count " + request.count()));
        }
        int size = request.parameters().getInt("size");
        int depth = request.parameters().getInt("depth");
        int volumeSize = request.parameters().getInt("volume-size");
        double extent = request.parameters().getDouble("extent");
        SplittableRandom random = new SplittableRandom(request.seed());
        float[] density;
        try {
            density = request.parameters().getString("source").equals("head-ct")
                    ? SkullPhantom.headCt(InvesaliusHeadCt.readInstalled(), volumeSize)
                    : SkullPhantom.sample(random.split(), volumeSize);
        } catch (IOException e) {
            throw new CoreException(Status.error(e.getMessage(), e));
        }
        double maxAngle = request.parameters().getDouble("max-view-angle");
        double[] direction = maxAngle == 0 ? ViewPairs.FRONTAL : ViewPairs.direction(random, maxAngle);
        ViewPairs.Pair pair = ViewPairs.of(density, volumeSize, direction, size, depth);
        return GenerationResult.weightFree(List.of(
                new NamedImage("xray", PhysicsImages.image(pair.xray(), size, size, extent / size, extent / size,
                        Modality.DX, IntensityUnit.OPACITY)),
                new NamedImage("volume", TomographyGenerator.volumeImage(pair.volume(), depth, depth, extent))));
    }
}
