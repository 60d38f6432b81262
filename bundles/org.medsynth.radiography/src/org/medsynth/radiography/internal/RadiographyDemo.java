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
 * is evaluated against.
 */
public final class RadiographyDemo implements ModuleDemo {
    private static final String VIEWS = "-60,-30,0,30,60";
    private static final List<String> FORMATS = List.of("mha", "png");

    @Override
    public void run(Steps steps, Path folder) throws CoreException {
        Path headCt = writeHeadCt(folder.resolve("inputs"));
        steps.say("input: the real head CT of invesalius-examples, " + headCt);
        ct2x(steps, headCt, folder);
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
