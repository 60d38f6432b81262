package org.medsynth.radiography.ct2x;

import java.util.ArrayList;
import java.util.List;

import org.medsynth.ml.Scalars;
import org.medsynth.ml.nn.Conv;
import org.medsynth.ml.nn.Dense;
import org.medsynth.ml.nn.ExplicitBlock;
import org.medsynth.ml.nn.GroupNorm;
import org.medsynth.ml.nn.Ops;
import org.medsynth.ml.nn.PatchGan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;

/**
 * CT2X-GAN (Tan et al. 2024) at MedSynth's scale, every part of the paper's model in one block so that one weight
 * file holds it:
 * <ul>
 * <li>3D CT encoder: stride-2 3×3×3 convolutions with group norm and LeakyReLU 0.2 down to a
 * {@code featureCube³} feature volume;</li>
 * <li>pose attention module: the feature volume turned to the view and split into depth slabs
 * ({@link ViewProjection}), a spatial attention map computed from it and the encoded rotated MIP, a gate from the
 * angle's (sin, cos), fused into the view's content code;</li>
 * <li>style-decoupling encoders: an X-ray style encoder and a DRR style encoder (strided convolutions, global mean,
 * linear to a {@code styleDim} code) and a shared content encoder that maps either kind of image to a content code
 * of the view's shape;</li>
 * <li>AdaIN style generator: content layers (two residual blocks at the content code's resolution), then style
 * layers (nearest ×2 upsampling, convolution, adaptive instance normalisation from the style code, LeakyReLU) up to
 * the image size, tanh output in [−1, 1];</li>
 * <li>pose-aware discriminator: a PatchGAN ({@link PatchGan}, 3 stride-2 layers) on the image with the angle's sin
 * and cos as two extra constant channels.</li>
 * </ul>
 * Images are single-channel {@code imageSize²} in [−1, 1] (2v − 1 of [0, 1] images); the content code has
 * {@code imageSize/4}² positions.
 */
public final class Ct2xNetwork extends ExplicitBlock {
    /** ×2 upsamplings of the style generator (and stride-2 steps of the 2D encoders down to the content code). */
    public static final int STYLE_LAYERS = 2;
    private static final float LEAK = 0.2f;

    /**
     * @param ctSize      CT cube side in voxels
     * @param imageSize   radiograph side in pixels (a multiple of 4)
     * @param featureCube side of the CT encoder's feature volume (ctSize / 2^k, k ≥ 1)
     * @param channels    base width; the content code has 2 × channels channels
     * @param styleDim    length of a style code
     * @param slabs       depth slabs of the view projection
     */
    public record Config(int ctSize, int imageSize, int featureCube, int channels, int styleDim, int slabs) {
        public Config {
            if (imageSize < 32 || imageSize % (1 << STYLE_LAYERS) != 0) {
                throw new IllegalArgumentException("image size must be a multiple of " + (1 << STYLE_LAYERS)
                        + " and at least 32 (the discriminator's receptive field), got " + imageSize);
            }
            int ratio = featureCube < 1 ? 0 : ctSize / featureCube;
            if (ratio < 2 || ctSize % featureCube != 0 || Integer.bitCount(ratio) != 1) {
                throw new IllegalArgumentException("the CT size (" + ctSize + ") must be the feature cube ("
                        + featureCube + ") times a power of two ≥ 2");
            }
            if (channels < 4 || channels % 4 != 0 || styleDim < 1 || slabs < 1) {
                throw new IllegalArgumentException("channels must be a positive multiple of 4 and the style "
                        + "length and slabs positive, got " + channels + ", " + styleDim + ", " + slabs);
            }
        }

        public int contentSize() {
            return imageSize >> STYLE_LAYERS;
        }

        public int contentChannels() {
            return 2 * channels;
        }

        int ctDownsamplings() {
            return Integer.numberOfTrailingZeros(ctSize / featureCube);
        }
    }

    private record Normed(Conv conv, GroupNorm norm) {
        NDArray apply(ParameterStore ps, NDArray x, boolean training) {
            return Activation.leakyRelu(norm.apply(ps, conv.apply(ps, x, training), training), LEAK);
        }
    }

    private record StyleLayer(Conv conv, GroupNorm norm, Dense affine) {
    }

