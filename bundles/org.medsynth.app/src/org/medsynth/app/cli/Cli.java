package org.medsynth.app.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.jobs.ProgressProvider;
import org.medsynth.core.api.Contribution;
import org.medsynth.core.api.Contribution.Kind;
import org.medsynth.core.api.EvaluationResult;
import org.medsynth.core.api.ParameterSpec;
import org.medsynth.core.api.Json;
import org.medsynth.core.jobs.EvaluationJob;
import org.medsynth.core.jobs.GenerationJob;
import org.medsynth.core.jobs.MedSynthJob;
import org.medsynth.core.jobs.TrainingJob;
import org.medsynth.core.registry.Contributions;
import org.medsynth.eval.report.ComparisonReportWriter;
import org.medsynth.eval.report.ModelComparison;
import org.medsynth.eval.report.ReportWriter;
import org.medsynth.eval.report.SampleReportWriter;
import org.medsynth.ml.Devices;
import org.medsynth.ml.MlEngine;

/**
 * The {@code medsynth} command line. Every command builds the same jobs the workbench runs, schedules them, shows
 * their progress on stderr and prints results on stdout. Exit codes: 0 success, 1 the run failed, 2 bad command
 * line or input, 130 cancelled.
 */
public final class Cli {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int CANCELLED = 130;

    private static final Map<Job, IProgressMonitor> MONITORS = new ConcurrentHashMap<>();
    private static volatile boolean providerInstalled;

    private final PrintStream out;
    private final PrintStream err;
    private final Contributions contributions;

