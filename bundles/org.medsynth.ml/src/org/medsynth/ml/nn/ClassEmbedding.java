package org.medsynth.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * PyTorch's {@code nn.Embedding}: a {@code weight} table (classes, dim), looked up as one-hot × table so the
 * gradient reaches the rows used. Class labels are integers in [0, classes).
 */
public final class ClassEmbedding extends ExplicitBlock {
    private final int classes;
    private final Parameter weight;

    public ClassEmbedding(int classes, int dim) {
        this.classes = classes;
        weight = embeddingParameter("weight", new Shape(classes, dim));
    }

    /** (N) labels to (N, dim). */
    public NDArray apply(ParameterStore parameters, NDArray labels, boolean training) {
        NDArray table = value(parameters, weight, labels, training);
        return labels.toType(DataType.INT64, false).oneHot(classes).toType(DataType.FLOAT32, false).matMul(table);
    }

    @Override
    protected NDList compute(ParameterStore parameters, NDList inputs, boolean training) {
        return new NDList(apply(parameters, inputs.singletonOrThrow(), training));
    }
}
