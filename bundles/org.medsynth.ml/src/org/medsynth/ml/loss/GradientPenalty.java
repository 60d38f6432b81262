package org.medsynth.ml.loss;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;

/**
 * Penalties on the gradient of the discriminator's output with respect to its input: WGAN-GP (Gulrajani et al.
 * 2017) and R1 (Mescheder et al. 2018). Their gradients with respect to the discriminator's weights go through that
 * input gradient (double backpropagation). DJL's GradientCollector has no create-graph mode, but the PyTorch engine's
 * {@code JniUtils.backward} passes {@code create_graph} to libtorch's {@code Tensor::backward}; this class uses it, so
 * the penalty is an ordinary differentiable value: add it to the discriminator loss inside the GradientCollector and
 * call {@code backward} once.
 * <p>
 * libtorch's backward also accumulates the first-order gradient of D's output into every weight (where
 * {@code torch.autograd.grad} would not); the penalty therefore saves the weights' gradients before and puts them back
 * after, so only the penalty's own contribution reaches them. PyTorch engine only; the weights must be the arrays the
 * discriminator computes with (a ParameterStore on their own device).
 * <p>
 * Memory: every gradient handle this class opens on the weights is closed again, but the create-graph backward
 * itself leaves native memory behind at every penalised step that libtorch never frees. Two reference cycles keep
 * it: the weights' gradients hold the penalty's graph (with the gradients already defined, libtorch adds the
 * penalty's first-order gradient out of place, so each step's gradient arrays chain to the previous step's graph;
 * the parameter–gradient cycle libtorch warns about once per process), and the input copy's
 * gradient holds a graph that holds that copy. libtorch breaks them by resetting both {@code .grad} fields to
 * undefined after the step, or avoids them with {@code torch::autograd::grad} restricted to the input; the JNI of
 * DJL 0.32's PyTorch engine offers neither (its gradient calls are {@code Tensor::grad}, an in-place
 * {@code zero_}, {@code requires_grad_} and {@code Tensor::backward} without {@code inputs}). Replaying this
 * class's calls in PyTorch (reference/gradient_penalty_memory.py in the ML tests) on a 64-wide PatchGAN at 32²
 * (batch 2, 150 steps) grows the resident memory by 45–65 MB; resetting both {@code .grad} fields each step, or
 * {@code autograd.grad}, by under 5 MB; resetting only one of them does not help. Penalise every k-th step (lazy
 * regularisation) to bound the growth.
 */
public final class GradientPenalty {

    /** The discriminator as a function of its input, evaluated inside the training step's GradientCollector. */
    @FunctionalInterface
    public interface Critic {
        /** D's outputs (logits of any shape) for an input batch. */
        NDArray apply(NDArray input);
    }

    private GradientPenalty() {
    }

    /**
     * WGAN-GP: mean over the batch of (‖∇x̂ D(x̂)‖₂ − 1)² at x̂ = ε·real + (1 − ε)·fake, the norm over all of a
     * sample's elements. Multiply by λ (10 in the paper) and add to the critic loss.
     *
     * @param fake    generated batch; detached here, so no gradient reaches the generator
     * @param epsilon interpolation weights, one per sample, (N, 1, ..., 1) drawn uniformly in [0, 1]
     */
    public static NDArray wgan(Critic critic, Block discriminator, NDArray real, NDArray fake, NDArray epsilon) {
        LossArguments.requireSameShape("real batch", real, "fake batch", fake);
        LossArguments.requireBroadcastable("interpolation weights ε", epsilon, real.getShape());
        NDArray interpolates = real.mul(epsilon).add(fake.mul(epsilon.neg().add(1))).stopGradient();
        NDArray norms = perSampleSquaredNorm(inputGradient(critic, discriminator, interpolates)).sqrt();
        return norms.sub(1).square().mean();
    }

    /**
     * R1: mean over the batch of ‖∇x D(x)‖² on real data (summed over all of a sample's elements). Multiply by γ/2
     * and add to the discriminator loss. D is evaluated once more on {@code real} for this.
     */
    public static NDArray r1(Critic critic, Block discriminator, NDArray real) {
        return perSampleSquaredNorm(inputGradient(critic, discriminator, real)).mean();
    }

    /**
     * ∇x Σ D(x), differentiable with respect to the discriminator's weights (and to x through them). Evaluates
     * {@code critic} on a fresh leaf copy of {@code input} (the caller's array and its graph are untouched) and leaves
     * the gradients of {@code discriminator}'s parameters as they were.
     *
     * @throws IllegalArgumentException when the arrays do not come from the PyTorch engine
     */
    public static NDArray inputGradient(Critic critic, Block discriminator, NDArray input) {
        NDArray x = input.stopGradient();
        x.setRequiresGradient(true);
        NDArray output = critic.apply(x);
        if (!(output instanceof PtNDArray pytorchOutput)) {
            throw new IllegalArgumentException("gradient penalties need the PyTorch engine's create-graph backward; "
                    + "the discriminator returned a " + output.getClass().getSimpleName());
        }
        List<NDArray> weights = new ArrayList<>();
        List<NDArray> savedGradients = new ArrayList<>();
        for (Pair<String, Parameter> parameter : discriminator.getParameters()) {
            NDArray array = parameter.getValue().getArray();
            if (array.hasGradient()) {
                weights.add(array);
                // every getGradient/stopGradient is a new handle in the weights' manager: close it, or it keeps
                // that step's gradient tensor (and the graph it references) alive as long as the model
                try (NDArray gradient = array.getGradient(); NDArray detached = gradient.stopGradient()) {
                    savedGradients.add(detached.duplicate());
                }
            }
        }
        try (NDArray ones = output.onesLike()) {
            JniUtils.backward(pytorchOutput, (PtNDArray) ones, true, true);
        }
        NDArray gradient = x.getGradient();
        // the final backward would otherwise add x's second-order gradient into 'gradient' in place
        x.setRequiresGradient(false);
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            for (int i = 0; i < weights.size(); i++) {
                JniUtils.zeroGrad((PtNDArray) weights.get(i));
                try (NDArray weightGradient = weights.get(i).getGradient()) {
                    weightGradient.addi(savedGradients.get(i));
                }
            }
        } finally {
            JniUtils.setGradMode(gradMode);
            savedGradients.forEach(NDArray::close);
        }
        return gradient;
    }

    private static NDArray perSampleSquaredNorm(NDArray gradient) {
        return gradient.square().reshape(gradient.getShape().get(0), -1).sum(new int[] {1});
    }
}
