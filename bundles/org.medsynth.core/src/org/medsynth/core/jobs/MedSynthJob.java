package org.medsynth.core.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.core.runtime.jobs.Job;
import org.medsynth.core.api.Contribution;
import org.medsynth.core.registry.Contributions;

/**
 * Base of every MedSynth job: holds the device rule, belongs to its family and to {@link JobFamilies#ALL}, turns
 * cancellation and failures into statuses, and always writes a run record to the {@link RunHistory} (and, on
 * success, beside the outputs).
 */
public abstract class MedSynthJob extends Job {
    private final Object family;
    private final RunRecord record;
    private volatile Path recordFile;

    protected MedSynthJob(String name, Object family, String kind, Contribution contribution, String device) {
        super(name);
        this.family = family;
        DeviceRule rule = DeviceRule.of(device);
        setRule(rule);
        record = new RunRecord(kind, contribution.id(), contribution.version(), contribution.bundle());
        record.device = rule.device();
    }

    @Override
    public boolean belongsTo(Object f) {
        return f == JobFamilies.ALL || f == family;
    }

    @Override
    protected final IStatus run(IProgressMonitor monitor) {
        SubMonitor progress = SubMonitor.convert(monitor, getName(), 100);
        IStatus status;
        List<Path> copies = List.of();
        try {
            status = execute(progress);
            record.finish(RunRecord.Outcome.SUCCEEDED, "");
            copies = recordCopies();
        } catch (OperationCanceledException e) {
            record.finish(RunRecord.Outcome.CANCELLED, "cancelled; no output was written");
            status = Status.CANCEL_STATUS;
        } catch (CoreException e) {
            record.finish(RunRecord.Outcome.FAILED, e.getStatus().getMessage());
            status = e.getStatus();
        } catch (IOException | RuntimeException | LinkageError e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            record.finish(RunRecord.Outcome.FAILED, message);
            status = new Status(IStatus.ERROR, Contributions.PLUGIN_ID, message, e);
        } finally {
            monitor.done();
        }
        try {
            recordFile = RunHistory.save(record);
            for (Path copy : copies) {
                AtomicFiles.writeString(copy, record.toJson());
            }
        } catch (IOException e) {
            Platform.getLog(MedSynthJob.class).error("could not write the run record of " + getName(), e);
        }
        return status;
    }

    /**
     * Does the work. Must call {@code monitor.split} at least once per step, write outputs only through an
     * {@link OutputStaging} and discard it on any exit but success.
     */
    protected abstract IStatus execute(SubMonitor monitor) throws CoreException, IOException;

    /** Where to put copies of the finished record besides the run history (e.g. the output folder). */
    protected List<Path> recordCopies() {
        return List.of();
    }

    /** The record of this run (complete once the job is done). */
    public RunRecord runRecord() {
        return record;
    }

    /** The record's file in the run history, once the job is done. */
    public Path runRecordFile() {
        return recordFile;
    }

    protected RunRecord record() {
        return record;
    }
}
