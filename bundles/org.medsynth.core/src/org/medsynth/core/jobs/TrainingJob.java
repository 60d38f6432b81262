package org.medsynth.core.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SafeRunner;
import org.eclipse.core.runtime.SubMonitor;
import org.medsynth.core.api.Contribution;
import org.medsynth.core.api.ParameterValues;
import org.medsynth.core.api.Trainer;
import org.medsynth.core.api.TrainingProgress;
import org.medsynth.core.api.TrainingRequest;
import org.medsynth.core.api.TrainingResult;
import org.medsynth.core.image.MedicalImage;
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
    private final ProgressLog progress = new ProgressLog();

    /** One reported loss. */
    public record LossPoint(int step, double loss) {
    }

    /**
     * Keeps what the trainer reported and passes it on to the attached listeners, so a monitor attached in the middle
     * of a run first gets everything so far, then each new report, with nothing lost or repeated in between. A
     * listener that throws is logged, never allowed to stop the training.
     */
    private static final class ProgressLog implements TrainingProgress {
        private final List<LossPoint> losses = new ArrayList<>();
        private final List<TrainingProgress> listeners = new ArrayList<>();
        private int sampleStep;
        private String sampleDescription;
        private MedicalImage<?> sample;
        /** The last rate report (step, total steps, steps per second, seconds left); null before the first. */
        private double[] rate;

        @Override
        public synchronized void step(int step, double loss) {
            losses.add(new LossPoint(step, loss));
            listeners.forEach(l -> SafeRunner.run(() -> l.step(step, loss)));
        }

        @Override
        public synchronized void rate(int step, int totalSteps, double stepsPerSecond, double secondsLeft) {
            rate = new double[] {step, totalSteps, stepsPerSecond, secondsLeft};
            listeners.forEach(l -> SafeRunner.run(() -> l.rate(step, totalSteps, stepsPerSecond, secondsLeft)));
        }

        @Override
        public synchronized void sample(int step, String description, MedicalImage<?> image) {
            sampleStep = step;
            sampleDescription = description;
            sample = image;
            listeners.forEach(l -> SafeRunner.run(() -> l.sample(step, description, image)));
        }

        synchronized void attach(TrainingProgress listener) {
            losses.forEach(point -> listener.step(point.step(), point.loss()));
            if (sample != null) {
                listener.sample(sampleStep, sampleDescription, sample);
            }
            if (rate != null) {
                listener.rate((int) rate[0], (int) rate[1], rate[2], rate[3]);
            }
            listeners.add(listener);
        }

        synchronized void detach(TrainingProgress listener) {
            listeners.remove(listener);
        }

        synchronized List<LossPoint> losses() {
            return List.copyOf(losses);
        }
    }

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
                    resume, record().device, progress);
            TrainingResult r;
            try {
                r = Contributions.call(contribution, "train", () -> trainer.train(request, monitor.split(95)));
            } catch (CoreException | RuntimeException e) {
                // a failed or cancelled run keeps the losses it reported, to see how it went before it stopped
                record().results.put("reportedLosses", progress.losses());
                throw e;
            }
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

    /**
     * Reports everything the trainer reported so far to {@code listener} (on the calling thread), then each new report
     * as it comes (on the training thread).
     */
    public void addProgressListener(TrainingProgress listener) {
        progress.attach(listener);
    }

    public void removeProgressListener(TrainingProgress listener) {
        progress.detach(listener);
    }

    /** The losses reported so far. */
    public List<LossPoint> losses() {
        return progress.losses();
    }

    /** A new job that continues this run from the newest checkpoint, with the same settings. */
    public TrainingJob resumed() {
        return new TrainingJob(contribution, parameterText, seed, outputDir, checkpointDir, true, runRecord().device());
    }

    /** Whether this job resumes {@code earlier}'s run: same trainer, settings and checkpoint folder. */
    public boolean continues(TrainingJob earlier) {
        return resume && contribution.id().equals(earlier.contribution.id()) && parameterText.equals(earlier.parameterText)
                && seed == earlier.seed && checkpointDir.equals(earlier.checkpointDir);
    }

    public TrainingResult result() {
        return result;
    }

    public List<Path> outputs() {
        return outputs;
    }
}
