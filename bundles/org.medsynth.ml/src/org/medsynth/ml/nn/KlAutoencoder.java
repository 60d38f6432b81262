package org.medsynth.ml.nn;

import java.util.ArrayList;
import java.util.List;

import org.medsynth.ml.Scalars;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * The KL-regularised autoencoder of latent diffusion (Rombach et al. 2022), 2D or 3D. The {@code encoder}
 * ({@code conv_in}; per level {@code down.l.r} residual blocks and, but at the last level, a stride-2
 * {@code down.l.downsample} convolution; a {@code mid} residual block; {@code norm_out}, SiLU, {@code conv_out})
 * maps an image to 2·z channels: the mean and log-variance of a diagonal Gaussian over the latent, the
 * log-variance clamped to [-30, 20] as in LDM. The {@code decoder} ({@code conv_in}, {@code mid}, per level from the
 * coarsest {@code up.l.r} residual blocks, one more than the encoder's, and, but at level 0, nearest-neighbour
 * upsampling and a {@code up.l.upsample} convolution, as DJL's PyTorch engine has no transposed convolution;
 * {@code norm_out}, SiLU, {@code conv_out}) maps a latent back to an image. The residual blocks are {@link ResBlock}s
 * without embedding.
 * <p>
 * Sampling is the reparameterisation mean + exp(logvar / 2) · noise with standard normal noise passed in, so a
 * seeded noise array gives a reproducible sample and gradients reach mean and log-variance. As a DJL block its
 * inputs are x and optionally the noise (without it the mean, the posterior's mode, is decoded); its outputs the
 * reconstruction, the mean and the log-variance.
 */
public final class KlAutoencoder extends ExplicitBlock {
    /** LDM's bounds on the log-variance, which keep exp(logvar) finite early in training. */
    static final float MIN_LOG_VARIANCE = -30f;
    static final float MAX_LOG_VARIANCE = 20f;

    private final int dimensions;
    private final int inChannels;
    private final int latentChannels;
    private final int sizeDivisor;
    private final Encoder encoder;
    private final Decoder decoder;

    /** The diagonal Gaussian over the latent, each of mean and log-variance (N, z, ...). */
    public record Posterior(NDArray mean, NDArray logVariance) {
        /** The reparameterised sample mean + σ · noise, noise (N, z, ...) standard normal. */
        public NDArray sample(NDArray noise) {
            if (!noise.getShape().equals(mean.getShape())) {
                throw new IllegalArgumentException("noise " + noise.getShape() + " does not have the latent's shape "
                        + mean.getShape());
            }
            return mean.add(Scalars.times(logVariance, 0.5).exp().mul(noise));
        }

        /** KL(q ‖ N(0, I)) per sample (N): ½ Σ (mean² + σ² − 1 − log σ²) over channels and positions. */
        public NDArray kl() {
            NDArray terms = mean.square().add(logVariance.exp()).sub(1).sub(logVariance);
            return Scalars.times(terms.reshape(terms.getShape().get(0), -1).sum(new int[] {1}), 0.5);
        }
    }

    /** The decoded image and the posterior it was sampled from. */
    public record Reconstruction(NDArray image, Posterior posterior) {
    }

    private static final class Encoder extends ExplicitBlock {
        private final Conv convIn;
        private final List<List<ResBlock>> levels = new ArrayList<>();
        private final List<Conv> downsample = new ArrayList<>();
        private final ResBlock mid;
        private final GroupNorm normOut;
        private final Conv convOut;

        Encoder(int dims, int inChannels, int latentChannels, int base, int[] multipliers, int resBlocks) {
            convIn = child("conv_in", Conv.same(dims, inChannels, base, 3));
            int channels = base;
            for (int level = 0; level < multipliers.length; level++) {
                int out = base * multipliers[level];
                List<ResBlock> blocks = new ArrayList<>();
                for (int r = 0; r < resBlocks; r++) {
                    blocks.add(child("down." + level + "." + r, new ResBlock(dims, channels, out, 0, 0, 0)));
                    channels = out;
                }
                levels.add(blocks);
                if (level < multipliers.length - 1) {
                    downsample.add(child("down." + level + ".downsample", new Conv(dims, channels, channels, 3, 2,
                            1)));
                }
            }
            mid = child("mid", new ResBlock(dims, channels, channels, 0, 0, 0));
            normOut = child("norm_out", GroupNorm.standard(channels));
            convOut = child("conv_out", Conv.same(dims, channels, 2 * latentChannels, 3));
        }

        NDArray apply(ParameterStore parameters, NDArray x, boolean training) {
            NDArray h = convIn.apply(parameters, x, training);
            for (int level = 0; level < levels.size(); level++) {
                h = applyAll(levels.get(level), parameters, h, training);
                if (level < downsample.size()) {
                    h = downsample.get(level).apply(parameters, h, training);
                }
            }
            h = mid.apply(parameters, h, null, Conditioning.NONE, training);
            return convOut.apply(parameters, Ops.silu(normOut.apply(parameters, h, training)), training);
        }

        @Override
        protected NDList compute(ParameterStore parameters, NDList inputs, boolean training) {
            return new NDList(apply(parameters, inputs.singletonOrThrow(), training));
        }
    }

    private static final class Decoder extends ExplicitBlock {
        private final Conv convIn;
        private final ResBlock mid;
        private final List<List<ResBlock>> levels = new ArrayList<>();
        private final List<Conv> upsample = new ArrayList<>();
        private final GroupNorm normOut;
        private final Conv convOut;

        Decoder(int dims, int outChannels, int latentChannels, int base, int[] multipliers, int resBlocks) {
            int channels = base * multipliers[multipliers.length - 1];
            convIn = child("conv_in", Conv.same(dims, latentChannels, channels, 3));
            mid = child("mid", new ResBlock(dims, channels, channels, 0, 0, 0));
            for (int level = multipliers.length - 1; level >= 0; level--) {
                int out = base * multipliers[level];
                List<ResBlock> blocks = new ArrayList<>();
                for (int r = 0; r <= resBlocks; r++) {
                    blocks.add(child("up." + level + "." + r, new ResBlock(dims, channels, out, 0, 0, 0)));
                    channels = out;
                }
                levels.add(blocks);
                if (level > 0) {
                    upsample.add(child("up." + level + ".upsample", Conv.same(dims, channels, channels, 3)));
                }
            }
            normOut = child("norm_out", GroupNorm.standard(channels));
            convOut = child("conv_out", Conv.same(dims, channels, outChannels, 3));
        }

        NDArray apply(ParameterStore parameters, NDArray z, boolean training) {
            NDArray h = mid.apply(parameters, convIn.apply(parameters, z, training), null, Conditioning.NONE,
                    training);
            for (int i = 0; i < levels.size(); i++) {
                h = applyAll(levels.get(i), parameters, h, training);
                if (i < upsample.size()) {
                    h = upsample.get(i).apply(parameters, Ops.upsampleNearest2x(h), training);
                }
            }
            return convOut.apply(parameters, Ops.silu(normOut.apply(parameters, h, training)), training);
        }

        @Override
        protected NDList compute(ParameterStore parameters, NDList inputs, boolean training) {
            return new NDList(apply(parameters, inputs.singletonOrThrow(), training));
        }
    }

    /** The residual blocks of one level, in order. */
    private static NDArray applyAll(List<ResBlock> blocks, ParameterStore parameters, NDArray x, boolean training) {
        NDArray h = x;
        for (ResBlock block : blocks) {
            h = block.apply(parameters, h, null, Conditioning.NONE, training);
        }
        return h;
    }

    /**
     * @param latentChannels z, the latent's channels
     * @param baseChannels   width of the first level
     * @param multipliers    width of each level as a multiple of {@code baseChannels}; each level after the first
     *                       halves the resolution
     * @param resBlocks      residual blocks per encoder level (the decoder has one more)
     */
    public KlAutoencoder(int dimensions, int inChannels, int latentChannels, int baseChannels, int[] multipliers,
            int resBlocks) {
        if (dimensions != 2 && dimensions != 3) {
            throw new IllegalArgumentException("a KL autoencoder is 2D or 3D, not " + dimensions + "D");
        }
        if (multipliers.length == 0 || resBlocks < 1 || baseChannels < 1 || latentChannels < 1) {
            throw new IllegalArgumentException("a KL autoencoder needs at least one level, one residual block per "
                    + "level, one base channel and one latent channel");
        }
        this.dimensions = dimensions;
        this.inChannels = inChannels;
        this.latentChannels = latentChannels;
        sizeDivisor = 1 << (multipliers.length - 1);
        encoder = child("encoder", new Encoder(dimensions, inChannels, latentChannels, baseChannels,
                multipliers.clone(), resBlocks));
        decoder = child("decoder", new Decoder(dimensions, inChannels, latentChannels, baseChannels,
                multipliers.clone(), resBlocks));
    }

    /** The factor by which the latent is smaller than the image along each spatial axis. */
    public int sizeDivisor() {
        return sizeDivisor;
    }

    /** The posterior over the latent of {@code x} (N, C, ...): its mean and clamped log-variance, for the KL loss. */
    public Posterior encode(ParameterStore parameters, NDArray x, boolean training) {
        checkShape("image", x, inChannels);
        for (int axis = 2; axis < x.getShape().dimension(); axis++) {
            if (x.getShape().get(axis) % sizeDivisor != 0) {
                throw new IllegalArgumentException("KL autoencoder input " + x.getShape() + ": every spatial size "
                        + "must be a multiple of " + sizeDivisor);
            }
        }
        NDList moments = encoder.apply(parameters, x, training).split(2, 1);
        return new Posterior(moments.get(0), moments.get(1).clip(MIN_LOG_VARIANCE, MAX_LOG_VARIANCE));
    }

    /** The image decoded from latent {@code z} (N, z, ...). */
    public NDArray decode(ParameterStore parameters, NDArray z, boolean training) {
        checkShape("latent", z, latentChannels);
        return decoder.apply(parameters, z, training);
    }

    /**
     * Encodes {@code x}, samples the latent with {@code noise} (the mean when null) and decodes it.
     */
    public Reconstruction apply(ParameterStore parameters, NDArray x, NDArray noise, boolean training) {
        Posterior posterior = encode(parameters, x, training);
        NDArray z = noise == null ? posterior.mean() : posterior.sample(noise);
        return new Reconstruction(decode(parameters, z, training), posterior);
    }

    @Override
    protected NDList compute(ParameterStore parameters, NDList inputs, boolean training) {
        if (inputs.isEmpty() || inputs.size() > 2) {
            throw new IllegalArgumentException("a KL autoencoder takes x and optionally the noise, got "
                    + inputs.size() + " inputs");
        }
        Reconstruction r = apply(parameters, inputs.get(0), inputs.size() == 2 ? inputs.get(1) : null, training);
        return new NDList(r.image(), r.posterior().mean(), r.posterior().logVariance());
    }

    private void checkShape(String what, NDArray x, int channels) {
        Shape shape = x.getShape();
        if (shape.dimension() != dimensions + 2 || shape.get(1) != channels) {
            throw new IllegalArgumentException("KL autoencoder " + what + " " + shape + " is not (N, " + channels
                    + (dimensions == 2 ? ", H, W)" : ", D, H, W)"));
        }
    }
}
