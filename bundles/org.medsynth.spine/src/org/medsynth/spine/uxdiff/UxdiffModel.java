package org.medsynth.spine.uxdiff;

import org.medsynth.ml.nn.Conditioning;
import org.medsynth.ml.nn.ExplicitBlock;
import org.medsynth.ml.nn.UNet;
import org.medsynth.ml.nn.UNetConfig;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;

/**
 * The UXDiff denoiser: a U-Net ({@code unet}) that predicts the noise of an x-ray x_t from x_t with the source
 * ultrasound concatenated to its channels, the time t and, through cross-attention, the tokens of the
 * {@link AngleTransformer} ({@code angles}). Teacher and student are this one network: the teacher sees the Cobb
 * angle with the UCA slot missing, the student the UCA with the Cobb slot missing. As a DJL block its inputs are x_t
 * (N, 1, H, W), t (N), the ultrasound (N, 1, H, W) and the angles (N, 2).
 */
final class UxdiffModel extends ExplicitBlock {
    private final AngleTransformer angles;
    private final UNet unet;

    UxdiffModel(AngleTransformer angles, UNetConfig config) {
        this.angles = child("angles", angles);
        this.unet = child("unet", new UNet(config));
    }

    NDArray apply(ParameterStore parameters, NDArray xt, NDArray t, NDArray ultrasound, NDArray angleValues,
            boolean training) {
        NDArray context = angles.apply(parameters, ultrasound, angleValues, training);
        return unet.apply(parameters, xt, t, Conditioning.NONE.withImage(ultrasound).withContext(context), training);
    }

    @Override
    protected NDList compute(ParameterStore parameters, NDList inputs, boolean training) {
        if (inputs.size() != 4) {
            throw new IllegalArgumentException("UXDiff takes x_t, t, the ultrasound and the angles; got "
                    + inputs.size() + " inputs");
        }
        return new NDList(apply(parameters, inputs.get(0), inputs.get(1), inputs.get(2), inputs.get(3), training));
    }
}