    private final Config config;
    private final ViewProjection projection;
    private final List<Normed> ctEncoder = new ArrayList<>();
    private final List<Normed> mipEncoder = new ArrayList<>();
    private final Conv attention;
    private final Dense poseGate;
    private final Conv fuse;
    private final List<Conv> contentLayers = new ArrayList<>();
    private final List<StyleLayer> styleLayers = new ArrayList<>();
    private final Conv output;
    private final List<Normed> contentEncoder = new ArrayList<>();
    private final Conv contentHead;
    private final StyleEncoder xrayStyle;
    private final StyleEncoder drrStyle;
    private final PatchGan discriminator;

    public Ct2xNetwork(Config config) {
        this.config = config;
        int c = config.channels();
        int content = config.contentChannels();
        projection = new ViewProjection(config.featureCube(), config.contentSize(), config.slabs());
        int in = 1;
        for (int i = 0; i < config.ctDownsamplings(); i++) {
            int out = i == config.ctDownsamplings() - 1 ? c : Math.max(4, c / 2);
            ctEncoder.add(normed("ct." + i, 3, in, out, 2));
            in = out;
        }
        mipEncoder.add(normed("pose.mip.0", 2, 1, c / 2, 2));
        mipEncoder.add(normed("pose.mip.1", 2, c / 2, c, 2));
        int projected = c * config.slabs();
        attention = child("pose.attention", new Conv(2, projected + c, 1, 1, 1, 0));
        poseGate = child("pose.gate", new Dense(2, projected));
        fuse = child("pose.fuse", Conv.same(2, projected + c, content, 3));
        for (int i = 0; i < 4; i++) {
            contentLayers.add(child("generator.content." + i, Conv.same(2, content, content, 3)));
        }
        int width = content;
        for (int i = 0; i < STYLE_LAYERS; i++) {
            int out = Math.max(c, width / 2);
            styleLayers.add(new StyleLayer(child("generator.style." + i + ".conv", Conv.same(2, width, out, 3)),
                    child("generator.style." + i + ".norm", new GroupNorm(out, out, false)),
                    child("generator.style." + i + ".affine", new Dense(config.styleDim(), 2 * out))));
            width = out;
        }
        output = child("generator.output", Conv.same(2, width, 1, 3));
        contentEncoder.add(normed("encoder.content.0", 2, 1, c / 2, 2));
        contentEncoder.add(normed("encoder.content.1", 2, c / 2, c, 2));
        contentHead = child("encoder.content.head", Conv.same(2, c, content, 3));
        xrayStyle = child("encoder.style-xray", new StyleEncoder(c, config.styleDim()));
        drrStyle = child("encoder.style-drr", new StyleEncoder(c, config.styleDim()));
        discriminator = child("discriminator", new PatchGan(2, 3, c, 3, 1));
    }

    private Normed normed(String name, int dimensions, int in, int out, int stride) {
        return new Normed(child(name + ".conv", new Conv(dimensions, in, out, 3, stride, 1)),
                child(name + ".norm", GroupNorm.standard(out)));
    }

    public Config config() {
        return config;
    }

    public PatchGan discriminator() {
        return discriminator;
    }

    /**
     * The view's content code (N, 2·channels, S/4, S/4) from the normalised CT (N, 1, D, D, D), its rotated MIP
     * (N, 1, S, S) in [−1, 1] and the gantry angles (degrees, one per sample).
     */
    public NDArray content(ParameterStore ps, NDArray ct, NDArray mip, double[] degrees, boolean training) {
        NDManager manager = ct.getManager();
        NDArray features = ct;
        for (Normed layer : ctEncoder) {
            features = layer.apply(ps, features, training);
        }
        int n = degrees.length;
        int voxels = config.featureCube() * config.featureCube() * config.featureCube();
        int h = config.contentSize();
        int columns = config.slabs() * h * h;
        float[] stacked = new float[n * voxels * columns];
        float[] pose = new float[2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(projection.matrix(degrees[i]), 0, stacked, i * voxels * columns, voxels * columns);
            pose[2 * i] = (float) Math.sin(Math.toRadians(degrees[i]));
            pose[2 * i + 1] = (float) Math.cos(Math.toRadians(degrees[i]));
        }
        long channels = features.getShape().get(1);
        NDArray turned = features.reshape(n, channels, voxels)
                .batchMatMul(manager.create(stacked, new Shape(n, voxels, columns)))
                .reshape(n, channels * config.slabs(), h, h);
        NDArray mipFeatures = mip;
        for (Normed layer : mipEncoder) {
            mipFeatures = layer.apply(ps, mipFeatures, training);
        }
        NDArray spatial = Activation.sigmoid(attention.apply(ps, turned.concat(mipFeatures, 1), training));
        NDArray gate = Scalars.times(Activation.sigmoid(poseGate.apply(ps, manager.create(pose, new Shape(n, 2)),
                training)), 2).reshape(n, channels * config.slabs(), 1, 1);
        NDArray attended = turned.mul(spatial.add(1)).mul(gate);
        return fuse.apply(ps, attended.concat(mipFeatures, 1), training);
    }

