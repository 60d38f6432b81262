package org.medsynth.ui.internal.run;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.jface.dialogs.ErrorDialog;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IViewSite;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PartInitException;
import org.medsynth.core.api.Contribution;
import org.medsynth.core.jobs.EvaluationJob;
import org.medsynth.core.jobs.GenerationJob;
import org.medsynth.core.jobs.MedSynthJob;
import org.medsynth.core.jobs.RunRecord;
import org.medsynth.ui.MedSynthUi;
import org.medsynth.ui.internal.results.FinishedRun;

/**
 * Opens the run dialog from a view, schedules the job it builds, and tells the user how it ended: on success a
 * status-line message and the Run results view, on failure an error dialog naming the run record.
 */
public final class RunLauncher {
    private RunLauncher() {
    }

    /**
     * Opens the run dialog for {@code contribution}, filled from {@code earlierRun} when not null; when the user presses
     * Run, schedules the job.
     */
    public static void open(IViewSite site, Contribution contribution, RunRecord earlierRun) {
        RunDialog dialog = new RunDialog(site.getShell(), contribution, earlierRun);
        if (dialog.open() != Window.OK) {
            return;
        }
        MedSynthJob job = dialog.job();
        job.addJobChangeListener(new ReportWhenDone(site, job));
        job.schedule();
        site.getActionBars().getStatusLineManager().setMessage(job.getName() + " started (see the Progress view)");
    }

    /** Job events arrive on the job's thread; the report is made on the display thread. */
    private static final class ReportWhenDone extends JobChangeAdapter {
        private final IViewSite site;
        private final MedSynthJob job;

        ReportWhenDone(IViewSite site, MedSynthJob job) {
            this.site = site;
            this.job = job;
        }

        @Override
        public void done(IJobChangeEvent event) {
            Display display = site.getShell().getDisplay();
            if (!display.isDisposed()) {
                display.asyncExec(() -> report(event.getResult()));
            }
        }

        private void report(IStatus result) {
            if (site.getShell().isDisposed()) {
                return;
            }
            if (result.isOK()) {
                site.getActionBars().getStatusLineManager().setMessage(job.getName() + ": " + successSummary());
                showResults(site.getPage());
            } else if (result.getSeverity() == IStatus.CANCEL) {
                site.getActionBars().getStatusLineManager().setMessage(job.getName() + " cancelled; no output was written");
            } else {
                Path record = job.runRecordFile();
                ErrorDialog.openError(site.getShell(), "Run failed", job.getName() + " failed."
                        + (record == null ? " No run record could be written (see the error log)." : " Run record: " + record),
                        result);
            }
        }

        private String successSummary() {
            if (job instanceof GenerationJob generation) {
                List<Path> outputs = generation.outputs();
                return outputs.size() + (outputs.size() == 1 ? " file" : " files") + " written to "
                        + (outputs.isEmpty() ? "" : outputs.get(0).getParent()) + " (see Run results)";
            }
            if (job instanceof EvaluationJob evaluation) {
                return evaluation.results().stream().map(r -> r.metric() + " " + FinishedRun.format(r.value()))
                        .collect(Collectors.joining(", ")) + " (per case in Run results)";
            }
            return "done (see Run results)";
        }

        /** Brings the results forward without taking the focus from where the user works. */
        private static void showResults(IWorkbenchPage page) {
            try {
                page.showView(MedSynthUi.RESULTS_VIEW_ID, null, IWorkbenchPage.VIEW_VISIBLE);
            } catch (PartInitException e) {
                ErrorDialog.openError(page.getWorkbenchWindow().getShell(), "Run results", "The Run results view could not be opened.",
                        e.getStatus());
            }
        }
    }
}
