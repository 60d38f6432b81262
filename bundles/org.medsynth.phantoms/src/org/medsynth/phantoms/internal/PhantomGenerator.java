package org.medsynth.phantoms.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import net.imglib2.type.numeric.real.FloatType;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.medsynth.core.api.GenerationRequest;
import org.medsynth.core.api.GenerationResult;
import org.medsynth.core.api.Generator;
import org.medsynth.core.api.ParameterValues;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.data.phantom.Phantoms;

/**
 * Shared loop of the phantom generators: one noise-free phantom, then {@code count} samples each with its own noise
 * realisation drawn from a stream split off the run's seed (sample i is the same whatever the count).
 */
abstract class PhantomGenerator implements Generator {

    @Override
    public GenerationResult generate(GenerationRequest request, IProgressMonitor monitor) {
        SubMonitor progress = SubMonitor.convert(monitor, request.count() + 1);
        ParameterValues p = request.parameters();
        MedicalImage<FloatType> clean = phantom(p);
        progress.split(1);
        List<GenerationResult.NamedImage> images = new ArrayList<>();
        SplittableRandom root = new SplittableRandom(request.seed());
        for (int i = 0; i < request.count(); i++) {
            SplittableRandom sampleRandom = root.split();
            MedicalImage<FloatType> sample = clean;
            double sigma = noiseSigma(p);
            if (sigma > 0) {
                MedicalImage<FloatType> copy = copyOf(clean);
                Phantoms.addGaussianNoise(Phantoms.data(copy), sigma, sampleRandom);
                sample = copy;
            }
            images.add(new GenerationResult.NamedImage(String.format(Locale.ROOT, "%s-%03d", baseName(p), i), sample));
            progress.split(1);
        }
        return GenerationResult.weightFree(images);
    }

    abstract MedicalImage<FloatType> phantom(ParameterValues parameters);

    abstract double noiseSigma(ParameterValues parameters);

    abstract String baseName(ParameterValues parameters);

    private static MedicalImage<FloatType> copyOf(MedicalImage<FloatType> image) {
        return new MedicalImage<>(image.pixels().copy(), image.geometry(), image.modality(), image.unit(),
                image.channelLabels(), image.provenance());
    }
}
