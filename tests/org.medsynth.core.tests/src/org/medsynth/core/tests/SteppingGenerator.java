package org.medsynth.core.tests;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import net.imglib2.img.array.ArrayImgs;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.medsynth.core.api.GenerationRequest;
import org.medsynth.core.api.GenerationResult;
import org.medsynth.core.api.Generator;
import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;

/**
 * Runs a number of timed steps, each opened with {@code SubMonitor.split} as the contract asks, and records how many
 * steps run at once across all instances and how many steps start after a cancel request.
 */
public final class SteppingGenerator implements Generator {
    static final AtomicInteger ACTIVE = new AtomicInteger();
    static final AtomicInteger MAX_ACTIVE = new AtomicInteger();
    static final AtomicInteger STEPS_STARTED = new AtomicInteger();
    static volatile Runnable onFirstStep = () -> { };

    static void reset() {
        ACTIVE.set(0);
        MAX_ACTIVE.set(0);
        STEPS_STARTED.set(0);
        onFirstStep = () -> { };
    }

    @Override
    public GenerationResult generate(GenerationRequest request, IProgressMonitor monitor) {
        int steps = request.parameters().getInt("steps");
        int stepMs = request.parameters().getInt("step-ms");
        SubMonitor progress = SubMonitor.convert(monitor, steps);
        int now = ACTIVE.incrementAndGet();
        MAX_ACTIVE.accumulateAndGet(now, Math::max);
        try {
            for (int i = 0; i < steps; i++) {
                progress.split(1);
                if (STEPS_STARTED.incrementAndGet() == 1) {
                    onFirstStep.run();
                }
                Thread.sleep(stepMs);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ACTIVE.decrementAndGet();
        }
        float[] pixels = new float[16 * 16];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = i;
        }
        MedicalImage<?> image = MedicalImage.of(ArrayImgs.floats(pixels, 16, 16), Geometry.isotropic(2, 0.5),
                Modality.OT, IntensityUnit.ARBITRARY);
        return GenerationResult.weightFree(List.of(new GenerationResult.NamedImage("ramp", image)));
    }
}