    public Cli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
        this.contributions = Contributions.get();
    }

    public int run(String... args) {
        List<String> words = Arrays.asList(args);
        if (words.isEmpty() || words.get(0).equals("--help") || words.get(0).equals("-h") || words.get(0).equals("help")) {
            out.print(Help.MAIN);
            return words.isEmpty() ? USAGE : OK;
        }
        String command = words.get(0);
        List<String> rest = words.subList(1, words.size());
        try {
            return switch (command) {
                case "list" -> list(rest);
                case "info" -> info(rest);
                case "convert" -> convert(rest);
                case "generate" -> generate(rest);
                case "evaluate" -> evaluate(rest);
                case "train" -> train(rest);
                case "devices" -> devices(rest);
                case "demo" -> new Demo(this, out, err).run(rest);
                case "reader-study" -> new ReaderStudyCommand(out, err).run(rest);
                default -> throw new UsageException("unknown command '" + command + "' (try: medsynth --help)");
            };
        } catch (UsageException | IllegalArgumentException e) {
            err.println("medsynth: error: " + e.getMessage());
            return USAGE;
        } catch (IOException e) {
            err.println("medsynth: error: " + e.getMessage());
            return USAGE;
        }
    }

    private static boolean wantsHelp(List<String> words) {
        return words.contains("--help") || words.contains("-h");
    }

    // ---- list / info -------------------------------------------------------------------------------------------

    private int list(List<String> words) {
        if (wantsHelp(words)) {
            out.print(Help.LIST);
            return OK;
        }
        Arguments a = Arguments.parse(words, Set.of("kind", "specialty", "modality", "task"), Set.of("json"), Set.of());
        noPositional(a, "list");
        noParameters(a, "list");
        List<Kind> kinds = a.options.containsKey("kind") ? List.of(kindOf(a.options.get("kind"))) : List.of(Kind.values());
        List<Contribution> rows = new ArrayList<>();
        for (Kind k : kinds) {
            for (Contribution c : contributions.list(k)) {
                if (matches(c.specialty(), a.options.get("specialty")) && matches(c.modality(), a.options.get("modality"))
                        && matches(c.task(), a.options.get("task"))) {
                    rows.add(c);
                }
            }
        }
        if (a.flag("json")) {
            out.println(Json.pretty(rows));
            return OK;
        }
        out.println(String.format(Locale.ROOT, "%-10s %-24s %-12s %-8s %-18s %s", "KIND", "ID", "SPECIALTY", "MODALITY",
                "TASK", "NAME"));
        for (Contribution c : rows) {
            out.println(String.format(Locale.ROOT, "%-10s %-24s %-12s %-8s %-18s %s", c.kind().element(), c.id(),
                    dash(c.specialty()), dash(c.modality()), dash(c.task()), c.name()));
        }
        return OK;
    }

    private static boolean matches(String value, String filter) {
        if (filter == null) {
            return true;
        }
        return Arrays.stream(value.split(",")).map(String::trim).anyMatch(v -> v.equalsIgnoreCase(filter));
    }

    private static String dash(String s) {
        return s.isEmpty() ? "-" : s;
    }

    static Kind kindOf(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "generator", "generators" -> Kind.GENERATOR;
            case "evaluator", "evaluators", "metric", "metrics" -> Kind.EVALUATOR;
            case "format", "formats" -> Kind.FORMAT;
            case "adapter", "adapters", "dataset", "datasets" -> Kind.ADAPTER;
            case "trainer", "trainers" -> Kind.TRAINER;
            case "demo", "demos" -> Kind.DEMO;
            default -> throw new UsageException("unknown kind '" + text
                    + "' (generators, evaluators, formats, adapters, trainers, demos)");
        };
    }

    private int info(List<String> words) throws IOException {
        if (wantsHelp(words)) {
            out.print(Help.INFO);
            return OK;
        }
        if (words.size() != 1) {
            throw new UsageException("info takes exactly one id or image file (try: medsynth list)");
        }
        ImageCommands images = new ImageCommands(out);
        String argument = words.get(0);
        if (Files.exists(Path.of(argument)) || contributions.find(argument).isEmpty() && images.readable(argument)) {
            return images.info(Path.of(argument));
        }
        Contribution c = contributions.find(words.get(0)).orElseThrow(() -> new UsageException("no contribution '"
                + words.get(0) + "' is installed (try: medsynth list)"));
        out.println(c.name() + " [" + c.id() + "]");
        out.println("  kind:      " + c.kind().element());
        out.println("  version:   " + c.version());
        out.println("  bundle:    " + c.bundle());
        c.attributes().forEach((k, v) -> out.println(String.format(Locale.ROOT, "  %-10s %s", k + ":", v)));
        if (!c.description().isEmpty()) {
            out.println("  " + c.description());
        }
        printParameters(c);
        return OK;
    }

    private int convert(List<String> words) throws IOException {
        if (wantsHelp(words)) {
            out.print(Help.CONVERT);
            return OK;
        }
        if (words.size() != 2) {
            throw new UsageException("convert takes IN and OUT (try: medsynth convert --help)");
        }
        return new ImageCommands(out).convert(Path.of(words.get(0)), Path.of(words.get(1)));
    }

    private void printParameters(Contribution c) {
        if (c.parameters().isEmpty()) {
            out.println("parameters: none");
            return;
        }
        out.println("parameters:");
        for (ParameterSpec p : c.parameters()) {
            out.println(String.format(Locale.ROOT, "  --%-20s %s", p.name(), p.describeRange()));
            out.println(String.format(Locale.ROOT, "    %-20s %s", "", p.help()));
        }
    }

    // ---- generate / evaluate / train ---------------------------------------------------------------------------

    private int generate(List<String> words) {
        Arguments a = Arguments.parse(words, Set.of("out", "seed", "count", "format", "device"), Set.of("help"),
                Set.of("input"));
        Contribution c = target(a, Kind.GENERATOR, Help.GENERATE);
        if (c == null) {
            return OK;
        }
        int count = (int) a.longOption("count", 1);
        if (count < 1 || count > 10000) {
            throw new UsageException("--count must be between 1 and 10000");
        }
        List<Path> inputs = a.repeated.getOrDefault("input", List.of()).stream().map(Path::of).toList();
        GenerationJob job = new GenerationJob(c, a.parameters, a.longOption("seed", 0), count, inputs,
                Path.of(a.option("out", "medsynth-out/" + c.id())), formats(a.option("format", "mha")),
                device(a.option("device", "cpu")));
        int rc = runJob(job, "generate");
        if (rc == OK) {
            job.outputs().forEach(p -> out.println(p));
        }
        return rc;
    }

    private static List<String> formats(String text) {
        List<String> list = Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> s.startsWith(".") ? s.substring(1) : s).toList();
        if (list.isEmpty()) {
            throw new UsageException("--format needs at least one file ending, e.g. mha or mha,png");
        }
        return list;
    }

    /**
     * The concrete device a job's rule names. {@code cpu} is taken as is (weight-free generators need no engine);
     * anything else asks the engine which devices exist, with CPU fallback for {@code auto}.
     */
    static String device(String choice) {
        return choice.equalsIgnoreCase("cpu") ? "cpu" : Devices.id(Devices.resolve(choice));
    }

    private int devices(List<String> words) {
        if (wantsHelp(words)) {
            out.print(Help.DEVICES);
            return OK;
        }
        if (!words.isEmpty()) {
            throw new UsageException("devices takes no arguments");
        }
        Map<String, String> versions = MlEngine.engineVersions();
        out.println("engine " + versions.get("engine") + " " + versions.get("pytorch") + " (DJL " + versions.get("djl")
                + ", native " + versions.get("flavor") + ")");
        Devices.available().forEach(d -> out.println(Devices.id(d)));
        return OK;
    }

    private int evaluate(List<String> words) throws IOException {
        Arguments a = Arguments.parse(words, Set.of("metrics", "report"), Set.of("json", "help", "per-case"), Set.of());
        if (a.flag("help")) {
            out.print(Help.EVALUATE);
            listIds(Kind.EVALUATOR);
            return OK;
        }
        if (a.positional.size() < 2) {
            throw new UsageException("evaluate needs REFERENCE and CANDIDATE (two images or two folders), or"
                    + " REFERENCE and several CANDIDATEs to compare models");
        }
        List<Contribution> evaluators = new ArrayList<>();
        String chosen = a.option("metrics", null);
        if (chosen == null) {
            contributions.list(Kind.EVALUATOR).stream().filter(c -> c.task().equals("paired")).forEach(evaluators::add);
        } else {
            for (String id : chosen.split(",")) {
                evaluators.add(contributions.require(Kind.EVALUATOR, id.trim()));
            }
        }
        boolean twoSamples = twoSamples(evaluators);
        if (a.positional.size() > 2) {
            if (twoSamples) {
                throw new UsageException("comparing several models takes paired metrics; evaluate distribution"
                        + " metrics one candidate at a time");
            }
            return compareModels(a, evaluators, chosen == null);
        }
        Path reference = Path.of(a.positional.get(0));
        Path candidate = Path.of(a.positional.get(1));
        List<EvaluationJob.Pair> pairs = twoSamples ? null : EvaluationJob.pair(reference, candidate);
        EvaluationJob.Samples samples = twoSamples ? EvaluationJob.samples(reference, candidate) : null;
        String report = a.option("report", null);
        checkReportFolder(report);
        EvaluationJob job = twoSamples ? new EvaluationJob(evaluators, a.parameters, samples, null)
                : new EvaluationJob(evaluators, a.parameters, pairs, null);
        if (chosen == null) {
            job.skippingInapplicable();
        }
        int rc = runJob(job, "evaluate");
        job.skipped().forEach((id, why) -> err.println("medsynth: warning: " + id + " not computed: " + why));
        if (rc != OK) {
            return rc;
        }
        if (report != null) {
            if (twoSamples) {
                SampleReportWriter.write(Path.of(report), samples, job.results());
            } else {
                ReportWriter.write(Path.of(report), pairs, job.results(), ReportWriter.Options.DEFAULT);
            }
            err.println("medsynth: report written to " + Path.of(report).resolve("report.html"));
        }
        if (a.flag("json")) {
            out.println(Json.pretty(twoSamples ? Map.of("results", job.results())
                    : Map.of("pairs", pairs.size(), "results", job.results())));
            return OK;
        }
        printResults(job.results(), a.flag("per-case"));
        return OK;
    }

    /**
     * Several candidates evaluated against the same references, one job each, and compared pairwise per metric:
     * prints each model's results and the paired tests, or writes them with {@code --json} / {@code --report}.
     */
    private int compareModels(Arguments a, List<Contribution> evaluators, boolean skipInapplicable)
            throws IOException {
        Path reference = Path.of(a.positional.get(0));
        String report = a.option("report", null);
        checkReportFolder(report);
        List<Path> candidates = a.positional.subList(1, a.positional.size()).stream().map(Path::of).toList();
        List<String> names = modelNames(candidates);
        List<ModelComparison.Candidate> models = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            List<EvaluationJob.Pair> pairs = EvaluationJob.pair(reference, candidates.get(i));
            EvaluationJob job = new EvaluationJob(evaluators, a.parameters, pairs, null);
            if (skipInapplicable) {
                job.skippingInapplicable();
            }
            int rc = runJob(job, "evaluate " + names.get(i));
            String name = names.get(i);
            job.skipped().forEach((id, why) -> err.println("medsynth: warning: " + name + ": " + id
                    + " not computed: " + why));
            if (rc != OK) {
                return rc;
            }
            models.add(new ModelComparison.Candidate(name, pairs, job.results()));
        }
        List<ModelComparison.Paired> comparisons = ModelComparison.compare(models, ReportWriter.Options.DEFAULT);
        if (report != null) {
            ComparisonReportWriter.write(Path.of(report), reference, models, ReportWriter.Options.DEFAULT);
            err.println("medsynth: report written to " + Path.of(report).resolve("report.html"));
        }
        if (a.flag("json")) {
            out.println(Json.pretty(ComparisonReportWriter.json(reference, models, ReportWriter.Options.DEFAULT)));
            return OK;
        }
        for (ModelComparison.Candidate model : models) {
            out.println("# " + model.name());
            printResults(model.results(), a.flag("per-case"));
        }
        for (ModelComparison.Paired p : comparisons) {
            out.println(p.metric() + " " + p.first() + "-" + p.second() + " n=" + p.n() + " mean-difference="
                    + format(p.meanDifference()) + " t-test-p=" + (p.tTest() == null ? "undefined"
                            : format(p.tTest().pValue())) + " wilcoxon-p=" + (p.wilcoxon() == null ? "undefined"
                                    : format(p.wilcoxon().pValue())));
        }
        return OK;
    }

    /** Candidates named by their file name, or by the path as given where file names repeat. */
    static List<String> modelNames(List<Path> candidates) {
        List<String> fileNames = candidates.stream().map(p -> String.valueOf(p.toAbsolutePath().normalize()
                .getFileName())).toList();
        return fileNames.stream().distinct().count() == fileNames.size() ? fileNames
                : candidates.stream().map(Path::toString).toList();
    }

    private static void checkReportFolder(String report) {
        if (report != null && Files.exists(Path.of(report)) && !Files.isDirectory(Path.of(report))) {
            throw new UsageException("--report " + report + " is a file; give a folder for report.json, report.html"
                    + " and the plots");
        }
    }

    /**
     * Whether the two inputs are two independent samples: every chosen metric compares distributions. Paired metrics
     * need the folders matched by file name, so the two readings cannot be mixed in one run.
     */
    private static boolean twoSamples(List<Contribution> evaluators) {
        List<String> distribution = evaluators.stream().filter(c -> c.task().equals("distribution"))
                .map(Contribution::id).toList();
        if (!distribution.isEmpty() && distribution.size() < evaluators.size()) {
            throw new UsageException("distribution metrics (" + String.join(", ", distribution) + ") compare two"
                    + " samples, the others compare pairs matched by file name: run them in separate evaluate commands");
        }
        return !distribution.isEmpty();
    }

    void printResults(List<EvaluationResult> results, boolean perCase) {
        for (EvaluationResult r : results) {
            out.println(r.metric() + " " + format(r.value()));
            if (perCase && r.perCase().size() > 1) {
                r.perCase().forEach((id, v) -> out.println(r.metric() + "[" + id + "] " + format(v)));
            }
            r.warnings().forEach(w -> err.println("medsynth: warning: " + r.metric() + ": " + w));
        }
    }

    private static String format(double v) {
        return Double.isInfinite(v) ? (v > 0 ? "inf" : "-inf") : String.format(Locale.ROOT, "%.6f", v);
    }

    private int train(List<String> words) {
        Arguments a = Arguments.parse(words, Set.of("out", "checkpoints", "seed", "device"), Set.of("help", "resume"),
                Set.of());
        Contribution c = target(a, Kind.TRAINER, Help.TRAIN);
        if (c == null) {
            return OK;
        }
        Path outDir = Path.of(a.option("out", "medsynth-out/" + c.id()));
        Path checkpoints = Path.of(a.option("checkpoints", outDir + ".checkpoints"));
        TrainingJob job = new TrainingJob(c, a.parameters, a.longOption("seed", 0), outDir, checkpoints,
                a.flag("resume"), device(a.option("device", "cpu")));
        int rc = runJob(job, "train");
        if (rc == OK) {
            job.outputs().forEach(p -> out.println(p));
        }
        return rc;
    }

    /**
     * The contribution a run command names as its single positional argument, validated with its parameters; null
     * when {@code --help} was answered instead (with the installed ids, or the named contribution's parameters).
     */
    private Contribution target(Arguments a, Kind kind, String help) {
        if (a.positional.isEmpty()) {
            if (a.flag("help")) {
                out.print(help);
                listIds(kind);
                return null;
            }
            throw new UsageException("needs a " + kind.element() + " id (try: medsynth list --kind "
                    + kind.element() + "s)");
        }
        Contribution c = contributions.require(kind, a.positional.get(0));
        if (a.flag("help")) {
            out.print(help);
            printParameters(c);
            return null;
        }
        if (a.positional.size() > 1) {
            throw new UsageException("unexpected argument '" + a.positional.get(1) + "'");
        }
        c.resolve(a.parameters); // fail fast, before anything is scheduled
        return c;
    }

    private void listIds(Kind kind) {
        out.println("installed " + kind.extensionPointId().substring("org.medsynth.core.".length()) + ":");
        contributions.list(kind).forEach(c -> out.println("  " + c.id() + "  " + c.name()));
    }

    private static void noPositional(Arguments a, String command) {
        if (!a.positional.isEmpty()) {
            throw new UsageException(command + ": unexpected argument '" + a.positional.get(0) + "'");
        }
    }

    private static void noParameters(Arguments a, String command) {
        if (!a.parameters.isEmpty()) {
            throw new UsageException(command + ": unknown option --" + a.parameters.keySet().iterator().next());
        }
    }

    // ---- running jobs ------------------------------------------------------------------------------------------

    /** Schedules the job, waits for it, and turns its status into an exit code and a one-line message. */
    int runJob(MedSynthJob job, String label) {
        installProgressProvider();
        MONITORS.put(job, new StderrProgress(err, label));
        Thread cancelOnExit = new Thread(() -> {
            job.cancel();
            try {
                job.join(30_000, null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "medsynth-cancel-on-exit");
        Runtime.getRuntime().addShutdownHook(cancelOnExit);
        try {
            job.schedule();
            job.join();
        } catch (InterruptedException e) {
            job.cancel();
            Thread.currentThread().interrupt();
        } finally {
            MONITORS.remove(job);
            try {
                Runtime.getRuntime().removeShutdownHook(cancelOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook is already running: it cancels the job
            }
        }
        IStatus status = job.getResult();
        String record = job.runRecordFile() == null ? "" : " (run record: " + job.runRecordFile() + ")";
        if (status == null || status.getSeverity() == IStatus.CANCEL) {
            err.println("medsynth: " + label + " cancelled; no output was written" + record);
            return CANCELLED;
        }
        if (!status.isOK()) {
            err.println("medsynth: " + label + " failed: " + status.getMessage() + record);
            return FAILED;
        }
        err.println("medsynth: " + label + " done in " + job.runRecord().timings().durationMs() + " ms" + record);
        return OK;
    }

    private static synchronized void installProgressProvider() {
        if (providerInstalled) {
            return;
        }
        Job.getJobManager().setProgressProvider(new ProgressProvider() {
            @Override
            public IProgressMonitor createMonitor(Job job) {
                return MONITORS.get(job);
            }
        });
        providerInstalled = true;
    }

    Contributions contributions() {
        return contributions;
    }
}
