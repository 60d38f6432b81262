package org.medsynth.radiography.ct2x;

import java.util.SplittableRandom;

import org.medsynth.ml.Scalars;
import org.medsynth.ml.loss.AdversarialLoss;
import org.medsynth.ml.loss.GradientPenalty;
import org.medsynth.ml.loss.PerceptualLoss;
import org.medsynth.ml.loss.PixelLosses;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * One CT2X-GAN training step as a single loss over all of the network's weights, so that the shared
 * {@code TrainingLoop} (one optimiser, checkpoints, resume) trains generator and discriminator together:
 * <ul>
 * <li>reconstruction on DRRs: λ_rec · MAE + λ_perc · perceptual distance between the DRR-style output
 * G(c, E_drr(DRR)) and the DRR;</li>
 * <li>content consistency: the shared content encoder gives the CT's content code c back from the X-ray-style
 * output and from the DRR (c detached as the target);</li>
 * <li>style consistency: each style encoder gives back the style code the output was made with;</li>
 * <li>zero loss: each style encoder gives the zero code on the other domain's images (E_xray(DRR) = 0,
 * E_drr(radiograph) = 0), so style codes carry only their own domain;</li>
 * <li>adversarial (non-saturating): the pose-aware discriminator against X-ray-style outputs of the CT's view and
 * unpaired radiograph-style images of other CTs at their own angles, with R1 (γ/2 · ‖∇D(real)‖²) on the real ones,
 * every step or lazily (every k-th step with γ·k, StyleGAN2's lazy regularisation).
 * The generator's adversarial term sees the discriminator through detached weights, and the discriminator's term
 * sees detached outputs, so each part only moves against its own objective.</li>
 * </ul>
 */
public final class Ct2xTraining {

    /**
     * Loss weights; where the paper is silent these are MedSynth's choices, recorded in the model card.
     *
     * @param r1Every R1 on every k-th step only, with γ·k (1: every step). The penalty needs libtorch's
     *                create-graph backward, whose graph stays chained to the discriminator's gradients, so memory
     *                grows with every penalised step: long runs penalise lazily
     */
    public record Weights(double reconstruction, double perceptual, double content, double style, double zero,
            double adversarial, double r1Gamma, int r1Every) {
        public Weights {
            if (r1Every < 1) {
                throw new IllegalArgumentException("R1 must be applied every k ≥ 1 steps, got " + r1Every);
            }
        }

        /** Whether training step {@code step} (from 0) carries the R1 penalty. */
        public boolean penalises(int step) {
            return step % r1Every == 0;
        }
    }

    /** A batch: CT views with their DRRs and MIPs, and unpaired radiograph-style images with their angles. */
    public record Batch(NDArray ct, NDArray mip, NDArray drr, double[] degrees, NDArray radiographs,
            double[] radiographDegrees) {
    }

    /** The terms of one step, for the progress log and tests. */
    public record Terms(NDArray total, NDArray reconstruction, NDArray adversarialGenerator,
            NDArray discriminator) {
    }

    private final Ct2xNetwork network;
    private final Ct2xData data;
    private final RandomFeatures perceptual;
    private final Weights weights;

    public Ct2xTraining(Ct2xNetwork network, Ct2xData data, RandomFeatures perceptual, Weights weights) {
        this.network = network;
        this.data = data;
        this.perceptual = perceptual;
        this.weights = weights;
    }

    /** {@code size} paired views and {@code size} unpaired radiograph-style images, all from {@code random}. */
    public Batch batch(NDManager scope, int size, SplittableRandom random) {
        int d = data.ctSize();
        int s = data.imageSize();
        int voxels = d * d * d;
        int pixels = s * s;
        float[] ct = new float[size * voxels];
        float[] mip = new float[size * pixels];
        float[] drr = new float[size * pixels];
        float[] radiographs = new float[size * pixels];
        double[] degrees = new double[size];
        double[] radiographDegrees = new double[size];
        for (int i = 0; i < size; i++) {
            Ct2xData.View view = data.view(random);
            System.arraycopy(view.normalisedCt().data(), 0, ct, i * voxels, voxels);
            System.arraycopy(Ct2xModel.toModel(view.mip()), 0, mip, i * pixels, pixels);
            System.arraycopy(Ct2xModel.toModel(view.drr()), 0, drr, i * pixels, pixels);
            degrees[i] = view.degrees();
        }
        for (int i = 0; i < size; i++) {
            // another CT and angle: the radiograph-style domain is unpaired with the DRRs
            radiographDegrees[i] = data.angle(random);
            float[] radiograph = Radiographs.radiograph(data.anatomy(random), s, radiographDegrees[i], random);
            System.arraycopy(Ct2xModel.toModel(radiograph), 0, radiographs, i * pixels, pixels);
        }
        Shape images = new Shape(size, 1, s, s);
        return new Batch(scope.create(ct, new Shape(size, 1, d, d, d)), scope.create(mip, images),
                scope.create(drr, images), degrees, scope.create(radiographs, images), radiographDegrees);
    }

    /** The loss terms of training step {@code step} (from 0) for a batch, with the weights' gradients recorded. */
    public Terms loss(NDManager scope, Batch batch, int step) {
        ParameterStore ps = new ParameterStore(scope, false);
        ParameterStore frozen = new DetachedParameters(scope);
        NDArray content = network.content(ps, batch.ct(), batch.mip(), batch.degrees(), true);
        NDArray drrStyle = network.drrStyle(ps, batch.drr(), true);
        NDArray xrayStyle = network.xrayStyle(ps, batch.radiographs(), true);
        NDArray drrOut = network.generate(ps, content, drrStyle, true);
        NDArray xrayOut = network.generate(ps, content, xrayStyle, true);

        NDArray reconstruction = Scalars.times(PixelLosses.l1(drrOut, batch.drr()), weights.reconstruction())
                .add(Scalars.times(PerceptualLoss.distance(perceptual, drrOut, batch.drr()), weights.perceptual()));
        NDArray target = content.stopGradient();
        NDArray contentLoss = PixelLosses.l1(network.encodeContent(ps, xrayOut, true), target)
                .add(PixelLosses.l1(network.encodeContent(ps, batch.drr(), true), target));
        NDArray styleLoss = PixelLosses.l1(network.xrayStyle(ps, xrayOut, true), xrayStyle.stopGradient())
                .add(PixelLosses.l1(network.drrStyle(ps, drrOut, true), drrStyle.stopGradient()));
        NDArray zero = network.xrayStyle(ps, batch.drr(), true).abs().mean()
                .add(network.drrStyle(ps, batch.radiographs(), true).abs().mean());
        NDArray adversarialGenerator = AdversarialLoss.NON_SATURATING.generator(
                network.discriminate(frozen, xrayOut, batch.degrees(), true));
        NDArray discriminator = AdversarialLoss.NON_SATURATING.discriminator(
                network.discriminate(ps, batch.radiographs(), batch.radiographDegrees(), true),
                network.discriminate(ps, xrayOut.stopGradient(), batch.degrees(), true));
        NDArray total = reconstruction.add(Scalars.times(contentLoss, weights.content()))
                .add(Scalars.times(styleLoss, weights.style())).add(Scalars.times(zero, weights.zero()))
                .add(Scalars.times(adversarialGenerator, weights.adversarial()))
                .add(Scalars.times(discriminator, weights.adversarial()));
        if (weights.penalises(step)) {
            NDArray r1 = GradientPenalty.r1(x -> network.discriminate(ps, x, batch.radiographDegrees(), true),
                    network.discriminator(), batch.radiographs());
            total = total.add(Scalars.times(r1, weights.r1Gamma() * weights.r1Every() / 2));
        }
        return new Terms(total, reconstruction, adversarialGenerator, discriminator);
    }

    /**
     * Parameter values without gradient: the discriminator seen by the generator's adversarial term. The detached
     * arrays belong to the step's scope and are freed with it.
     */
    private static final class DetachedParameters extends ParameterStore {
        private final NDManager scope;

        DetachedParameters(NDManager scope) {
            super(scope, false);
            this.scope = scope;
        }

        @Override
        public NDArray getValue(Parameter parameter, Device device, boolean training) {
            NDArray detached = super.getValue(parameter, device, training).stopGradient();
            detached.attach(scope);
            return detached;
        }
    }
}
