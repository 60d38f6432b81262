package org.medsynth.radiography.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.Status;
import org.medsynth.core.api.ModuleDemo;
import org.medsynth.core.registry.ImageFormats;
import org.medsynth.data.examples.InvesaliusHeadCt;
import org.medsynth.physics.ProjectionGeometry;

/**
 * The radiography module's demonstration on the real head CT of {@code invesalius-examples}: the shipped CT2X-GAN
 * renders it at the paper's C-arm sweep in both styles next to the physics DRRs and radiograph-style references it
 * is evaluated against; the shipped single-image tomography model reconstructs the head's bone, and a held-out
 * procedural skull, from one simulated x-ray each, evaluated against the true volumes.
 */
public final class RadiographyDemo implements ModuleDemo {
    private static final String VIEWS = "-60,-30,0,30,60";
    private static final List<String> FORMATS = List.of("mha", "png");

    @Override
    public void run(Steps steps, Path folder) throws CoreException {
        Path headCt = writeHeadCt(folder.resolve("inputs"));
        steps.say("input: the real head CT of invesalius-examples, " + headCt);
        ct2x(steps, headCt, folder);
        tomography(steps, folder.resolve("tomography"));
    }

    /**
     * Single-image tomography at the shipped model's size: the paper's x-ray of the head CT's bone and of a procedural
     * skull the model never saw, the coarse and the fused reconstruction, and the coarse one's voxel errors against the
     * true volumes.
     */
    private static void tomography(Steps steps, Path folder) throws CoreException {
        Map<String, String> size = Map.of("size", "64", "depth", "32", "volume-size", "64");
        Map<String, Path[]> coarse = new LinkedHashMap<>();
        for (String source : List.of("head-ct", "skull")) {
            Map<String, String> parameters = new LinkedHashMap<>(size);
            parameters.put("source", source);
            Path truth = folder.resolve(source + "-truth");
            // seed 7 draws a skull outside the shipped model's training set (its trainer's seed 1)
            steps.generate("radiography.tomography-xray", parameters, 7, 1, List.of(), truth, List.of("mha"));
            Path reconstruction = folder.resolve(source + "-reconstruction");
            steps.generate("radiography.tomography-reconstruct", Map.of(), 0, 1,
                    List.of(truth.resolve("xray.mha")), reconstruction, List.of("mha"));
            coarse.put(source, new Path[] {truth.resolve("volume.mha"), reconstruction.resolve("coarse-000.mha")});
        }
        // the fused volume has the x-ray's resolution across and the network's along the ray, so it is compared
        // through its re-projection, which the model card reports; the coarse one matches the truth's grid
        steps.evaluate(List.of("mse", "psnr"), Map.of("data-range", "1"), coarse, folder.resolve("coarse-report"));
        steps.say("single-image tomography in " + folder + " (xray: input, volume: truth; coarse-000: the network, "
                + "volume-000: fused with the x-ray at its resolution)");
    }

    /** CT2X-GAN at −60…60°: DRR-style views against the DRRs, X-ray-style views against radiograph-style ones. */
    private static void ct2x(Steps steps, Path headCt, Path folder) throws CoreException {
        Path views = folder.resolve("ct2x");
        steps.generate("radiography.ct2x", Map.of("views", VIEWS, "style", "both", "references", "true"), 0, 1,
                List.of(headCt), views, FORMATS);
        Map<String, Path[]> drrStyle = new LinkedHashMap<>();
        Map<String, Path[]> xrayStyle = new LinkedHashMap<>();
        double[] angles = ProjectionGeometry.gantryAngles(VIEWS);
        for (int v = 0; v < angles.length; v++) {
            String view = String.format(Locale.ROOT, "%02d", v);
            String caseId = String.format(Locale.ROOT, "head-ct %+.0f°", angles[v]);
            drrStyle.put(caseId, new Path[] {views.resolve("drr-" + view + ".mha"),
                    views.resolve("drr-style-" + view + ".mha")});
            xrayStyle.put(caseId, new Path[] {views.resolve("radiograph-" + view + ".mha"),
                    views.resolve("xray-" + view + ".mha")});
        }
        steps.evaluate(List.of("psnr", "ssim"), Map.of(), drrStyle, folder.resolve("ct2x-drr-style-report"));
        steps.evaluate(List.of("psnr", "ssim"), Map.of(), xrayStyle, folder.resolve("ct2x-xray-style-report"));
        steps.say("CT2X-GAN views in " + views + " (drr-NN: physics DRR, drr-style-NN and xray-NN: the model, "
                + "radiograph-NN: radiograph-style reference)");
    }

    /** The installed head CT as a MetaImage the generators read; a missing package is named. */
    private static Path writeHeadCt(Path inputs) throws CoreException {
        try {
            Files.createDirectories(inputs);
            Path file = inputs.resolve("head-ct.mha");
            ImageFormats.get().write(InvesaliusHeadCt.readInstalled().image(), file);
            return file;
        } catch (IOException e) {
            throw new CoreException(Status.error("the radiography demonstration needs the real head CT: "
                    + e.getMessage(), e));
        }
    }
}
