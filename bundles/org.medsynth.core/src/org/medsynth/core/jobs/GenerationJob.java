package org.medsynth.core.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.medsynth.core.api.Contribution;
import org.medsynth.core.api.GenerationRequest;
import org.medsynth.core.api.GenerationResult;
import org.medsynth.core.api.Generator;
import org.medsynth.core.api.ParameterValues;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Provenance;
import org.medsynth.core.registry.Contributions;
import org.medsynth.core.registry.ImageFormats;

/**
 * Runs a generator: reads the conditioning inputs, calls the generator, stamps provenance on every output, writes
 * each output in every requested format into a staging folder and moves them into {@code outputDir} atomically.
 */
public final class GenerationJob extends MedSynthJob {
    private final Contribution contribution;
    private final Map<String, String> parameterText;
    private final long seed;
    private final int count;
    private final List<Path> inputFiles;
    private final Path outputDir;
    private final List<String> extensions;
    private volatile List<Path> outputs = List.of();

    /**
     * @param extensions file endings to write each output in, e.g. {@code mha, png}
     */
    public GenerationJob(Contribution generator, Map<String, String> parameters, long seed, int count,
            List<Path> inputFiles, Path outputDir, List<String> extensions, String device) {
        super("Generate with " + generator.name(), JobFamilies.GENERATION, "generate", generator, device);
        if (generator.kind() != Contribution.Kind.GENERATOR) {
            throw new IllegalArgumentException(generator.id() + " is not a generator");
        }
        if (extensions.isEmpty()) {
            throw new IllegalArgumentException("no output format given");
        }
        this.contribution = generator;
        this.parameterText = Map.copyOf(parameters);
        this.seed = seed;
        this.count = count;
        this.inputFiles = List.copyOf(inputFiles);
        this.outputDir = outputDir;
        this.extensions = List.copyOf(extensions);
        setUser(true);
    }

    @Override
    protected IStatus execute(SubMonitor monitor) throws CoreException, IOException {
        ParameterValues params = resolve(contribution, parameterText);
        record().parameters = params.asText();
        record().seed = seed;
        ImageFormats formats = ImageFormats.get();
        for (String ext : extensions) {
            formats.forFile(Path.of("x." + ext), true).orElseThrow(() -> new IllegalArgumentException(
                    "no installed format writes '" + ext + "' (writable: " + String.join(", ", formats.knownExtensions(true)) + ")"));
        }
        List<MedicalImage<?>> inputs = new ArrayList<>();
        List<String> inputIds = new ArrayList<>();
        SubMonitor reading = monitor.split(5).setWorkRemaining(Math.max(1, inputFiles.size()));
        for (Path file : inputFiles) {
            RunRecord.FileEntry entry = RunRecord.FileEntry.of(file);
            record().inputs.add(entry);
            inputIds.add(file.getFileName() + "@sha256:" + entry.sha256());
            inputs.add(formats.read(file));
            reading.split(1);
        }
        Generator generator = Contributions.get().create(contribution, Generator.class);
        GenerationRequest request = new GenerationRequest(contribution, params, seed, count, inputs, record().device);
        GenerationResult result = Contributions.call(contribution, "generate",
                () -> generator.generate(request, monitor.split(80)));
        record().modelCardId = result.modelCardId();
        record().weightSha256 = result.weightSha256();
        record().versions.putAll(result.engineVersions());
        Provenance provenance = new Provenance(true, contribution.id(), contribution.version(), result.modelCardId(),
                result.weightSha256(), seed, params.asText(), inputIds, Versions.medsynth(), Instant.now());
        try (OutputStaging staging = OutputStaging.begin(outputDir)) {
            SubMonitor writing = monitor.split(15).setWorkRemaining(result.images().size() * extensions.size());
            for (GenerationResult.NamedImage named : result.images()) {
                MedicalImage<?> stamped = named.image().withProvenance(provenance);
                for (String ext : extensions) {
                    formats.write(stamped, staging.folder().resolve(named.name() + "." + ext));
                    writing.split(1);
                }
            }
            List<Path> written = staging.commit();
            for (Path p : written) {
                record().outputs.add(RunRecord.FileEntry.of(p));
            }
            outputs = written;
        }
        return Status.OK_STATUS;
    }

    static ParameterValues resolve(Contribution c, Map<String, String> text) throws CoreException {
        try {
            return c.resolve(text);
        } catch (IllegalArgumentException e) {
            throw new CoreException(Status.error(c.id() + ": " + e.getMessage()));
        }
    }

    @Override
    protected List<Path> recordCopies() {
        return List.of(outputDir.resolve("run-" + runRecord().runId().substring(0, 8) + ".json"));
    }

    /** The files written, once the job succeeded. */
    public List<Path> outputs() {
        return outputs;
    }
}
