package org.medsynth.physics.internal;

import java.util.Arrays;
import java.util.Locale;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.Status;
import org.medsynth.core.api.GenerationRequest;
import org.medsynth.core.image.MedicalImage;

/** Checks shared by the physics generators: one input of the right dimension, one output set per run. */
final class GeneratorInputs {

    private GeneratorInputs() {
    }

    /**
     * The request's only input, which must be a single-channel image with {@code dimensions} spatial axes.
     *
     * @param what what the generator needs, e.g. "a 3D CT volume in HU", for the message
     */
    static MedicalImage<?> single(GenerationRequest request, int dimensions, String what) throws CoreException {
        String id = request.contribution().id();
        if (request.count() != 1) {
            throw error(id + " computes one deterministic set of outputs per input (the seed drives its noise); "
                    + "count must be 1, got " + request.count());
        }
        if (request.inputs().size() != 1) {
            throw error(id + " takes exactly one input image (" + what + "), got " + request.inputs().size());
        }
        MedicalImage<?> input = request.inputs().get(0);
        if (input.geometry().dimensions() != dimensions || input.channels() != 1) {
            throw error(String.format(Locale.ROOT, "%s needs %s; the input is %dD of shape %s with %d channel(s)", id,
                    what, input.geometry().dimensions(), Arrays.toString(input.dimensions()), input.channels()));
        }
        return input;
    }

    /** The isotropic pixel spacing (mm) of a 2D image; the 2D operators work on square pixels. */
    static double squarePixel(GenerationRequest request, MedicalImage<?> image) throws CoreException {
        double[] spacing = image.geometry().spacing();
        if (Math.abs(spacing[0] - spacing[1]) > 1e-6 * spacing[0]) {
            throw error(request.contribution().id() + " needs square pixels, the input's spacing is "
                    + spacing[0] + " × " + spacing[1] + " mm");
        }
        return spacing[0];
    }

    static CoreException error(String message) {
        return new CoreException(Status.error(message));
    }
}
