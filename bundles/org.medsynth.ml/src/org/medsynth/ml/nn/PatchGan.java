package org.medsynth.ml.nn;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;

/**
 * The PatchGAN discriminator of pix2pix (Isola et al. 2017), 2D or 3D, in its multi-scale form (pix2pixHD, Wang et
 * al. 2018): at each scale {@code scales.s} a stack of 4×4 convolutions ({@code layers} of stride 2, then one of
 * stride 1, widths doubling up to 8× {@code base}), LeakyReLU 0.2 and instance norm (group norm with one group per
 * channel, affine) on all but the first, ending in a 1-channel map of real/fake logits per patch. Scale s sees the
 * input average-pooled s times (3×3, stride 2, padding 1, padding not counted).
 * <p>
 * As a DJL block it returns one logit map per scale, full resolution first.
 */
public final class PatchGan extends ExplicitBlock {
    private static final float LEAK = 0.2f;
    private static final int KERNEL = 4;
    private final int dimensions;
    private final List<List<Layer>> scales = new ArrayList<>();

    private record Layer(Conv conv, GroupNorm norm) {
    }

    public PatchGan(int dimensions, int inChannels, int base, int layers, int scaleCount) {
        this.dimensions = dimensions;
        for (int s = 0; s < scaleCount; s++) {
            List<Layer> stack = new ArrayList<>();
            String prefix = "scales." + s + ".";
            int in = inChannels;
            for (int n = 0; n <= layers; n++) {
                int out = base * Math.min(1 << n, 8);
                int stride = n < layers ? 2 : 1;
                Conv conv = child(prefix + n + ".conv", new Conv(dimensions, in, out, KERNEL, stride, 1));
                GroupNorm norm = n == 0 ? null : child(prefix + n + ".norm", new GroupNorm(out, out, true));
                stack.add(new Layer(conv, norm));
                in = out;
            }
            stack.add(new Layer(child(prefix + (layers + 1) + ".conv", new Conv(dimensions, in, 1, KERNEL, 1, 1)),
                    null));
            scales.add(stack);
        }
    }

    /** The logit maps, one per scale, finest first. */
    public List<NDArray> apply(ParameterStore parameters, NDArray x, boolean training) {
        List<NDArray> logits = new ArrayList<>();
        NDArray input = x;
        for (int s = 0; s < scales.size(); s++) {
            if (s > 0) {
                input = downsample(input);
            }
            NDArray h = input;
            List<Layer> stack = scales.get(s);
            for (int n = 0; n < stack.size(); n++) {
                Layer layer = stack.get(n);
                h = layer.conv().apply(parameters, h, training);
                if (n == stack.size() - 1) {
                    break;
                }
                if (layer.norm() != null) {
                    h = layer.norm().apply(parameters, h, training);
                }
                h = Activation.leakyRelu(h, LEAK);
            }
            logits.add(h);
        }
        return logits;
    }

    @Override
    protected NDList compute(ParameterStore parameters, NDList inputs, boolean training) {
        return new NDList(apply(parameters, inputs.singletonOrThrow(), training));
    }

    private NDArray downsample(NDArray x) {
        Shape kernel = dimensions == 2 ? new Shape(3, 3) : new Shape(3, 3, 3);
        Shape stride = dimensions == 2 ? new Shape(2, 2) : new Shape(2, 2, 2);
        Shape padding = dimensions == 2 ? new Shape(1, 1) : new Shape(1, 1, 1);
        // the mean over the window's positions inside the image: padded positions are not counted
        NDArray ones = x.getManager().ones(new Shape(1, 1).addAll(x.getShape().slice(2)), x.getDataType());
        return pool(x, kernel, stride, padding).div(pool(ones, kernel, stride, padding));
    }

    private NDArray pool(NDArray x, Shape kernel, Shape stride, Shape padding) {
        return dimensions == 2 ? Pool.avgPool2d(x, kernel, stride, padding, false, true)
                : Pool.avgPool3d(x, kernel, stride, padding, false, true);
    }
}
