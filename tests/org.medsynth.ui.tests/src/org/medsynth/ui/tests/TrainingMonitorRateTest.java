package org.medsynth.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.core.api.Contribution.Kind;
import org.medsynth.core.jobs.TrainingJob;
import org.medsynth.core.registry.Contributions;
import org.medsynth.ui.MedSynthUi;
import org.medsynth.ui.internal.training.TrainingMonitorView;

/** The monitor shows the speed a trainer reports: step of all steps, steps per second and the time left. */
@ExtendWith(IsolatedRunHistory.class)
class TrainingMonitorRateTest {
    @TempDir
    Path temp;

    @Test
    void showsStepsPerSecondAndTheTimeLeft() throws Exception {
        Display display = Display.getCurrent();
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        TrainingMonitorView monitor = (TrainingMonitorView) page.showView(MedSynthUi.TRAINING_VIEW_ID);
        Shell shell = page.getWorkbenchWindow().getShell();
        Label rate = UiTestSupport.find(shell, MedSynthUi.TRAINING_RATE, Label.class);

        TrainingJob job = new TrainingJob(Contributions.get().require(Kind.TRAINER, "test.ui.rate-trainer"), Map.of(), 1,
                temp.resolve("model"), temp.resolve("checkpoints"), false, "cpu");
        job.schedule();
        try {
            UiTestSupport.spinUntil(display, () -> monitor.watched() == job && !rate.getText().isEmpty(),
                    () -> "no speed shown; the monitor follows " + monitor.watched());
            assertEquals("step 3/12 · 2.50 it/s · ETA 0:04", rate.getText(), "3.6 s left rounds to 4 s");
            UiTestSupport.saveScreenshot(display, UiTestSupport.screenArea(shell),
                    UiTestSupport.screenshot("training-monitor-rate.png"));
        } finally {
            job.cancel();
        }
        UiTestSupport.spinUntil(display, () -> job.getResult() != null, () -> "the test trainer did not stop");
        assertEquals(IStatus.CANCEL, job.getResult().getSeverity(), job.getResult().toString());
        assertEquals("step 3/12 · 2.50 it/s · ETA 0:04", monitor.rateText(), "the last speed stays after the run");
        assertEquals("step 0/10 · 0.00 it/s · ETA –", TrainingMonitorView.rateText(0, 10, 0, Double.POSITIVE_INFINITY));
        assertEquals("step 7/9000 · 0.0123 it/s · ETA 2:01:40", TrainingMonitorView.rateText(7, 9000, 0.0123, 7299.6));
    }
}
