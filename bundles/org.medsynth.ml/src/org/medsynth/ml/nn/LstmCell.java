package org.medsynth.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;

/**
 * One step of a long short-term memory (Hochreiter &amp; Schmidhuber 1997), PyTorch's {@code nn.LSTMCell}: the gates
 * x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh, split in PyTorch's order into input i, forget f, cell candidate g and output o;
 * c' = σ(f)·c + σ(i)·tanh(g), h' = σ(o)·tanh(c'). Parameters as PyTorch names and lays them out, so its weights
 * import by name: {@code weight_ih} (4·hidden, in), {@code weight_hh} (4·hidden, hidden), {@code bias_ih} and
 * {@code bias_hh} (4·hidden), gate blocks in the order i, f, g, o. Initialised like PyTorch, uniform in ±1/√hidden.
 * <p>
 * As a DJL block its inputs are x (N, in), h (N, hidden) and c (N, hidden), its outputs h' and c'.
 */
public final class LstmCell extends ExplicitBlock {
    private final int inFeatures;
    private final int hidden;
    private final Parameter inputWeight;
    private final Parameter hiddenWeight;
    private final Parameter inputBias;
    private final Parameter hiddenBias;

    /** The hidden and cell state, each (N, hidden). */
    public record State(NDArray h, NDArray c) {
    }

    /** The hidden states of every step, (N, T, hidden), and the state after the last step. */
    public record Sequence(NDArray outputs, State last) {
    }

    /** A cell taking {@code inFeatures} input features and keeping {@code hidden} features of state. */
    public LstmCell(int inFeatures, int hidden) {
        if (inFeatures < 1 || hidden < 1) {
            throw new IllegalArgumentException("an LSTM cell needs input and hidden features, got " + inFeatures
                    + " and " + hidden);
        }
        this.inFeatures = inFeatures;
        this.hidden = hidden;
        UniformInitializer pytorchDefault = new UniformInitializer((float) (1 / Math.sqrt(hidden)));
        inputWeight = parameter("weight_ih", new Shape(4L * hidden, inFeatures), Parameter.Type.WEIGHT,
                pytorchDefault);
        hiddenWeight = parameter("weight_hh", new Shape(4L * hidden, hidden), Parameter.Type.WEIGHT, pytorchDefault);
        inputBias = parameter("bias_ih", new Shape(4L * hidden), Parameter.Type.BIAS, pytorchDefault);
        hiddenBias = parameter("bias_hh", new Shape(4L * hidden), Parameter.Type.BIAS, pytorchDefault);
    }

    /** Features of the hidden and of the cell state. */
    public int hidden() {
        return hidden;
    }

    /** The state before the first step: zeros for a batch of {@code like}'s first axis. */
    public State zeroState(NDArray like) {
        Shape shape = new Shape(like.getShape().get(0), hidden);
        return new State(like.getManager().zeros(shape, like.getDataType()),
                like.getManager().zeros(shape, like.getDataType()));
    }

    /** One step: input {@code x} (N, in) and the state before it to the state after it. */
    public State step(ParameterStore parameters, NDArray x, State state, boolean training) {
        Shape shape = x.getShape();
        if (shape.dimension() != 2 || shape.get(1) != inFeatures) {
            throw new IllegalArgumentException("LSTM cell input " + shape + " is not (N, " + inFeatures + ")");
        }
        Shape stateShape = new Shape(shape.get(0), hidden);
        if (!state.h().getShape().equals(stateShape) || !state.c().getShape().equals(stateShape)) {
            throw new IllegalArgumentException("LSTM state h " + state.h().getShape() + ", c " + state.c().getShape()
                    + " is not " + stateShape + " for input " + shape);
        }
        NDArray gates = x.matMul(value(parameters, inputWeight, x, training).transpose())
                .add(value(parameters, inputBias, x, training))
                .add(state.h().matMul(value(parameters, hiddenWeight, x, training).transpose()))
                .add(value(parameters, hiddenBias, x, training));
        NDList split = gates.split(4, 1);
        NDArray input = Activation.sigmoid(split.get(0));
        NDArray forget = Activation.sigmoid(split.get(1));
        NDArray candidate = split.get(2).tanh();
        NDArray output = Activation.sigmoid(split.get(3));
        NDArray c = forget.mul(state.c()).add(input.mul(candidate));
        return new State(output.mul(c.tanh()), c);
    }

    /**
     * The cell applied along a sequence {@code x} (N, T, in), batch first, from {@code initial} (zeros when null):
     * what PyTorch's one-layer {@code nn.LSTM(batch_first=True)} computes with the same weights.
     */
    public Sequence unroll(ParameterStore parameters, NDArray x, State initial, boolean training) {
        Shape shape = x.getShape();
        if (shape.dimension() != 3 || shape.get(1) < 1) {
            throw new IllegalArgumentException("an LSTM sequence is (N, T, " + inFeatures + ") with T ≥ 1, not "
                    + shape);
        }
        State state = initial == null ? zeroState(x) : initial;
        NDList outputs = new NDList();
        for (long t = 0; t < shape.get(1); t++) {
            state = step(parameters, x.get(":, " + t + ", :"), state, training);
            outputs.add(state.h());
        }
        return new Sequence(NDArrays.stack(outputs, 1), state);
    }

    @Override
    protected NDList compute(ParameterStore parameters, NDList inputs, boolean training) {
        if (inputs.size() != 3) {
            throw new IllegalArgumentException("an LSTM cell takes x, h and c, got " + inputs.size() + " input(s)");
        }
        State next = step(parameters, inputs.get(0), new State(inputs.get(1), inputs.get(2)), training);
        return new NDList(next.h(), next.c());
    }
}
