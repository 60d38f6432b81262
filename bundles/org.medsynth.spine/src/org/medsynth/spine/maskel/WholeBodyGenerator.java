package org.medsynth.spine.maskel;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.medsynth.core.api.GenerationRequest;
import org.medsynth.core.api.GenerationResult;
import org.medsynth.core.api.Generator;

/**
 * Whole-body phantoms ({@link WholeBodyPhantom}): per sample the AP radiograph and the binary body mask of one body.
 * Sample i's body comes from a stream split off the run's seed, the same whatever the count.
 */
public final class WholeBodyGenerator implements Generator {
    /** The output roles, in the order of the parameter's default. */
    static final List<String> ROLES = List.of("x-ray", "mask");

    @Override
    public GenerationResult generate(GenerationRequest request, IProgressMonitor monitor) throws CoreException {
        String id = request.contribution().id();
        if (!request.inputs().isEmpty()) {
            throw new CoreException(Status.error(id + " draws its bodies from the seed and takes no input images"));
        }
        int size = request.parameters().getInt("size");
        Set<String> roles = new LinkedHashSet<>();
        for (String part : request.parameters().getString("outputs").split(",")) {
            String role = part.strip().toLowerCase(Locale.ROOT);
            if (!ROLES.contains(role)) {
                throw new CoreException(Status.error(id + ": output '" + part.strip() + "' is not one of "
                        + String.join(", ", ROLES)));
            }
            roles.add(role);
        }
        SubMonitor progress = SubMonitor.convert(monitor, request.count());
        SplittableRandom root = new SplittableRandom(request.seed());
        List<GenerationResult.NamedImage> images = new ArrayList<>();
        for (int i = 0; i < request.count(); i++) {
            WholeBodyPhantom body = WholeBodyPhantom.random(root.split().nextLong());
            String stem = String.format(Locale.ROOT, "body-%03d-", i);
            for (String role : roles) {
                images.add(new GenerationResult.NamedImage(stem + role, role.equals("mask") ? body.mask(size)
                        : body.radiograph(size)));
            }
            progress.split(1);
        }
        return GenerationResult.weightFree(images);
    }
}
