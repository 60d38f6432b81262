package org.medsynth.physics.ndarray;

import java.util.Arrays;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * An array operator of this bundle applied item by item along the batch axis: the batch is copied to Java, each
 * item transformed, and the results stacked in the input's manager (float32). Not differentiable: the hooks use it
 * on x_0 estimates, outside the network's graph.
 */
abstract class BatchedOperator implements NDLinearOperator {

    private final Shape imageShape;
    private final Shape measurementShape;

    /** @param imageShape the shape of one image item, @param measurementShape of one measurement item */
    BatchedOperator(Shape imageShape, Shape measurementShape) {
        this.imageShape = imageShape;
        this.measurementShape = measurementShape;
    }

    /** The image shape of one item (without the batch axis). */
    public Shape imageShape() {
        return imageShape;
    }

    /** The measurement shape of one item (without the batch axis). */
    public Shape measurementShape() {
        return measurementShape;
    }

    abstract float[] applyOne(float[] image);

    abstract float[] adjointOne(float[] measurement);

    @Override
    public NDArray apply(NDArray x) {
        return batched(x, imageShape, measurementShape, this::applyOne, "image");
    }

    @Override
    public NDArray adjoint(NDArray y) {
        return batched(y, measurementShape, imageShape, this::adjointOne, "measurement");
    }

    private interface ItemFunction {
        float[] apply(float[] item);
    }

    private static NDArray batched(NDArray in, Shape itemIn, Shape itemOut, ItemFunction function, String what) {
        Shape shape = in.getShape();
        if (shape.dimension() != itemIn.dimension() + 1 || !shape.slice(1).equals(itemIn)) {
            throw new IllegalArgumentException(what + " batch has shape " + shape + ", the operator needs (N, "
                    + Arrays.toString(itemIn.getShape()).replaceAll("[\\[\\]]", "") + ")");
        }
        int batch = Math.toIntExact(shape.get(0));
        int inSize = Math.toIntExact(itemIn.size());
        int outSize = Math.toIntExact(itemOut.size());
        float[] values = in.toType(DataType.FLOAT32, false).toFloatArray();
        float[] out = new float[batch * outSize];
        for (int n = 0; n < batch; n++) {
            float[] result = function.apply(Arrays.copyOfRange(values, n * inSize, (n + 1) * inSize));
            System.arraycopy(result, 0, out, n * outSize, outSize);
        }
        return in.getManager().create(out, new Shape(batch).addAll(itemOut));
    }
}
