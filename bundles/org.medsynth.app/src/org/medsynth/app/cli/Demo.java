package org.medsynth.app.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.Status;
import org.medsynth.core.api.Contribution;
import org.medsynth.core.api.Contribution.Kind;
import org.medsynth.core.api.EvaluationResult;
import org.medsynth.core.api.ModuleDemo;
import org.medsynth.core.jobs.EvaluationJob;
import org.medsynth.core.jobs.GenerationJob;
import org.medsynth.core.jobs.MedSynthJob;
import org.medsynth.core.registry.Contributions;
import org.medsynth.eval.report.ReportWriter;

/**
 * The main job on the embedded default. The core part: for a 2D Shepp–Logan phantom and a 3D CT torso, generate the
 * clean phantom and a noisy acquisition-like version from the same seed, then measure PSNR and SSIM of noisy against
 * clean. Then every installed module's demonstration ({@link ModuleDemo}), each in a folder named by its id.
 * Everything goes through the same jobs as the other commands, so every step leaves a run record.
 */
final class Demo {
    /** The {@code --only} value that selects the core part. */
    private static final String CORE = "core";

    private record Case(String generator, Map<String, String> parameters, Map<String, String> noise, List<String> formats) {
    }

    private static final List<Case> CASES = List.of(
            new Case("phantom.shepp-logan", Map.of("dimensions", "2", "size", "256"), Map.of("noise-sigma", "0.05"),
                    List.of("mha", "png")),
            new Case("phantom.torso", Map.of("dimensions", "3", "size", "128", "slices", "48"), Map.of("noise-hu", "25"),
                    List.of("mha")));

    private final Cli cli;
    private final PrintStream out;
    private final PrintStream err;

    Demo(Cli cli, PrintStream out, PrintStream err) {
        this.cli = cli;
        this.out = out;
        this.err = err;
    }

    int run(List<String> words) throws IOException {
        if (words.contains("--help")) {
            out.print(Help.DEMO);
            return Cli.OK;
        }
        Arguments a = Arguments.parse(words, Set.of("out", "only"), Set.of(), Set.of());
        if (!a.positional.isEmpty() || !a.parameters.isEmpty()) {
            throw new UsageException("demo takes only --out DIR and --only ID");
        }
        Path root = Path.of(a.option("out", "medsynth-out"));
        String only = a.option("only", null);
        List<Contribution> modules = cli.contributions().list(Kind.DEMO).stream()
                .filter(d -> only == null || d.id().equals(only)).toList();
        boolean core = only == null || only.equals(CORE);
        if (!core && modules.isEmpty()) {
            throw new UsageException("--only " + only + ": no such demonstration; installed: " + CORE + ", "
                    + String.join(", ", cli.contributions().list(Kind.DEMO).stream().map(Contribution::id).toList()));
        }
        if (core && (Files.exists(root.resolve("clean")) || Files.exists(root.resolve("noisy")))
                || modules.stream().anyMatch(d -> Files.exists(root.resolve(d.id())))) {
            throw new UsageException(root + " already holds a demo; choose another --out or remove it");
        }
        if (core) {
            int rc = runCore(root);
            if (rc != Cli.OK) {
                return rc;
            }
        }
        for (Contribution module : modules) {
            int rc = runModule(module, root.resolve(module.id()));
            if (rc != Cli.OK) {
                return rc;
            }
        }
        out.println("outputs: " + root.toAbsolutePath());
        return Cli.OK;
    }

    private int runCore(Path root) throws IOException {
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
        return Cli.OK;
    }

    /** One module's demonstration, in its own contributed code (inside SafeRunner) and its own folder. */
    private int runModule(Contribution module, Path folder) {
        out.println("demo " + module.id() + ": " + module.name());
        try {
            Files.createDirectories(folder);
            ModuleDemo demo = cli.contributions().create(module, ModuleDemo.class);
            Contributions.call(module, "run", () -> {
                demo.run(new JobSteps(module.id()), folder);
                return null;
            });
            return Cli.OK;
        } catch (OperationCanceledException e) {
            return Cli.CANCELLED;
        } catch (CoreException | IOException e) {
            err.println("medsynth: demo " + module.id() + " stopped: " + (e instanceof CoreException ce
                    ? ce.getStatus().getMessage() : e.getMessage()));
            return Cli.FAILED;
        }
    }

    /** A module demonstration's steps as the command line's jobs: progress on stderr, a run record each. */
    private final class JobSteps implements ModuleDemo.Steps {
        private final String demoId;

        JobSteps(String demoId) {
            this.demoId = demoId;
        }

        @Override
        public List<Path> generate(String generatorId, Map<String, String> parameters, long seed, int count,
                List<Path> inputs, Path folder, List<String> formats) throws CoreException {
            Contribution generator = cli.contributions().require(Kind.GENERATOR, generatorId);
            GenerationJob job = new GenerationJob(generator, parameters, seed, count, inputs, folder, formats, "cpu");
            run(job, "generate " + generatorId);
            return job.outputs();
        }

        @Override
        public List<EvaluationResult> evaluate(List<String> evaluatorIds, Map<String, String> parameters,
                Map<String, Path[]> cases, Path reportFolder) throws CoreException {
            List<Contribution> evaluators = evaluatorIds.stream()
                    .map(id -> cli.contributions().require(Kind.EVALUATOR, id)).toList();
            List<EvaluationJob.Pair> pairs = new ArrayList<>();
            cases.forEach((id, files) -> pairs.add(new EvaluationJob.Pair(id, files[0], files[1])));
            EvaluationJob job = new EvaluationJob(evaluators, parameters, pairs, null);
            run(job, "evaluate " + String.join(",", evaluatorIds));
            try {
                ReportWriter.write(reportFolder, pairs, job.results(), ReportWriter.Options.DEFAULT);
            } catch (IOException e) {
                throw new CoreException(Status.error("cannot write the report in " + reportFolder + ": "
                        + e.getMessage(), e));
            }
            cli.printResults(job.results(), false);
            return job.results();
        }

        @Override
        public void say(String line) {
            out.println(demoId + ": " + line);
        }

        private void run(MedSynthJob job, String step) throws CoreException {
            int rc = cli.runJob(job, "demo " + demoId + ": " + step);
            if (rc == Cli.CANCELLED) {
                throw new OperationCanceledException();
            }
            if (rc != Cli.OK) {
                throw new CoreException(Status.error(step + " failed"));
            }
        }
    }

    /** The PNGs are previews of the same images; evaluate each image once, from its full-precision MetaImage. */
    private static List<EvaluationJob.Pair> onlyMetaImages(List<EvaluationJob.Pair> pairs) {
        return pairs.stream().filter(p -> p.caseId().endsWith(".mha")).toList();
    }
}
