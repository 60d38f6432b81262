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
 * Runs one or more evaluators on reference/candidate pairs (two files, or two folders matched by file name), or on
 * two independent samples (distribution metrics), and optionally writes the results as JSON, atomically.
 */
public final class EvaluationJob extends MedSynthJob {
    /** A reference/candidate pair and the case id it is reported under. */
    public record Pair(String caseId, Path reference, Path candidate) {
    }

    /**
     * Two independent samples of images, of any sizes, for distribution metrics: nothing pairs reference i with
     * candidate i.
     */
    public record Samples(List<Path> references, List<Path> candidates) {
        public Samples {
            references = List.copyOf(references);
            candidates = List.copyOf(candidates);
            if (references.isEmpty() || candidates.isEmpty()) {
                throw new IllegalArgumentException("nothing to evaluate: " + (references.isEmpty() ? "no reference"
                        : "no candidate") + " images");
            }
        }

        /**
         * The request's case ids, one per position up to the larger sample: the candidate's file name while there is
         * a candidate at that position (per-candidate results are keyed by it), else the reference's.
         */
        List<String> caseIds() {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < Math.max(references.size(), candidates.size()); i++) {
                ids.add((i < candidates.size() ? candidates.get(i) : references.get(i)).getFileName().toString());
            }
            return ids;
        }
    }

    private final List<Contribution> evaluators;
    private final Map<String, String> parameterText;
    private final List<Path> referencePaths;
    private final List<Path> candidatePaths;
    private final List<String> caseIds;
    private final Map<String, Object> inputsForReport;
    private final Path report;
    private volatile List<EvaluationResult> results = List.of();
    private final Map<String, String> skipped = new LinkedHashMap<>();
    private boolean skipInapplicable;

    /**
     * @param parameters option values; each evaluator takes those it declares, a name no evaluator declares is an error
     * @param report     JSON file to write the results to, or null
     */
    public EvaluationJob(List<Contribution> evaluators, Map<String, String> parameters, List<Pair> pairs, Path report) {
        this(evaluators, parameters, pairs.stream().map(Pair::reference).toList(),
                pairs.stream().map(Pair::candidate).toList(), pairs.stream().map(Pair::caseId).toList(),
                Map.of("pairs", pairs.stream().map(p -> Map.of("case", p.caseId(), "reference",
                        p.reference().toString(), "candidate", p.candidate().toString())).toList()), report);
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("nothing to evaluate: no reference/candidate pairs");
        }
    }

    /** For distribution metrics: the two samples are read as they are, nothing is paired. */
    public EvaluationJob(List<Contribution> evaluators, Map<String, String> parameters, Samples samples, Path report) {
        this(evaluators, parameters, samples.references(), samples.candidates(), samples.caseIds(),
                Map.of("references", samples.references().stream().map(Path::toString).toList(), "candidates",
                        samples.candidates().stream().map(Path::toString).toList()), report);
    }

    private EvaluationJob(List<Contribution> evaluators, Map<String, String> parameters, List<Path> referencePaths,
            List<Path> candidatePaths, List<String> caseIds, Map<String, Object> inputsForReport, Path report) {
        super("Evaluate " + evaluators.stream().map(Contribution::id).collect(Collectors.joining(", ")),
                JobFamilies.EVALUATION, "evaluate", aggregate(evaluators), "cpu");
        this.evaluators = List.copyOf(evaluators);
        this.parameterText = Map.copyOf(parameters);
        this.referencePaths = List.copyOf(referencePaths);
        this.candidatePaths = List.copyOf(candidatePaths);
        this.caseIds = List.copyOf(caseIds);
        this.inputsForReport = inputsForReport;
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
     * Two samples: every readable image of each folder, sorted by name, or a single file taken as a sample of one.
     *
     * @throws IOException naming a path that does not exist or a folder without images
     */
    public static Samples samples(Path reference, Path candidate) throws IOException {
        return new Samples(sample(reference), sample(candidate));
    }

    private static List<Path> sample(Path fileOrFolder) throws IOException {
        if (!Files.exists(fileOrFolder)) {
            throw new ImageFormatException(fileOrFolder, "does not exist");
        }
        if (!Files.isDirectory(fileOrFolder)) {
            return List.of(fileOrFolder);
        }
        List<Path> images = ImageFormats.get().imagesIn(fileOrFolder);
        if (images.isEmpty()) {
            throw new IOException("folder " + fileOrFolder + " has no readable images");
        }
        return images;
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
        SubMonitor reading = monitor.split(30).setWorkRemaining(referencePaths.size() + candidatePaths.size());
        for (Path p : referencePaths) {
            record().inputs.add(RunRecord.FileEntry.of(p));
            references.add(formats.read(p));
            reading.split(1);
        }
        for (Path p : candidatePaths) {
            record().inputs.add(RunRecord.FileEntry.of(p));
            candidates.add(formats.read(p));
            reading.split(1);
        }
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
            Map<String, Object> json = new LinkedHashMap<>(inputsForReport);
            json.put("results", collected);
            AtomicFiles.writeString(report, JsonSupport.gson().toJson(json));
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
