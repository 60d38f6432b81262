package org.medsynth.physics.ndarray;

import org.medsynth.physics.ComplexArray;
import org.medsynth.physics.SenseOperator;

import ai.djl.ndarray.types.Shape;

/**
 * {@link SenseOperator} on NDArray batches of 2D images: images (N, 2, ny, nx) with the real part in channel 0 and
 * the imaginary part in channel 1; k-space (N, coils, 2, ny, nx), real and imaginary planes per coil. A x = M F (S x)
 * per coil, Aᴴ y = Σ_c conj(Sᶜ) Fᴴ (M yᶜ). With one coil of unit sensitivity A is the masked, centred orthonormal
 * Fourier transform and Aᴴ A the projection onto the sampled frequencies.
 */
public final class NDSense extends BatchedOperator {

    private final SenseOperator operator;
    private final int coils;
    private final int pixels;

    /** @param operator a 2D operator on {@code ny × nx} images */
    public NDSense(SenseOperator operator, int ny, int nx) {
        super(new Shape(2, ny, nx), new Shape(operator.coils(), 2, ny, nx));
        if (operator.imageSize() != ny * nx) {
            throw new IllegalArgumentException("the SENSE operator works on images of " + operator.imageSize()
                    + " pixels, not " + ny + "×" + nx);
        }
        this.operator = operator;
        this.coils = operator.coils();
        this.pixels = ny * nx;
    }

    @Override
    float[] applyOne(float[] image) {
        return interleave(operator.forward(split(image, 1)), coils);
    }

    @Override
    float[] adjointOne(float[] kspace) {
        return interleave(operator.adjoint(split(kspace, coils)), 1);
    }

    /** The planes re₀, im₀, re₁, im₁, … of {@code images} complex images as one coil-major complex array. */
    private ComplexArray split(float[] values, int images) {
        double[] re = new double[images * pixels];
        double[] im = new double[images * pixels];
        for (int c = 0; c < images; c++) {
            for (int p = 0; p < pixels; p++) {
                re[c * pixels + p] = values[2 * c * pixels + p];
                im[c * pixels + p] = values[(2 * c + 1) * pixels + p];
            }
        }
        return new ComplexArray(re, im);
    }

    /** The inverse of {@link #split}: real and imaginary planes, image after image. */
    private float[] interleave(ComplexArray values, int images) {
        float[] out = new float[2 * images * pixels];
        for (int c = 0; c < images; c++) {
            for (int p = 0; p < pixels; p++) {
                out[2 * c * pixels + p] = (float) values.re()[c * pixels + p];
                out[(2 * c + 1) * pixels + p] = (float) values.im()[c * pixels + p];
            }
        }
        return out;
    }
}
