package org.medsynth.ml.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;

/**
 * A residual network encoder (He et al. 2016) in 2D or 3D, with group norm in place of batch norm (statistics per
 * sample, so small medical batches and evaluation behave like training): a stem ({@code stem.conv} 3×3,
 * {@code stem.norm}, ReLU), then stages of basic residual blocks ({@code stages.s.b}: {@code conv1} 3×3 →
 * {@code norm1} → ReLU → {@code conv2} 3×3 → {@code norm2}, added to the input, ReLU). The first block of every stage
 * after the first halves the resolution with a stride-2 {@code conv1}; a block that changes the resolution or the
 * width passes its input through a projection {@code shortcut} (1×1 convolution of the same stride, group norm).
 * Global average pooling over all positions gives the features (N, widths[last]); an optional linear {@code head}
 * maps them to outputs (class logits, regression targets). The convolutions keep PyTorch's default bias, so
 * weights of the same net written with {@code nn.Conv2d}/{@code nn.Conv3d} and {@code nn.GroupNorm} import by name.
 */
public final class ResNetEncoder extends ExplicitBlock {
    private final int dimensions;
    private final int inChannels;
    private final Conv stemConv;
    private final GroupNorm stemNorm;
    private final List<BasicBlock> blocks = new ArrayList<>();
    private final Dense head;

    /** Two 3×3 convolutions with a residual connection, projected when the shape changes. */
    private static final class BasicBlock extends ExplicitBlock {
        private final Conv conv1;
        private final GroupNorm norm1;
        private final Conv conv2;
        private final GroupNorm norm2;
        private final Conv shortcutConv;
        private final GroupNorm shortcutNorm;

        BasicBlock(int dimensions, int in, int out, int stride) {
            conv1 = child("conv1", new Conv(dimensions, in, out, 3, stride, 1));
            norm1 = child("norm1", GroupNorm.standard(out));
            conv2 = child("conv2", Conv.same(dimensions, out, out, 3));
            norm2 = child("norm2", GroupNorm.standard(out));
            boolean project = stride != 1 || in != out;
            shortcutConv = project ? child("shortcut.conv", new Conv(dimensions, in, out, 1, stride, 0)) : null;
            shortcutNorm = project ? child("shortcut.norm", GroupNorm.standard(out)) : null;
        }

        NDArray apply(ParameterStore parameters, NDArray x, boolean training) {
            NDArray h = Activation.relu(norm1.apply(parameters, conv1.apply(parameters, x, training), training));
            h = norm2.apply(parameters, conv2.apply(parameters, h, training), training);
            NDArray shortcut = shortcutConv == null ? x
                    : shortcutNorm.apply(parameters, shortcutConv.apply(parameters, x, training), training);
            return Activation.relu(h.add(shortcut));
        }

        @Override
        protected NDList compute(ParameterStore parameters, NDList inputs, boolean training) {
            return new NDList(apply(parameters, inputs.singletonOrThrow(), training));
        }
    }

    /**
     * @param widths  channels of each stage (the stem has the first stage's)
     * @param blocks  basic blocks of each stage, as many entries as {@code widths}
     * @param outputs features of the linear head; 0 for none (the pooled features are the output)
     */
    public ResNetEncoder(int dimensions, int inChannels, int[] widths, int[] blocks, int outputs) {
        if (dimensions != 2 && dimensions != 3) {
            throw new IllegalArgumentException("a ResNet encoder is 2D or 3D, not " + dimensions + "D");
        }
        if (widths.length == 0 || widths.length != blocks.length) {
            throw new IllegalArgumentException("a ResNet encoder needs a width and a block count for each stage, got "
                    + widths.length + " widths and " + blocks.length + " block counts");
        }
        if (IntStream.of(widths).anyMatch(w -> w < 1) || IntStream.of(blocks).anyMatch(b -> b < 1) || outputs < 0) {
            throw new IllegalArgumentException("ResNet stages need at least one channel and one block each, and the "
                    + "head a non-negative size");
        }
        this.dimensions = dimensions;
        this.inChannels = inChannels;
        stemConv = child("stem.conv", Conv.same(dimensions, inChannels, widths[0], 3));
        stemNorm = child("stem.norm", GroupNorm.standard(widths[0]));
        int channels = widths[0];
        for (int stage = 0; stage < widths.length; stage++) {
            for (int b = 0; b < blocks[stage]; b++) {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                this.blocks.add(child("stages." + stage + "." + b,
                        new BasicBlock(dimensions, channels, widths[stage], stride)));
                channels = widths[stage];
            }
        }
        head = outputs > 0 ? child("head", new Dense(channels, outputs)) : null;
    }

    /** The globally average-pooled features (N, widths[last]) of {@code x} (N, C, ...). */
    public NDArray features(ParameterStore parameters, NDArray x, boolean training) {
        List<NDArray> maps = blockMaps(parameters, x, training);
        NDArray h = maps.get(maps.size() - 1);
        return h.reshape(x.getShape().get(0), h.getShape().get(1), -1).mean(new int[] {2});
    }

    /**
     * The feature maps after the stem and after every residual block, (N, C_l, *spatial_l): the layers a perceptual
     * distance ({@code org.medsynth.ml.loss.PerceptualLoss}) compares.
     */
    public List<NDArray> blockMaps(ParameterStore parameters, NDArray x, boolean training) {
        Shape shape = x.getShape();
        if (shape.dimension() != dimensions + 2 || shape.get(1) != inChannels) {
            throw new IllegalArgumentException("ResNet encoder input " + shape + " is not (N, " + inChannels
                    + (dimensions == 2 ? ", H, W)" : ", D, H, W)"));
        }
        List<NDArray> maps = new ArrayList<>();
        NDArray h = Activation.relu(stemNorm.apply(parameters, stemConv.apply(parameters, x, training), training));
        maps.add(h);
        for (BasicBlock block : blocks) {
            h = block.apply(parameters, h, training);
            maps.add(h);
        }
        return maps;
    }

    /** The head's outputs (N, outputs), or the pooled features when built without a head. */
    public NDArray apply(ParameterStore parameters, NDArray x, boolean training) {
        NDArray features = features(parameters, x, training);
        return head == null ? features : head.apply(parameters, features, training);
    }

    @Override
    protected NDList compute(ParameterStore parameters, NDList inputs, boolean training) {
        return new NDList(apply(parameters, inputs.singletonOrThrow(), training));
    }
}