    /** The generator: content layers on the code, then AdaIN style layers; (N, 1, S, S) in [−1, 1]. */
    public NDArray generate(ParameterStore ps, NDArray content, NDArray style, boolean training) {
        NDArray h = content;
        for (int i = 0; i < contentLayers.size(); i += 2) {
            NDArray r = Activation.leakyRelu(contentLayers.get(i).apply(ps, h, training), LEAK);
            h = h.add(contentLayers.get(i + 1).apply(ps, r, training));
        }
        for (StyleLayer layer : styleLayers) {
            h = layer.conv().apply(ps, Ops.upsampleNearest2x(h), training);
            long width = h.getShape().get(1);
            NDArray affine = layer.affine().apply(ps, style, training).reshape(-1, 2 * width, 1, 1);
            NDArray scale = affine.get(":, :" + width).add(1);
            NDArray shift = affine.get(":, " + width + ":");
            h = Activation.leakyRelu(layer.norm().apply(ps, h, training).mul(scale).add(shift), LEAK);
        }
        return output.apply(ps, h, training).tanh();
    }

    /** The shared content encoder: an image (N, 1, S, S) to a content code of the generator's input shape. */
    public NDArray encodeContent(ParameterStore ps, NDArray image, boolean training) {
        NDArray h = image;
        for (Normed layer : contentEncoder) {
            h = layer.apply(ps, h, training);
        }
        return contentHead.apply(ps, h, training);
    }

    /** The X-ray style code (N, styleDim) of an image. */
    public NDArray xrayStyle(ParameterStore ps, NDArray image, boolean training) {
        return xrayStyle.apply(ps, image, training);
    }

    /** The DRR style code (N, styleDim) of an image. */
    public NDArray drrStyle(ParameterStore ps, NDArray image, boolean training) {
        return drrStyle.apply(ps, image, training);
    }

    /** Pose-aware discriminator logits for images (N, 1, S, S) seen at {@code degrees}. */
    public NDArray discriminate(ParameterStore ps, NDArray image, double[] degrees, boolean training) {
        int n = degrees.length;
        int pixels = config.imageSize() * config.imageSize();
        float[] pose = new float[n * 2 * pixels];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(pose, 2 * i * pixels, (2 * i + 1) * pixels,
                    (float) Math.sin(Math.toRadians(degrees[i])));
            java.util.Arrays.fill(pose, (2 * i + 1) * pixels, (2 * i + 2) * pixels,
                    (float) Math.cos(Math.toRadians(degrees[i])));
        }
        NDArray poseMaps = image.getManager().create(pose,
                new Shape(n, 2, config.imageSize(), config.imageSize()));
        return discriminator.apply(ps, image.concat(poseMaps, 1), training).get(0);
    }

    @Override
    protected NDList compute(ParameterStore parameters, NDList inputs, boolean training) {
        throw new UnsupportedOperationException("CT2X-GAN runs through content, generate and its encoders");
    }

    /** Strided convolutions, global mean and a linear map to a style code. */
    private static final class StyleEncoder extends ExplicitBlock {
        private final List<Conv> convs = new ArrayList<>();
        private final Dense head;

        StyleEncoder(int channels, int styleDim) {
            int in = 1;
            for (int i = 0; i < 3; i++) {
                int out = Math.max(4, channels >> (2 - i));
                convs.add(child("conv." + i, new Conv(2, in, out, 3, 2, 1)));
                in = out;
            }
            head = child("head", new Dense(in, styleDim));
        }

        NDArray apply(ParameterStore ps, NDArray image, boolean training) {
            NDArray h = image;
            for (Conv conv : convs) {
                h = Activation.leakyRelu(conv.apply(ps, h, training), LEAK);
            }
            NDArray pooled = h.reshape(h.getShape().get(0), h.getShape().get(1), -1).mean(new int[] {2});
            return head.apply(ps, pooled, training);
        }

        @Override
        protected NDList compute(ParameterStore parameters, NDList inputs, boolean training) {
            return new NDList(apply(parameters, inputs.singletonOrThrow(), training));
        }
    }
}
