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
 * results against the true radiographs), MaSkel draws whole-body X-rays from body masks (PSNR, SSIM against the
 * phantoms' X-rays), and MaSkel's augmentation path draws new 64² X-rays with its diffusion model and enlarges them
 * to 256² with its residual-shifting super-resolution, whose enlargements of the phantoms' own 64² X-rays are
 * scored against their 256² renderings.
 */
public final class SpineDemo implements ModuleDemo {
    private static final int SPINES = 6;
    private static final int BODIES = 4;
    /** Seeds outside the shipped models' training and held-out sets. */
    private static final long SPINE_SEED = 4242;
    private static final long BODY_SEED = 4343;
    private static final long SAMPLE_SEED = 4444;
    /** Images the augmentation path enlarges of each kind: 256² super-resolution takes about a minute an image. */
    private static final int ENLARGED = 1;

    @Override
    public void run(Steps steps, Path folder) throws CoreException {
        ultrasoundToXray(steps, folder);
        Path bodies = maskToXray(steps, folder);
        augmentation(steps, folder, bodies);
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

    /** @return the folder of the 64² whole-body phantoms */
    private static Path maskToXray(Steps steps, Path folder) throws CoreException {
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
        return bodies;
    }

    private static void augmentation(Steps steps, Path folder, Path bodies) throws CoreException {
        Path samples = folder.resolve("augmentation-samples");
        List<Path> drawn = steps.generate("spine.xray-ddpm-sample", Map.of(), SAMPLE_SEED, ENLARGED, List.of(),
                samples, List.of("mha", "png"));
        Path enlarged = folder.resolve("augmentation-enlarged");
        steps.generate("spine.maskel-sr-generate", Map.of(), SAMPLE_SEED, 1, mhaFiles(drawn), enlarged,
                List.of("mha", "png"));
        steps.say("MaSkel augmentation: new 64² X-rays in " + samples + ", enlarged to 256² in " + enlarged);
        Path large = folder.resolve("whole-body-256");
        steps.generate("spine.whole-body", Map.of("size", "256", "outputs", "x-ray"), BODY_SEED, ENLARGED, List.of(),
                large, List.of("mha", "png"));
        List<Path> small = new ArrayList<>();
        for (int i = 0; i < ENLARGED; i++) {
            small.add(bodies.resolve(String.format(Locale.ROOT, "body-%03d-x-ray.mha", i)));
        }
        Path restored = folder.resolve("super-resolution");
        steps.generate("spine.maskel-sr-generate", Map.of(), SAMPLE_SEED, 1, small, restored, List.of("mha", "png"));
        Map<String, Path[]> cases = new LinkedHashMap<>();
        for (int i = 0; i < ENLARGED; i++) {
            String body = String.format(Locale.ROOT, "body-%03d", i);
            cases.put(body, new Path[] {large.resolve(body + "-x-ray.mha"),
                    restored.resolve(String.format(Locale.ROOT, "xray-sr-%03d.mha", i))});
        }
        steps.evaluate(List.of("psnr", "ssim"), Map.of(), cases, folder.resolve("super-resolution-report"));
        steps.say("MaSkel super-resolution: the phantoms' 64² X-rays enlarged in " + restored + ", their 256² "
                + "renderings in " + large);
    }

    private static List<Path> mhaFiles(List<Path> files) {
        return files.stream().filter(f -> f.getFileName().toString().endsWith(".mha")).toList();
    }
}
