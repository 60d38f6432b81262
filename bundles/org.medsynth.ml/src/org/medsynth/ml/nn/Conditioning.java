package org.medsynth.ml.nn;

import ai.djl.ndarray.NDArray;

/**
 * What conditions a generator besides its noisy input and time, each null when unused: an image concatenated to the
 * input channels (N, C', ...), class labels (N), angles (N), context tokens for cross-attention (N, M, D), a style
 * code for AdaIN (N, S) and a label map for SPADE (N, K, ...) at the input's resolution.
 */
public record Conditioning(NDArray image, NDArray classes, NDArray angles, NDArray context, NDArray style,
        NDArray labelMap) {
    /** No conditioning: an unconditional generator. */
    public static final Conditioning NONE = new Conditioning(null, null, null, null, null, null);

    public Conditioning withImage(NDArray value) {
        return new Conditioning(value, classes, angles, context, style, labelMap);
    }

    public Conditioning withClasses(NDArray value) {
        return new Conditioning(image, value, angles, context, style, labelMap);
    }

    public Conditioning withAngles(NDArray value) {
        return new Conditioning(image, classes, value, context, style, labelMap);
    }

    public Conditioning withContext(NDArray value) {
        return new Conditioning(image, classes, angles, value, style, labelMap);
    }

    public Conditioning withStyle(NDArray value) {
        return new Conditioning(image, classes, angles, context, value, labelMap);
    }

    public Conditioning withLabelMap(NDArray value) {
        return new Conditioning(image, classes, angles, context, style, value);
    }
}
