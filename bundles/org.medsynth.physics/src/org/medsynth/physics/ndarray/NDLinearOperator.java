package org.medsynth.physics.ndarray;

import ai.djl.ndarray.NDArray;

/**
 * A linear imaging operator A on batches of NDArrays (the leading axis is the batch), with its adjoint Aᴴ, as the
 * data-consistency steps of diffusion samplers use them. Complex values are stored as a real and an imaginary
 * plane, so ⟨A x, y⟩ = ⟨x, Aᴴ y⟩ holds for the real inner product Σ a·b over all elements.
 */
public interface NDLinearOperator {

    /** A x for every item of the batch. */
    NDArray apply(NDArray x);

    /** Aᴴ y for every item of the batch. */
    NDArray adjoint(NDArray y);
}
