package org.medsynth.physics.internal;

import java.util.List;
import java.util.Locale;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.medsynth.core.api.GenerationRequest;
import org.medsynth.core.api.GenerationResult;
import org.medsynth.core.api.GenerationResult.NamedImage;
import org.medsynth.core.api.Generator;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.physics.FilteredBackProjection;
import org.medsynth.physics.PhysicsImages;

/**
 * Simulated CT reconstruction of a 2D image: its sinogram ({@link Radon#forward}) over the scan, reconstructed by
 * {@link FilteredBackProjection} with the chosen filter, on the input's grid, geometry and units. Few views or a
 * fan-beam scan show their artefacts (streaks, blur) as a real scanner's reconstruction would.
 */
public final class FbpGenerator implements Generator {

    @Override
    public GenerationResult generate(GenerationRequest request, IProgressMonitor monitor) throws CoreException {
        MedicalImage<?> input = GeneratorInputs.single(request, 2, "a 2D single-channel image");
        SubMonitor progress = SubMonitor.convert(monitor, 2);
        try {
            CtScans.Scanned scanned = CtScans.scanInput(request, input);
            int nx = scanned.nx();
            int ny = scanned.ny();
            double pixel = scanned.pixelMm();
            progress.split(1);
            FilteredBackProjection.Filter filter = FilteredBackProjection.Filter
                    .valueOf(request.parameters().getString("filter").toUpperCase(Locale.ROOT).replace('-', '_'));
            float[] image = FilteredBackProjection.reconstruct(scanned.sinogram(), nx, ny, scanned.scan(), filter);
            progress.split(1);
            MedicalImage<?> reconstructed = PhysicsImages.image(image, nx, ny, pixel, pixel, input.modality(),
                    input.unit()).withGeometry(input.geometry());
            return GenerationResult.weightFree(List.of(new NamedImage("fbp", reconstructed)));
        } catch (IllegalArgumentException e) {
            throw GeneratorInputs.error(request.contribution().id() + ": " + e.getMessage());
        }
    }
}
