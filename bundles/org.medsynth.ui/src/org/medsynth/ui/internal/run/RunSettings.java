package org.medsynth.ui.internal.run;

import java.io.IOException;
import java.util.Map;

import org.eclipse.swt.widgets.Composite;
import org.medsynth.core.api.Contribution;
import org.medsynth.core.jobs.MedSynthJob;
import org.medsynth.core.jobs.RunRecord;

/**
 * The part of the run dialog that depends on what kind of contribution runs (a generator's output folder and formats,
 * an evaluator's reference and candidate), and the job it builds: the same job the CLI builds for that command.
 */
interface RunSettings {
    /** Adds the settings' rows to a three-column grid; {@code changed} runs after every edit. */
    void create(Composite parent, Runnable changed);

    /** Why the settings cannot be run, or null. */
    String problem();

    /**
     * Builds the job, not yet scheduled.
     *
     * @param parameters the declared parameters that were given, as text
     * @throws IOException              naming the file when an input cannot be used (e.g. nothing to pair)
     * @throws IllegalArgumentException when the job rejects a setting
     */
    MedSynthJob createJob(Map<String, String> parameters) throws IOException;

    /** Fills the settings from an earlier run's record, so it can be run again as it was. */
    void prefill(RunRecord record);

    /** The settings for running {@code contribution}, or null when it is not something that runs on its own. */
    static RunSettings forContribution(Contribution contribution) {
        return switch (contribution.kind()) {
            case GENERATOR -> new GeneratorSettings(contribution);
            case EVALUATOR -> new EvaluatorSettings(contribution);
            default -> null;
        };
    }
}
