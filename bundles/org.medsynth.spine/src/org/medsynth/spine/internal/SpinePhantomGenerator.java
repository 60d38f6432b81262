package org.medsynth.spine.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.medsynth.core.api.GenerationRequest;
import org.medsynth.core.api.GenerationResult;
import org.medsynth.core.api.Generator;
import org.medsynth.spine.SpinePhantom;

/**
 * Scoliotic spine phantoms of known Cobb angle: per sample, the label map, the AP radiograph and the coronal
 * ultrasound projection of one spine. Sample i's anatomy comes from a stream split off the run's seed (the same
 * whatever the count); the curve angles are the parameters exactly, whatever the seed, so the run's provenance
 * records the true Cobb angles and {@link #phantom} rebuilds them from it.
 */
public final class SpinePhantomGenerator implements Generator {
    /** The output roles, in the order of the parameter's default. */
    static final List<String> ROLES = List.of("x-ray", "ultrasound", "labels");

    @Override
    public GenerationResult generate(GenerationRequest request, IProgressMonitor monitor) throws CoreException {
        Map<String, String> p = request.parameters().asText();
        String id = request.contribution().id();
        Set<String> roles;
        int size;
        try {
            roles = roles(p.get("outputs"));
            size = Integer.parseInt(p.get("size"));
            phantom(p, request.seed());
        } catch (IllegalArgumentException e) {
            throw new CoreException(Status.error(id + ": " + e.getMessage()));
        }
        SubMonitor progress = SubMonitor.convert(monitor, request.count());
        SplittableRandom root = new SplittableRandom(request.seed());
        List<GenerationResult.NamedImage> images = new ArrayList<>();
        for (int i = 0; i < request.count(); i++) {
            SpinePhantom spine = phantom(p, root.split().nextLong());
            String stem = String.format(Locale.ROOT, "spine-%03d-", i);
            for (String role : roles) {
                images.add(new GenerationResult.NamedImage(stem + role, switch (role) {
                    case "x-ray" -> spine.radiograph(size);
                    case "ultrasound" -> spine.ultrasound(size);
                    default -> spine.labelMap(size);
                }));
            }
            progress.split(1);
        }
        return GenerationResult.weightFree(images);
    }

    /**
     * The spine the parameters describe (as text, the form provenance keeps them in) for an anatomy seed.
     *
     * @throws IllegalArgumentException naming the parameter that is out of range or missing
     */
    public static SpinePhantom phantom(Map<String, String> parameters, long seed) {
        double cobb = number(parameters, "cobb-angle");
        int apex = SpinePhantom.levelIndex(text(parameters, "apex"));
        if (text(parameters, "curve").equalsIgnoreCase("S")) {
            return SpinePhantom.doubleCurve(seed, cobb, apex, number(parameters, "lower-cobb-angle"),
                    SpinePhantom.levelIndex(text(parameters, "lower-apex")));
        }
        return SpinePhantom.singleCurve(seed, cobb, apex, (int) number(parameters, "half-span"));
    }

    private static String text(Map<String, String> parameters, String name) {
        String value = parameters.get(name);
        if (value == null) {
            throw new IllegalArgumentException("parameter '" + name + "' is missing");
        }
        return value;
    }

    private static double number(Map<String, String> parameters, String name) {
        try {
            return Double.parseDouble(text(parameters, name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter '" + name + "' is not a number: " + parameters.get(name));
        }
    }

    /** The roles named in a comma-separated list, in their given order, each once. */
    private static Set<String> roles(String list) {
        Set<String> roles = new LinkedHashSet<>();
        for (String part : list.split(",")) {
            String role = part.strip().toLowerCase(Locale.ROOT);
            if (!ROLES.contains(role)) {
                throw new IllegalArgumentException("output '" + part.strip() + "' is not one of " + String.join(", ",
                        ROLES));
            }
            roles.add(role);
        }
        return roles;
    }
}
