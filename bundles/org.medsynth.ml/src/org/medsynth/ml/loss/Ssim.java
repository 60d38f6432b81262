package org.medsynth.ml.loss;

import java.util.Arrays;

import org.medsynth.ml.Scalars;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.convolutional.Conv3d;

/**
 * Structural similarity (Wang et al. 2004) as a differentiable loss, 2D (N, C, H, W) or 3D (N, C, D, H, W): an
 * 11-tap Gaussian window (σ = 1.5, normalised to sum 1), K1 = 0.01, K2 = 0.03, population (co)variances, an explicit
 * data range L (C1 = (K1·L)², C2 = (K2·L)²). The windowed means of x, y, x², y², xy are one depthwise (grouped)
 * convolution per axis with the 1D Gaussian, applied 'valid' (no padding): the mean runs over the positions whose
 * whole window lies inside the image, as in pytorch-msssim. These are exactly the positions scikit-image averages
 * over ({@code structural_similarity(gaussian_weights=True, sigma=1.5, use_sample_covariance=False)} filters with
 * reflect padding, then crops half a window), and the ones MedSynth's evaluation SSIM uses, so the value equals
 * scikit-image's mean SSIM over all samples and channels. No border rule enters the loss or its gradient.
 */
public final class Ssim {
    /** Window side; the Gaussian's radius is 5 = round(3.5σ), scipy's truncation at 3.5σ. */
    public static final int WINDOW = 11;
    public static final double SIGMA = 1.5;
    public static final double K1 = 0.01;
    public static final double K2 = 0.03;
    /** The five windowed moments: x, y, x², y², xy. */
    private static final int MOMENTS = 5;

    private Ssim() {
    }

    /** 1 − {@link #ssim}: 0 for identical images. */
    public static NDArray loss(NDArray x, NDArray y, double dataRange) {
        return ssim(x, y, dataRange).neg().add(1);
    }

    /**
     * Mean SSIM over samples, channels and valid window positions.
     *
     * @param dataRange the span of possible values (1 for [0, 1], 2 for [−1, 1]), which sets C1 and C2
     * @throws IllegalArgumentException for different shapes, a rank other than 4 or 5, a side below
     *                                  {@value #WINDOW}, or a data range that is not positive
     */
    public static NDArray ssim(NDArray x, NDArray y, double dataRange) {
        LossArguments.requireSameShape("x", x, "y", y);
        Shape shape = x.getShape();
        int spatial = shape.dimension() - 2;
        if (spatial != 2 && spatial != 3) {
            throw new IllegalArgumentException("SSIM takes (N, C, H, W) or (N, C, D, H, W), got " + shape);
        }
        for (int axis = 2; axis < shape.dimension(); axis++) {
            if (shape.get(axis) < WINDOW) {
                throw new IllegalArgumentException("SSIM's " + WINDOW + "-pixel window is larger than side "
                        + shape.get(axis) + " of shape " + shape);
            }
        }
        if (!(dataRange > 0) || Double.isInfinite(dataRange)) {
            throw new IllegalArgumentException("SSIM needs a positive finite data range, got " + dataRange);
        }
        NDArray moments = NDArrays.concat(new NDList(x, y, x.square(), y.square(), x.mul(y)), 1);
        for (int axis = 0; axis < spatial; axis++) {
            moments = gaussianAlong(moments, axis, spatial);
        }
        NDList split = moments.split(MOMENTS, 1);
        NDArray mx = split.get(0);
        NDArray my = split.get(1);
        NDArray mxy = mx.mul(my);
        NDArray meanSquares = mx.square().add(my.square());
        NDArray variances = split.get(2).add(split.get(3)).sub(meanSquares);
        NDArray covariance = split.get(4).sub(mxy);
        double c1 = Math.pow(K1 * dataRange, 2);
        double c2 = Math.pow(K2 * dataRange, 2);
        NDArray map = Scalars.times(mxy, 2).add(c1).mul(Scalars.times(covariance, 2).add(c2))
                .div(meanSquares.add(c1).mul(variances.add(c2)));
        return map.mean();
    }

    /** Depthwise 'valid' convolution of every channel with the 1D Gaussian along spatial axis {@code axis}. */
    private static NDArray gaussianAlong(NDArray x, int axis, int spatial) {
        long[] kernelShape = new long[2 + spatial];
        Arrays.fill(kernelShape, 1);
        kernelShape[0] = x.getShape().get(1);
        kernelShape[2 + axis] = WINDOW;
        long[] taps = kernelShape.clone();
        taps[0] = 1;
        NDArray kernel = x.getManager().create(gaussianTaps()).toType(x.getDataType(), false)
                .reshape(new Shape(taps)).broadcast(new Shape(kernelShape));
        int groups = (int) kernelShape[0];
        Shape ones = new Shape(uniform(spatial, 1));
        Shape zeros = new Shape(uniform(spatial, 0));
        return (spatial == 2 ? Conv2d.conv2d(x, kernel, null, ones, zeros, ones, groups)
                : Conv3d.conv3d(x, kernel, null, ones, zeros, ones, groups)).singletonOrThrow();
    }

    /** exp(−i²/2σ²) for i = −5..5, normalised to sum 1 (scipy.ndimage's Gaussian, as scikit-image filters). */
    private static double[] gaussianTaps() {
        int radius = WINDOW / 2;
        double[] taps = new double[WINDOW];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            taps[i + radius] = Math.exp(-0.5 * i * i / (SIGMA * SIGMA));
            sum += taps[i + radius];
        }
        for (int i = 0; i < WINDOW; i++) {
            taps[i] /= sum;
        }
        return taps;
    }

    private static long[] uniform(int length, long value) {
        long[] values = new long[length];
        Arrays.fill(values, value);
        return values;
    }
}
