package org.medsynth.app.tests;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.CoreException;
import org.medsynth.core.api.EvaluationResult;
import org.medsynth.core.api.ModuleDemo;

/** The test bundle's module demonstration: two generator steps and an evaluation with its report. */
public final class NoisyPhantomDemo implements ModuleDemo {
    @Override
    public void run(Steps steps, Path folder) throws CoreException {
        Map<String, String> size = Map.of("size", "64");
        Path clean = steps.generate("phantom.shepp-logan", size, 2, 1, List.of(), folder.resolve("clean"), List.of("mha"))
                .get(0);
        Path noisy = steps.generate("phantom.shepp-logan", Map.of("size", "64", "noise-sigma", "0.1"), 2, 1, List.of(),
                folder.resolve("noisy"), List.of("mha")).get(0);
        List<EvaluationResult> results = steps.evaluate(List.of("psnr"), Map.of(),
                Map.of("phantom", new Path[] {clean, noisy}), folder.resolve("report"));
        steps.say("psnr " + results.get(0).value());
    }
}
