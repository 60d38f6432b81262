package org.medsynth.radiography.tomography;

import java.util.List;

import org.medsynth.ml.NDScopes;
import org.medsynth.physics.SingleImageTomography;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/** What a trained tomography network makes of x-rays: coarse volumes, and volumes fused with the x-ray. */
public final class Reconstruction {
    /** Most fusion passes (see {@link #fused}). */
    public static final int FUSION_PASSES = 8;
    /** Largest re-projection error (opacity) that ends the fusion passes early. */
    public static final double FUSION_TOLERANCE = 1e-5;

    private Reconstruction() {
    }

    /**
     * The network's coarse volumes (depth³, slice-major, clipped to the densities' range [0, 1]) of x-rays already
     * at its input size, in inference mode.
     */
    public static float[][] coarse(TomographyNetwork.Net network, List<float[]> xrays, NDManager manager) {
        TomographyNetwork spec = network.spec();
        int pixels = spec.size() * spec.size();
        float[] batch = new float[xrays.size() * pixels];
        for (int i = 0; i < xrays.size(); i++) {
            if (xrays.get(i).length != pixels) {
                throw new IllegalArgumentException("x-ray " + i + " has " + xrays.get(i).length + " pixels, the "
                        + "network takes " + spec.size() + "² = " + pixels);
            }
            System.arraycopy(xrays.get(i), 0, batch, i * pixels, pixels);
        }
        float[] values = NDScopes.compute(manager, scope -> {
            NDArray input = scope.create(batch, new Shape(xrays.size(), 1, spec.size(), spec.size()));
            return network.apply(new ParameterStore(scope, false), input, false).clip(0, 1).toFloatArray();
        });
        int voxels = spec.depth() * spec.depth() * spec.depth();
        float[][] volumes = new float[xrays.size()][];
        for (int i = 0; i < volumes.length; i++) {
            volumes[i] = new float[voxels];
            System.arraycopy(values, i * voxels, volumes[i], 0, voxels);
        }
        return volumes;
    }

    /**
     * Every depth slice of a coarse volume (depth³) resized (bilinear) to the x-ray's side, slice-major: the stack
     * the fusion corrects.
     */
    public static float[] upsampled(float[] coarse, int depth, int side) {
        int slicePixels = depth * depth;
        float[] stack = new float[side * side * depth];
        for (int i = 0; i < depth; i++) {
            float[] slice = new float[slicePixels];
            System.arraycopy(coarse, i * slicePixels, slice, 0, slicePixels);
            System.arraycopy(ViewPairs.resize(slice, depth, depth, side, side), 0, stack, i * side * side,
                    side * side);
        }
        return stack;
    }

    /**
     * The paper's per-pixel fusion (Sec. 4.2) of a coarse volume with the full-resolution x-ray (side², opacity):
     * slices upsampled to the x-ray's side, then each ray's densities corrected so the stack's x-ray matches the
     * input ({@link SingleImageTomography#fuse}). Corrected densities below 0 are set to 0, which leaves part of
     * the correction undone; the fusion is then applied again to the clipped stack (at most {@value #FUSION_PASSES}
     * passes, until no pixel's re-projection is off by more than {@value #FUSION_TOLERANCE}). The paper is silent on
     * negative densities; with the exact correction this keeps the volume non-negative and its re-projection the
     * input.
     */
    public static float[] fused(float[] coarse, int depth, float[] xray, int side,
            SingleImageTomography.Correction correction) {
        float[] fused = upsampled(coarse, depth, side);
        for (int pass = 0; pass < FUSION_PASSES; pass++) {
            fused = SingleImageTomography.fuse(fused, depth, xray, correction);
            for (int i = 0; i < fused.length; i++) {
                fused[i] = Math.max(0, fused[i]);
            }
            if (maxReprojectionError(fused, depth, xray) <= FUSION_TOLERANCE) {
                break;
            }
        }
        return fused;
    }

    private static double maxReprojectionError(float[] stack, int depth, float[] xray) {
        float[] projected = SingleImageTomography.projectSlices(stack, depth, xray.length);
        double max = 0;
        for (int p = 0; p < xray.length; p++) {
            max = Math.max(max, Math.abs(projected[p] - xray[p]));
        }
        return max;
    }
}
