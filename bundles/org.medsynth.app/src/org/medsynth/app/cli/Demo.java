package org.medsynth.app.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.medsynth.core.api.Contribution;
import org.medsynth.core.api.Contribution.Kind;
import org.medsynth.core.jobs.EvaluationJob;
import org.medsynth.core.jobs.GenerationJob;

/**
 * The main job on the embedded default: for a 2D Shepp–Logan phantom and a 3D CT torso, generate the clean
 * phantom and a noisy acquisition-like version from the same seed, then measure PSNR and SSIM of noisy against
 * clean. Everything goes through the same jobs as the other commands, so every step leaves a run record.
 */
final class Demo {
    private record Case(String generator, Map<String, String> parameters, Map<String, String> noise, List<String> formats) {
    }

    private static final List<Case> CASES = List.of(
            new Case("phantom.shepp-logan", Map.of("dimensions", "2", "size", "256"), Map.of("noise-sigma", "0.05"),
                    List.of("mha", "png")),
            new Case("phantom.torso", Map.of("dimensions", "3", "size", "128", "slices", "48"), Map.of("noise-hu", "25"),
                    List.of("mha")));

    private final Cli cli;
    private final PrintStream out;

    Demo(Cli cli, PrintStream out) {
        this.cli = cli;
        this.out = out;
    }

    int run(List<String> words) throws java.io.IOException {
        if (words.contains("--help")) {
            out.print(Help.MAIN);
            return Cli.OK;
        }
        Arguments a = Arguments.parse(words, Set.of("out"), Set.of(), Set.of());
        if (!a.positional.isEmpty() || !a.parameters.isEmpty()) {
            throw new UsageException("demo takes only --out DIR");
        }
        Path root = Path.of(a.option("out", "medsynth-out"));
        if (Files.exists(root.resolve("clean")) || Files.exists(root.resolve("noisy"))) {
            throw new UsageException(root + " already holds a demo; choose another --out or remove it");
        }
        for (Case c : CASES) {
            Contribution generator = cli.contributions().require(Kind.GENERATOR, c.generator());
            int rc = cli.runJob(new GenerationJob(generator, c.parameters(), 0, 1, List.of(), root.resolve("clean"),
                    c.formats(), "cpu"), "generate " + c.generator() + " (clean)");
            if (rc != Cli.OK) {
                return rc;
            }
            Map<String, String> noisy = new java.util.HashMap<>(c.parameters());
            noisy.putAll(c.noise());
            rc = cli.runJob(new GenerationJob(generator, noisy, 0, 1, List.of(), root.resolve("noisy"), c.formats(),
                    "cpu"), "generate " + c.generator() + " (noisy)");
            if (rc != Cli.OK) {
                return rc;
            }
        }
        List<Contribution> metrics = List.of(cli.contributions().require(Kind.EVALUATOR, "psnr"),
                cli.contributions().require(Kind.EVALUATOR, "ssim"));
        EvaluationJob evaluation = new EvaluationJob(metrics, Map.of(), onlyMetaImages(EvaluationJob.pair(
                root.resolve("clean"), root.resolve("noisy"))), root.resolve("evaluation.json"));
        int rc = cli.runJob(evaluation, "evaluate noisy vs clean");
        if (rc != Cli.OK) {
            return rc;
        }
        cli.printResults(evaluation.results(), true);
        out.println("outputs: " + root.toAbsolutePath());
        return Cli.OK;
    }

    /** The PNGs are previews of the same images; evaluate each image once, from its full-precision MetaImage. */
    private static List<EvaluationJob.Pair> onlyMetaImages(List<EvaluationJob.Pair> pairs) {
        return pairs.stream().filter(p -> p.caseId().endsWith(".mha")).toList();
    }
}
