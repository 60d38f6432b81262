package org.medsynth.ml.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;

/**
 * Base of the MedSynth building blocks: every parameter has its shape fixed when the block is built (as in PyTorch,
 * channel counts are given, never inferred), so a block initialises without knowing its input shapes and weights
 * can be imported by name before any forward pass. Children are registered under the names PyTorch modules use
 * ({@code conv1}, {@code down.0}, ...), which {@code org.medsynth.ml.weights.NamedParameters} turns into dotted
 * parameter names.
 * <p>
 * Subclasses implement {@link #compute}; parameter values come from
 * {@link #value}, so the same block trains (through a DJL trainer's parameter store) and runs.
 */
public abstract class ExplicitBlock extends AbstractBlock {
    /** Scaled Xavier for kernels; the standard deviation of embedding tables, tokens and codebooks. */
    static final float EMBEDDING_STD = 0.02f;

    protected ExplicitBlock() {
        super((byte) 1);
    }

    /** A trainable kernel or matrix of the given shape. */
    protected final Parameter weightParameter(String name, Shape shape) {
        return addParameter(Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optShape(shape)
                .optInitializer(new XavierInitializer()).build());
    }

    /** A trainable parameter of the given shape filled by {@code initializer} (zeros, ones, a normal law). */
    protected final Parameter parameter(String name, Shape shape, Parameter.Type type, Initializer initializer) {
        return addParameter(Parameter.builder().setName(name).setType(type).optShape(shape)
                .optInitializer(initializer).build());
    }

    /** A table of embeddings or tokens, N(0, 0.02²) as in GPT/ViT. */
    protected final Parameter embeddingParameter(String name, Shape shape) {
        return parameter(name, shape, Parameter.Type.WEIGHT, new NormalInitializer(EMBEDDING_STD));
    }

    protected final <B extends Block> B child(String name, B block) {
        return addChildBlock(name, block);
    }

    /** The parameter's value on the device of {@code like}, with gradients when training. */
    protected static NDArray value(ParameterStore parameters, Parameter parameter, NDArray like, boolean training) {
        Device device = like.getDevice();
        return parameters.getValue(parameter, device, training);
    }

    /** The block's computation. */
    protected abstract NDList compute(ParameterStore parameters, NDList inputs, boolean training);

    @Override
    protected final NDList forwardInternal(ParameterStore parameters, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return compute(parameters, inputs, training);
    }

    /** Children need no input shapes: their parameters have fixed shapes. */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block child : getChildren().values()) {
            child.initialize(manager, dataType);
        }
    }

    /**
     * The output shapes for these input shapes, found by running the block on zeros in a scratch manager (the
     * blocks compose too many shape rules to restate them).
     */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        NDManager parameterManager = getParameters().values().stream().filter(Parameter::isInitialized)
                .findFirst().map(p -> p.getArray().getManager())
                .orElseThrow(() -> new IllegalStateException(getClass().getSimpleName()
                        + " must be initialised before its output shapes are known"));
        try (NDManager scratch = parameterManager.newSubManager()) {
            NDList zeros = new NDList();
            for (Shape shape : inputShapes) {
                zeros.add(scratch.zeros(shape));
            }
            return compute(new ParameterStore(scratch, false), zeros, false).getShapes();
        }
    }
}
