package org.medsynth.ui.internal.results;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

import org.eclipse.core.runtime.ListenerList;
import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.IJobChangeListener;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.medsynth.core.jobs.JobFamilies;
import org.medsynth.core.jobs.MedSynthJob;

/**
 * The runs finished in this process, newest first, collected from the job manager so that jobs scheduled anywhere
 * (run dialog, another bundle, a test) are listed. It lives from the UI bundle's start to its stop, independent of the
 * view: runs that end while the Run results view is closed are shown when it opens.
 */
public final class RunLog {
    /** Enough for a working session; older entries stay in the run history on disk. */
    private static final int KEPT = 500;
    private static final RunLog INSTANCE = new RunLog();

    private final Deque<FinishedRun> runs = new ArrayDeque<>();
    private final ListenerList<Consumer<FinishedRun>> listeners = new ListenerList<>();
    private final IJobChangeListener jobListener = new JobChangeAdapter() {
        @Override
        public void done(IJobChangeEvent event) {
            if (event.getJob().belongsTo(JobFamilies.ALL) && event.getJob() instanceof MedSynthJob job) {
                add(FinishedRun.of(job));
            }
        }
    };

    private RunLog() {
    }

    public static RunLog get() {
        return INSTANCE;
    }

    public void start() {
        Job.getJobManager().addJobChangeListener(jobListener);
    }

    public void stop() {
        Job.getJobManager().removeJobChangeListener(jobListener);
    }

    /** Called on the job's thread. */
    private void add(FinishedRun run) {
        synchronized (runs) {
            runs.addFirst(run);
            if (runs.size() > KEPT) {
                runs.removeLast();
            }
        }
        listeners.forEach(listener -> listener.accept(run));
    }

    /** Newest first. */
    List<FinishedRun> runs() {
        synchronized (runs) {
            return List.copyOf(runs);
        }
    }

    /** {@code listener} is called on the thread of the job that finished. */
    public void addListener(Consumer<FinishedRun> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<FinishedRun> listener) {
        listeners.remove(listener);
    }
}
