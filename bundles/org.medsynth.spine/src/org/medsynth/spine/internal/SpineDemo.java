package org.medsynth.spine.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.core.runtime.CoreException;
import org.medsynth.core.api.ModuleDemo;

/**
 * The spine module's demonstration on phantoms none of its shipped models saw: UXDiff and its pix2pix baseline
 * translate coronal ultrasounds of scoliotic spines into radiographs (SSIM, PSNR and the Cobb angle measured on the
 * results against the true radiographs), and MaSkel draws whole-body X-rays from body masks (PSNR, SSIM against the
 * phantoms' X-rays).
 */
public final class SpineDemo implements ModuleDemo {
    private static final int SPINES = 6;
    private static final int BODIES = 4;
    /** Seeds outside the shipped models' training and held-out sets. */
    private static final long SPINE_SEED = 4242;
    private static final long BODY_SEED = 4343;

    @Override
    public void run(Steps steps, Path folder) throws CoreException {
        ultrasoundToXray(steps, folder);
        maskToXray(steps, folder);
    }

    private static void ultrasoundToXray(Steps steps, Path folder) throws CoreException {
        for (String model : List.of("uxdiff", "pix2pix")) {
            String generator = model.equals("uxdiff") ? "spine.uxdiff-generate" : "spine.uxdiff-pix2pix-generate";
            Path out = folder.resolve(model);
            // UXDiff samples with 20 DDIM steps, as its card's held-out evaluation; pix2pix takes no sampling parameter
            Map<String, String> sampling = model.equals("uxdiff") ? Map.of("sampling-steps", "20") : Map.of();
            steps.generate(generator, sampling, SPINE_SEED, SPINES, List.of(), out, List.of("mha", "png"));
            Map<String, Path[]> cases = new LinkedHashMap<>();
            for (int i = 0; i < SPINES; i++) {
                String id = String.format(Locale.ROOT, "case-%03d", i);
                cases.put(id, new Path[] {out.resolve(id + "-true-x-ray.mha"), out.resolve(id + "-x-ray.mha")});
            }
            steps.evaluate(List.of("ssim", "psnr"), Map.of("data-range", "1"), cases,
                    folder.resolve(model + "-report"));
            steps.evaluate(List.of("spine.cobb-agreement"), Map.of("statistic", "bias"), cases,
                    folder.resolve(model + "-cobb-report"));
            steps.say(model + ": ultrasound, generated and true radiographs in " + out);
        }
    }

    private static void maskToXray(Steps steps, Path folder) throws CoreException {
        Path bodies = folder.resolve("whole-body");
        steps.generate("spine.whole-body", Map.of("size", "64"), BODY_SEED, BODIES, List.of(), bodies,
                List.of("mha", "png"));
        List<Path> masks = new ArrayList<>();
        for (int i = 0; i < BODIES; i++) {
            masks.add(bodies.resolve(String.format(Locale.ROOT, "body-%03d-mask.mha", i)));
        }
        Path out = folder.resolve("maskel");
        steps.generate("spine.maskel-generate", Map.of(), 0, 1, masks, out, List.of("mha", "png"));
        Map<String, Path[]> cases = new LinkedHashMap<>();
        for (int i = 0; i < BODIES; i++) {
            String body = String.format(Locale.ROOT, "body-%03d", i);
            cases.put(body, new Path[] {bodies.resolve(body + "-x-ray.mha"),
                    out.resolve(String.format(Locale.ROOT, "xray-%03d.mha", i))});
        }
        steps.evaluate(List.of("psnr", "ssim"), Map.of(), cases, folder.resolve("maskel-report"));
        steps.say("MaSkel: masks and phantom X-rays in " + bodies + ", generated X-rays in " + out);
    }
}
