package org.medsynth.tests.training;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.medsynth.core.api.Contribution.Kind;
import org.medsynth.core.jobs.TrainingJob;
import org.medsynth.core.registry.Contributions;

/**
 * What the trainer tests of every module share (compiled into each of their test bundles as a second source folder):
 * a training recipe run to its end as the job the CLI and the workbench schedule.
 */
public final class TrainerRuns {
    private TrainerRuns() {
    }

    /** Runs trainer {@code trainerId} on the CPU, waits for it and asserts it succeeded. */
    public static TrainingJob run(String trainerId, Map<String, String> parameters, long seed, Path out,
            Path checkpoints, boolean resume) throws InterruptedException {
        TrainingJob job = new TrainingJob(Contributions.get().require(Kind.TRAINER, trainerId), parameters, seed, out,
                checkpoints, resume, "cpu");
        job.schedule();
        job.join();
        assertTrue(job.getResult().isOK(), job.getResult().toString());
        return job;
    }
}
