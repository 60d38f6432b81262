package org.medsynth.app.cli;

import java.io.PrintStream;
import java.util.Locale;

import org.eclipse.core.runtime.NullProgressMonitor;

/** Progress of a job as lines on stderr, at most one per 5 % and whenever the task name changes. */
final class StderrProgress extends NullProgressMonitor {
    private final PrintStream err;
    private final String label;
    private double total = 1;
    private double done;
    private int lastPercent = -5;
    private String task = "";

    StderrProgress(PrintStream err, String label) {
        this.err = err;
        this.label = label;
    }

    @Override
    public synchronized void beginTask(String name, int totalWork) {
        total = totalWork <= 0 ? 1 : totalWork;
        setTaskName(name);
    }

    @Override
    public synchronized void setTaskName(String name) {
        if (name != null && !name.isEmpty() && !name.equals(task)) {
            task = name;
            err.println(label + ": " + name);
        }
    }

    @Override
    public synchronized void done() {
        if (lastPercent < 100) {
            lastPercent = 100;
            err.println(label + ": 100%");
        }
    }

    @Override
    public void worked(int work) {
        internalWorked(work);
    }

    @Override
    public synchronized void internalWorked(double work) {
        done += work;
        int percent = (int) Math.min(100, Math.floor(100 * done / total));
        if (percent >= lastPercent + 5) {
            lastPercent = percent;
            err.println(String.format(Locale.ROOT, "%s: %3d%%", label, percent));
        }
    }
}
