package org.medsynth.phantoms.internal;

import java.util.List;

import org.medsynth.core.image.MedicalImage;
import org.medsynth.ml.diffusion.UnconditionalDdpmGenerator;

/**
 * Samples Shepp–Logan-like phantoms from a DDPM that {@code phantom.ddpm} trained (DDIM or ancestral DDPM, seeded),
 * in phantom units at the size the model was trained at.
 */
public final class PhantomDdpmGenerator extends UnconditionalDdpmGenerator {
    @Override
    protected String trainer() {
        return "phantom.ddpm";
    }

    @Override
    protected List<MedicalImage<?>> images(float[] values, int count, int size) {
        return SheppLoganVariations.fromModel(values, count, size);
    }
}
