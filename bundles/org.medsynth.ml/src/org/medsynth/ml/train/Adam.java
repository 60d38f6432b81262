package org.medsynth.ml.train;

import java.util.LinkedHashMap;
import java.util.Map;

import org.medsynth.ml.Scalars;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;

/**
 * Adam (Kingma and Ba 2015) with optional decoupled weight decay (AdamW, Loshchilov and Hutter 2019), computed as
 * {@code torch.optim.Adam}/{@code AdamW} compute it, with its moment estimates exposed so that a checkpoint holds
 * them and a resumed run continues bit-identically. (DJL's own Adam keeps its moments private.)
 * <p>
 * Per parameter: {@code m ← β1·m + (1−β1)·g}, {@code v ← β2·v + (1−β2)·g²},
 * {@code p ← p − lr/(1−β1^t) · m / (√v/√(1−β2^t) + ε)}; with weight decay λ, first {@code p ← p·(1 − lr·λ)}.
 * The learning rate may drop by a factor after a number of updates, as {@code torch.optim.lr_scheduler.MultiStepLR}
 * with one milestone does.
 */
public final class Adam {
    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final int dropAfter;
    private final double dropFactor;
    private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
    private int updates;

    /** Adam with PyTorch's defaults (β = 0.9, 0.999; ε = 1e-8) and no weight decay. */
    public Adam(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-8, 0);
    }

    public Adam(double learningRate, double beta1, double beta2, double epsilon, double weightDecay) {
        this(learningRate, beta1, beta2, epsilon, weightDecay, 0, 1);
    }

    private Adam(double learningRate, double beta1, double beta2, double epsilon, double weightDecay, int dropAfter,
            double dropFactor) {
        if (dropAfter < 0 || !(dropFactor > 0)) {
            throw new IllegalArgumentException("a learning-rate drop needs a step >= 0 and a factor > 0; got step "
                    + dropAfter + ", factor " + dropFactor);
        }
        if (!(learningRate > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0)
                || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("Adam needs learning rate > 0, 0 <= beta < 1, epsilon > 0 and weight "
                    + "decay >= 0; got lr " + learningRate + ", betas " + beta1 + ", " + beta2 + ", epsilon "
                    + epsilon + ", weight decay " + weightDecay);
        }
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        this.dropAfter = dropAfter;
        this.dropFactor = dropFactor;
    }

    /**
     * This optimizer (no updates made yet) with its learning rate multiplied by {@code factor} for every update
     * after the first {@code afterUpdates}; 0 updates: no drop.
     */
    public Adam withLearningRateDrop(int afterUpdates, double factor) {
        return new Adam(learningRate, beta1, beta2, epsilon, weightDecay, afterUpdates, factor);
    }

    /** The initial learning rate. */
    public double learningRate() {
        return learningRate;
    }

    /** The learning rate of update number {@code update} (from 1). */
    public double learningRate(int update) {
        return dropAfter > 0 && update > dropAfter ? learningRate * dropFactor : learningRate;
    }

    /** Updates made so far (PyTorch's {@code step} in the optimizer state). */
    public int updates() {
        return updates;
    }

    /**
     * Updates every trainable parameter that has a gradient from its gradient, in place. Moments are created (as
     * zeros, in {@code stateManager}) on a parameter's first update.
     */
    public void update(Map<String, Parameter> parameters, NDManager stateManager) {
        updates++;
        double rate = learningRate(updates);
        double stepSize = rate / (1 - Math.pow(beta1, updates));
        double secondCorrection = Math.sqrt(1 - Math.pow(beta2, updates));
        for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
            Parameter parameter = entry.getValue();
            NDArray array = parameter.getArray();
            if (!parameter.requiresGradient() || !array.hasGradient()) {
                continue;
            }
            String name = entry.getKey();
            NDArray m = firstMoments.computeIfAbsent(name, n -> stateManager.zeros(array.getShape(),
                    array.getDataType(), array.getDevice()));
            NDArray v = secondMoments.computeIfAbsent(name, n -> stateManager.zeros(array.getShape(),
                    array.getDataType(), array.getDevice()));
            // a detached view shares the parameter's storage: in-place updates outside autograd
            try (NDArray gradient = array.getGradient(); NDArray weights = array.stopGradient();
                    NDManager scope = stateManager.newSubManager()) {
                scope.tempAttachAll(gradient, weights, m, v);
                if (weightDecay > 0) {
                    Scalars.timesInPlace(weights, 1 - rate * weightDecay);
                }
                Scalars.timesInPlace(m, beta1).addi(Scalars.times(gradient, 1 - beta1));
                Scalars.timesInPlace(v, beta2).addi(Scalars.timesInPlace(gradient.mul(gradient), 1 - beta2));
                NDArray denominator = Scalars.dividedByInPlace(v.sqrt(), secondCorrection).addi(epsilon);
                weights.subi(Scalars.timesInPlace(m.div(denominator), stepSize));
            }
        }
    }

    /** The moment estimates under {@code m/NAME} and {@code v/NAME}, for a checkpoint. */
    public Map<String, NDArray> state() {
        Map<String, NDArray> state = new LinkedHashMap<>();
        firstMoments.forEach((name, array) -> state.put("m/" + name, array));
        secondMoments.forEach((name, array) -> state.put("v/" + name, array));
        return state;
    }

    /** Restores what {@link #state()} and {@link #updates()} returned at a checkpoint. */
    public void restore(Map<String, NDArray> state, int updatesDone) {
        firstMoments.clear();
        secondMoments.clear();
        state.forEach((key, array) -> {
            if (key.startsWith("m/")) {
                firstMoments.put(key.substring(2), array);
            } else if (key.startsWith("v/")) {
                secondMoments.put(key.substring(2), array);
            }
        });
        updates = updatesDone;
    }
}
