package org.medsynth.ml.nn;

import org.medsynth.ml.Scalars;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;

/**
 * The codebook of VQ-VAE (van den Oord et al. 2017): each feature vector of a (N, dim, ...) map is replaced by its
 * nearest code (squared Euclidean distance) of the {@code codebook} (codes, dim). Gradients pass straight through
 * to the encoder; the loss is the codebook term ‖sg(z) − e‖² plus β × the commitment term ‖z − sg(e)‖², each a mean
 * over all elements.
 */
public final class VectorQuantizer extends ExplicitBlock {
    private final int codes;
    private final float beta;
    private final Parameter codebook;

    /** The quantized map (straight-through), the loss (scalar) and the code index of each position (N, ...). */
    public record Quantized(NDArray quantized, NDArray loss, NDArray indices) {
    }

    public VectorQuantizer(int codes, int dim, float beta) {
        this.codes = codes;
        this.beta = beta;
        codebook = parameter("codebook", new Shape(codes, dim), Parameter.Type.WEIGHT,
                new UniformInitializer(1f / codes));
    }

    public Quantized apply(ParameterStore parameters, NDArray z, boolean training) {
        NDArray table = value(parameters, codebook, z, training);
        Shape shape = z.getShape();
        NDArray flat = Ops.toTokens(z).reshape(-1, shape.get(1));
        NDArray distances = flat.square().sum(new int[] {1}, true).sub(Scalars.times(flat.matMul(table.transpose()), 2))
                .add(table.square().sum(new int[] {1}).reshape(1, -1));
        NDArray indices = distances.argMin(1);
        NDArray nearest = indices.oneHot(codes).toType(DataType.FLOAT32, false).matMul(table);
        NDArray quantized = Ops.fromTokens(nearest.reshape(shape.get(0), -1, shape.get(1)), shape);
        NDArray codebookLoss = quantized.sub(z.stopGradient()).square().mean();
        NDArray commitment = z.sub(quantized.stopGradient()).square().mean();
        NDArray straightThrough = z.add(quantized.sub(z).stopGradient());
        long[] indexShape = shape.getShape().clone();
        long[] spatial = new long[indexShape.length - 1];
        spatial[0] = indexShape[0];
        System.arraycopy(indexShape, 2, spatial, 1, indexShape.length - 2);
        return new Quantized(straightThrough, codebookLoss.add(Scalars.times(commitment, beta)),
                indices.reshape(new Shape(spatial)));
    }

    /** How often each code was chosen in {@code indices}, and the perplexity exp(−Σ p log p) of that use. */
    public CodebookUsage usage(NDArray indices) {
        long[] counts = new long[codes];
        for (long index : indices.toType(DataType.INT64, false).toLongArray()) {
            counts[(int) index]++;
        }
        return new CodebookUsage(counts);
    }

    @Override
    protected NDList compute(ParameterStore parameters, NDList inputs, boolean training) {
        Quantized q = apply(parameters, inputs.singletonOrThrow(), training);
        return new NDList(q.quantized(), q.loss(), q.indices());
    }
}
