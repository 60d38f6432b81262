package org.medsynth.physics.internal;

import java.util.List;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.medsynth.core.api.GenerationRequest;
import org.medsynth.core.api.GenerationResult;
import org.medsynth.core.api.GenerationResult.NamedImage;
import org.medsynth.core.api.Generator;
import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.physics.PhysicsImages;
import org.medsynth.physics.RadonGeometry;

/**
 * The sinogram of a 2D image: line integrals (value × mm) of {@link Radon#forward} for a parallel or flat-detector
 * fan-beam scan, one row per view and one column per detector bin. The output's column spacing is the detector
 * spacing (mm), its row spacing the angular step between views (degrees).
 */
public final class SinogramGenerator implements Generator {

    @Override
    public GenerationResult generate(GenerationRequest request, IProgressMonitor monitor) throws CoreException {
        MedicalImage<?> input = GeneratorInputs.single(request, 2, "a 2D single-channel image");
        SubMonitor progress = SubMonitor.convert(monitor, 1);
        try {
            CtScans.Scanned scanned = CtScans.scanInput(request, input);
            RadonGeometry scan = scanned.scan();
            float[] sinogram = scanned.sinogram();
            double pixel = scanned.pixelMm();
            for (int i = 0; i < sinogram.length; i++) {
                sinogram[i] *= (float) pixel;
            }
            double degreesPerView = Math.toDegrees((scan.isFan() ? 2 : 1) * Math.PI / scan.views());
            MedicalImage<?> image = PhysicsImages.image(sinogram, scan.bins(), scan.views(), 1, 1, Modality.CT,
                    IntensityUnit.ARBITRARY).withGeometry(Geometry.of(
                            new double[] {request.parameters().getDouble("detector-spacing"), degreesPerView}));
            progress.split(1);
            return GenerationResult.weightFree(List.of(new NamedImage("sinogram", image)));
        } catch (IllegalArgumentException e) {
            throw GeneratorInputs.error(request.contribution().id() + ": " + e.getMessage());
        }
    }
}
