package org.medsynth.ui.internal.results;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.medsynth.core.api.EvaluationResult;
import org.medsynth.core.jobs.EvaluationJob;
import org.medsynth.core.jobs.MedSynthJob;
import org.medsynth.core.jobs.RunRecord;

/**
 * What the Run results view shows of one finished job: taken from its run record and results when it ends, so the
 * view keeps no job alive.
 *
 * @param runRecordFile the record in the run history, or null when it could not be written
 */
public record FinishedRun(String runId, Instant finished, String kind, String contributionId, RunRecord.Outcome outcome,
        String message, List<Path> outputs, List<EvaluationResult> metrics, Path runRecordFile) {

    public FinishedRun {
        outputs = List.copyOf(outputs);
        metrics = List.copyOf(metrics);
    }

    static FinishedRun of(MedSynthJob job) {
        RunRecord record = job.runRecord();
        List<Path> outputs = record.outputs().stream().map(entry -> Path.of(entry.path())).toList();
        List<EvaluationResult> metrics = job instanceof EvaluationJob evaluation ? evaluation.results() : List.of();
        Instant end = record.timings().end();
        return new FinishedRun(record.runId(), end == null ? Instant.now() : end, record.kind(), record.contributionId(),
                record.outcome(), record.message(), outputs, metrics, job.runRecordFile());
    }

    /** One line for the runs table: the metric values, else the outputs, else why it did not succeed. */
    String summary() {
        if (outcome != RunRecord.Outcome.SUCCEEDED) {
            return message;
        }
        if (!metrics.isEmpty()) {
            return metrics.stream().map(r -> r.metric() + " " + format(r.value())).collect(Collectors.joining(", "));
        }
        String names = outputs.stream().map(p -> p.getFileName().toString()).collect(Collectors.joining(", "));
        return outputs.size() + (outputs.size() == 1 ? " file: " : " files: ") + names;
    }

    /** Metric values as the CLI prints them, to six decimals. */
    public static String format(double value) {
        return Double.isInfinite(value) ? (value > 0 ? "inf" : "-inf") : String.format(Locale.ROOT, "%.6f", value);
    }
}
