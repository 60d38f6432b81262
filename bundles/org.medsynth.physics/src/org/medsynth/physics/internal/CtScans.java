package org.medsynth.physics.internal;

import org.eclipse.core.runtime.CoreException;
import org.medsynth.core.api.GenerationRequest;
import org.medsynth.core.api.ParameterValues;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.physics.PhysicsImages;
import org.medsynth.physics.Radon;
import org.medsynth.physics.RadonGeometry;

/**
 * The 2D CT scan that the {@code physics.ct-sinogram} and {@code physics.fbp} parameters describe, in the pixel
 * units of {@link RadonGeometry}: distances and the detector spacing are given in mm and divided by the image's
 * pixel spacing.
 */
final class CtScans {

    private CtScans() {
    }

    /** A 2D image scanned as the parameters say: its size, pixel spacing (mm), the scan and the sinogram. */
    record Scanned(int nx, int ny, double pixelMm, RadonGeometry scan, float[] sinogram) {
    }

    /** Scans the single 2D input of {@code request} (checked) with the scan its parameters describe. */
    static Scanned scanInput(GenerationRequest request, MedicalImage<?> input) throws CoreException {
        double pixel = GeneratorInputs.squarePixel(request, input);
        int nx = (int) input.dimensions()[0];
        int ny = (int) input.dimensions()[1];
        RadonGeometry scan = scan(request.parameters(), nx, ny, pixel);
        return new Scanned(nx, ny, pixel, scan, Radon.forward(PhysicsImages.pixels2d(input), nx, ny, scan));
    }

    /**
     * @param pixelMm the image's (square) pixel spacing
     */
    static RadonGeometry scan(ParameterValues p, int nx, int ny, double pixelMm) {
        int views = p.getInt("views");
        double spacing = p.getDouble("detector-spacing") / pixelMm;
        if (p.getString("geometry").equals("parallel")) {
            RadonGeometry unit = RadonGeometry.parallel(views, 1);
            return new RadonGeometry(unit.anglesRadians(), bins(p, nx, ny, spacing), spacing, 0, 0);
        }
        double sourceToCentre = p.getDouble("source-to-centre") / pixelMm;
        double sourceToDetector = p.getDouble("source-to-detector") / pixelMm;
        // the bins must cover the image's diagonal on the virtual detector through the centre
        double spacingAtCentre = sourceToDetector > 0 ? spacing * sourceToCentre / sourceToDetector : spacing;
        return RadonGeometry.fan(views, bins(p, nx, ny, spacingAtCentre), spacing, sourceToCentre, sourceToDetector);
    }

    /** The {@code bins} parameter, or (0) enough bins of {@code spacingAtCentre} to span the image's diagonal. */
    private static int bins(ParameterValues p, int nx, int ny, double spacingAtCentre) {
        int bins = p.getInt("bins");
        return bins > 0 ? bins : (int) Math.ceil(Math.hypot(nx, ny) / spacingAtCentre) + 1;
    }
}
