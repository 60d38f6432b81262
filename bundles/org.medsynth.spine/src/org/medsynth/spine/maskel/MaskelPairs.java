package org.medsynth.spine.maskel;

import java.util.SplittableRandom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Batches of (mask, X-ray) pairs of {@link WholeBodyPhantom}s in the model's units: each body drawn from its own
 * seed taken from the caller's random, so a seeded random gives the same bodies every time.
 */
record MaskelPairs(NDArray masks, NDArray xrays) {
    static MaskelPairs draw(NDManager manager, int count, int size, SplittableRandom random) {
        int pixels = size * size;
        float[] masks = new float[count * pixels];
        float[] xrays = new float[count * pixels];
        for (int n = 0; n < count; n++) {
            WholeBodyPhantom body = WholeBodyPhantom.random(random.nextLong());
            float[] mask = body.maskPixels(size);
            float[] xray = body.radiographPixels(size);
            for (int p = 0; p < pixels; p++) {
                masks[n * pixels + p] = MaskelNetwork.maskToModel(mask[p]);
                xrays[n * pixels + p] = MaskelNetwork.xrayToModel(xray[p]);
            }
        }
        Shape shape = new Shape(count, 1, size, size);
        return new MaskelPairs(manager.create(masks, shape), manager.create(xrays, shape));
    }
}
