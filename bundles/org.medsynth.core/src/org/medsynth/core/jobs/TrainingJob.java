package org.medsynth.core.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.medsynth.core.api.Contribution;
import org.medsynth.core.api.ParameterValues;
import org.medsynth.core.api.Trainer;
import org.medsynth.core.api.TrainingRequest;
import org.medsynth.core.api.TrainingResult;
import org.medsynth.core.registry.Contributions;

/**
 * Runs a trainer on its device. Final weights and model card are staged and moved into {@code outputDir} only when
 * training completes; checkpoints live in {@code checkpointDir} so a cancelled run can be resumed.
 */
public final class TrainingJob extends MedSynthJob {
    private final Contribution contribution;
    private final Map<String, String> parameterText;
    private final long seed;
    private final Path outputDir;
    private final Path checkpointDir;
    private final boolean resume;
    private volatile TrainingResult result;
    private volatile List<Path> outputs = List.of();

    public TrainingJob(Contribution trainer, Map<String, String> parameters, long seed, Path outputDir,
            Path checkpointDir, boolean resume, String device) {
        super("Train " + trainer.name(), JobFamilies.TRAINING, "train", trainer, device);
        if (trainer.kind() != Contribution.Kind.TRAINER) {
            throw new IllegalArgumentException(trainer.id() + " is not a trainer");
        }
        this.contribution = trainer;
        this.parameterText = Map.copyOf(parameters);
        this.seed = seed;
        this.outputDir = outputDir;
        this.checkpointDir = checkpointDir;
        this.resume = resume;
        setUser(true);
    }

    @Override
    protected IStatus execute(SubMonitor monitor) throws CoreException, IOException {
        ParameterValues params = GenerationJob.resolve(contribution, parameterText);
        record().parameters = params.asText();
        record().seed = seed;
        Trainer trainer = Contributions.get().create(contribution, Trainer.class);
        try (OutputStaging staging = OutputStaging.begin(outputDir)) {
            TrainingRequest request = new TrainingRequest(contribution, params, seed, staging.folder(), checkpointDir,
                    resume, record().device);
            TrainingResult r = Contributions.call(contribution, "train", () -> trainer.train(request, monitor.split(95)));
            record().modelCardId = r.modelCardId();
            record().weightSha256 = r.weightSha256();
            record().versions.putAll(r.engineVersions());
            record().results.put("steps", r.steps());
            record().results.put("lossCurve", r.lossCurve());
            record().results.put("metrics", r.metrics());
            monitor.split(5);
            List<Path> written = staging.commit();
            for (Path p : written) {
                record().outputs.add(RunRecord.FileEntry.of(p));
            }
            outputs = written;
            result = r;
        }
        return Status.OK_STATUS;
    }

    @Override
    protected List<Path> recordCopies() {
        return List.of(outputDir.resolve("run-" + runRecord().runId().substring(0, 8) + ".json"));
    }

    public TrainingResult result() {
        return result;
    }

    public List<Path> outputs() {
        return outputs;
    }
}
