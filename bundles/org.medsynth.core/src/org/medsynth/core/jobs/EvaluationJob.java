package org.medsynth.core.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.medsynth.core.api.Contribution;
import org.medsynth.core.api.EvaluationRequest;
import org.medsynth.core.api.EvaluationResult;
import org.medsynth.core.api.Evaluator;
import org.medsynth.core.api.ImageFormatException;
import org.medsynth.core.api.ParameterSpec;
import org.medsynth.core.api.ParameterValues;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.internal.JsonSupport;
import org.medsynth.core.registry.Contributions;
import org.medsynth.core.registry.ImageFormats;

/**
 * Runs one or more evaluators on reference/candidate pairs (two files, or two folders matched by file name) and
 * optionally writes the results as JSON, atomically.
 */
public final class EvaluationJob extends MedSynthJob {
    /** A reference/candidate pair and the case id it is reported under. */
    public record Pair(String caseId, Path reference, Path candidate) {
    }

    private final List<Contribution> evaluators;
    private final Map<String, String> parameterText;
    private final List<Pair> pairs;
    private final Path report;
    private volatile List<EvaluationResult> results = List.of();
    private final Map<String, String> skipped = new LinkedHashMap<>();
    private boolean skipInapplicable;

    /**
     * @param parameters option values; each evaluator takes those it declares, a name no evaluator declares is an error
     * @param report     JSON file to write the results to, or null
     */
    public EvaluationJob(List<Contribution> evaluators, Map<String, String> parameters, List<Pair> pairs, Path report) {
        super("Evaluate " + evaluators.stream().map(Contribution::id).collect(Collectors.joining(", ")),
                JobFamilies.EVALUATION, "evaluate", aggregate(evaluators), "cpu");
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("nothing to evaluate: no reference/candidate pairs");
        }
        this.evaluators = List.copyOf(evaluators);
        this.parameterText = Map.copyOf(parameters);
        this.pairs = List.copyOf(pairs);
        this.report = report;
        setUser(true);
    }

    private static Contribution aggregate(List<Contribution> evaluators) {
        if (evaluators.isEmpty()) {
            throw new IllegalArgumentException("no evaluator chosen");
        }
        return evaluators.size() == 1 ? evaluators.get(0)
                : new Contribution(Contribution.Kind.EVALUATOR,
                        evaluators.stream().map(Contribution::id).collect(Collectors.joining("+")), null, null, "", "",
                        Map.of(), List.of());
    }

    /**
     * For a default set of metrics the user did not choose one by one: a metric that fails on these images (e.g.
     * MS-SSIM on images too small for its scales) is left out with its reason instead of failing the whole run.
     */
    public EvaluationJob skippingInapplicable() {
        skipInapplicable = true;
        return this;
    }

    /**
     * Pairs two files, or two folders by identical file names.
     *
     * @throws IOException naming the folder when the two folders share no file name, or a path that does not exist
     */
    public static List<Pair> pair(Path reference, Path candidate) throws IOException {
        for (Path p : List.of(reference, candidate)) {
            if (!Files.exists(p)) {
                throw new ImageFormatException(p, "does not exist");
            }
        }
        if (Files.isDirectory(reference) != Files.isDirectory(candidate)) {
            throw new IOException("cannot pair a file with a folder: " + reference + " and " + candidate);
        }
        if (!Files.isDirectory(reference)) {
            return List.of(new Pair(candidate.getFileName().toString(), reference, candidate));
        }
        ImageFormats formats = ImageFormats.get();
        Map<String, Path> refs = new LinkedHashMap<>();
        for (Path p : formats.imagesIn(reference)) {
            refs.put(p.getFileName().toString(), p);
        }
        List<Pair> pairs = new ArrayList<>();
        for (Path c : formats.imagesIn(candidate)) {
            Path r = refs.get(c.getFileName().toString());
            if (r != null) {
                pairs.add(new Pair(c.getFileName().toString(), r, c));
            }
        }
        if (pairs.isEmpty()) {
            throw new IOException("folders " + reference + " and " + candidate + " have no image file names in common");
        }
        return pairs;
    }

    @Override
    protected IStatus execute(SubMonitor monitor) throws CoreException, IOException {
        Set<String> declared = new HashSet<>();
        evaluators.forEach(e -> e.parameters().forEach(p -> declared.add(p.name())));
        for (String name : parameterText.keySet()) {
            if (!declared.contains(name)) {
                throw new CoreException(Status.error("unknown option '" + name + "' for the chosen evaluators; known: "
                        + String.join(", ", declared.stream().sorted().toList())));
            }
        }
        record().parameters = new LinkedHashMap<>(parameterText);
        ImageFormats formats = ImageFormats.get();
        List<MedicalImage<?>> references = new ArrayList<>();
        List<MedicalImage<?>> candidates = new ArrayList<>();
        SubMonitor reading = monitor.split(30).setWorkRemaining(pairs.size());
        for (Pair p : pairs) {
            record().inputs.add(RunRecord.FileEntry.of(p.reference()));
            record().inputs.add(RunRecord.FileEntry.of(p.candidate()));
            references.add(formats.read(p.reference()));
            candidates.add(formats.read(p.candidate()));
            reading.split(1);
        }
        List<String> caseIds = pairs.stream().map(Pair::caseId).toList();
        List<EvaluationResult> collected = new ArrayList<>();
        SubMonitor evaluating = monitor.split(65).setWorkRemaining(evaluators.size());
        for (Contribution c : evaluators) {
            Map<String, String> own = new LinkedHashMap<>();
            for (ParameterSpec spec : c.parameters()) {
                if (parameterText.containsKey(spec.name())) {
                    own.put(spec.name(), parameterText.get(spec.name()));
                }
            }
            SubMonitor step = evaluating.split(1);
            EvaluationResult r;
            try {
                // a required parameter not given (lpips without --network) also makes a default metric inapplicable
                ParameterValues params = GenerationJob.resolve(c, own);
                Evaluator evaluator = Contributions.get().create(c, Evaluator.class);
                EvaluationRequest request = new EvaluationRequest(c, params, references, candidates, caseIds);
                r = Contributions.call(c, "evaluate", () -> evaluator.evaluate(request, step));
            } catch (CoreException e) {
                if (!skipInapplicable) {
                    throw e;
                }
                skipped.put(c.id(), e.getStatus().getMessage());
                record().results.put("skipped", skipped);
                continue;
            }
            collected.add(r);
            record().results.put(r.metric(), r);
        }
        if (collected.isEmpty()) {
            throw new CoreException(Status.error("no metric applies to these images: " + skipped));
        }
        results = List.copyOf(collected);
        monitor.split(5);
        if (report != null) {
            AtomicFiles.writeString(report, JsonSupport.gson().toJson(Map.of("pairs", pairs.stream()
                    .map(p -> Map.of("case", p.caseId(), "reference", p.reference().toString(), "candidate",
                            p.candidate().toString())).toList(), "results", collected)));
            record().outputs.add(RunRecord.FileEntry.of(report));
        }
        return Status.OK_STATUS;
    }

    /** Metrics left out by {@link #skippingInapplicable()}, with the reason, once the job is done. */
    public Map<String, String> skipped() {
        return Map.copyOf(skipped);
    }

    /** The results, in evaluator order, once the job succeeded. */
    public List<EvaluationResult> results() {
        return results;
    }
}
