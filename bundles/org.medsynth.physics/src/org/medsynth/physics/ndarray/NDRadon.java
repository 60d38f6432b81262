package org.medsynth.physics.ndarray;

import org.medsynth.physics.Radon;
import org.medsynth.physics.RadonGeometry;

import ai.djl.ndarray.types.Shape;

/**
 * {@link Radon} and its matched adjoint on NDArray batches: images (N, 1, ny, nx), sinograms (N, 1, views, bins),
 * in the pixel units of {@link RadonGeometry}.
 */
public final class NDRadon extends BatchedOperator {

    private final RadonGeometry scan;
    private final int nx;
    private final int ny;

    public NDRadon(RadonGeometry scan, int ny, int nx) {
        super(new Shape(1, ny, nx), new Shape(1, scan.views(), scan.bins()));
        this.scan = scan;
        this.nx = nx;
        this.ny = ny;
    }

    @Override
    float[] applyOne(float[] image) {
        return Radon.forward(image, nx, ny, scan);
    }

    @Override
    float[] adjointOne(float[] sinogram) {
        return Radon.adjoint(sinogram, nx, ny, scan);
    }
}
