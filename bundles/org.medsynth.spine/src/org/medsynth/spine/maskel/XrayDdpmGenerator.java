package org.medsynth.spine.maskel;

import java.util.List;

import org.medsynth.core.image.MedicalImage;
import org.medsynth.ml.diffusion.UnconditionalDdpmGenerator;

/**
 * Samples whole-body X-rays (−ln(I/I₀), on the phantoms' 2000 mm field) from a DDPM that {@code spine.xray-ddpm}
 * trained (DDIM or ancestral DDPM, seeded): the first half of MaSkel's augmentation path, whose samples
 * {@code spine.maskel-sr-generate} enlarges.
 */
public final class XrayDdpmGenerator extends UnconditionalDdpmGenerator {
    @Override
    protected String trainer() {
        return XrayDdpmTrainer.TRAINER;
    }

    @Override
    protected List<MedicalImage<?>> images(float[] values, int count, int size) {
        return XrayDdpmTrainer.xrays(values, count, size);
    }
}
