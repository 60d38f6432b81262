package org.medsynth.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.core.api.Contribution.Kind;
import org.medsynth.core.api.TrainingProgress;
import org.medsynth.core.jobs.TrainingJob;
import org.medsynth.core.jobs.TrainingJob.LossPoint;
import org.medsynth.core.registry.Contributions;
import org.medsynth.ui.MedSynthUi;
import org.medsynth.ui.internal.training.TrainingMonitorView;

/**
 * Follows a short phantom denoiser training in the monitor, cancels it part way, resumes it with the view's button
 * and checks the drawn curve against the losses the trainer recorded.
 */
@ExtendWith(IsolatedRunHistory.class)
class TrainingMonitorTest {
    private static final int STEPS = 12;
    private static final int CANCEL_AT = 5;

    @TempDir
    Path temp;

    @Test
    void showsTheLossCurveAndSampleAndResumesACancelledRun() throws Exception {
        Display display = Display.getCurrent();
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        TrainingMonitorView monitor = (TrainingMonitorView) page.showView(MedSynthUi.TRAINING_VIEW_ID);
        Shell shell = page.getWorkbenchWindow().getShell();

        TrainingJob first = new TrainingJob(Contributions.get().require(Kind.TRAINER, "phantom.denoiser"),
                Map.of("steps", Integer.toString(STEPS), "batch-size", "2", "size", "32", "checkpoint-every", "1"), 5,
                temp.resolve("model"), temp.resolve("checkpoints"), false, "cpu");
        first.addProgressListener(new TrainingProgress() {
            @Override
            public void step(int step, double loss) {
                if (step == CANCEL_AT) {
                    first.cancel();
                }
            }
        });
        first.schedule();
        UiTestSupport.spinUntil(display, () -> first.getResult() != null, () -> "the training did not stop");
        assertEquals(IStatus.CANCEL, first.getResult().getSeverity(), first.getResult().toString());
        UiTestSupport.spinUntil(display, () -> monitor.watched() == first && monitor.shownLosses().equals(first.losses())
                && monitor.showsSample(), () -> "the monitor shows " + monitor.shownLosses() + ", the job reported "
                        + first.losses());
        int stoppedAt = first.losses().size();
        assertTrue(stoppedAt >= CANCEL_AT && stoppedAt < STEPS, "stopped after step " + stoppedAt);
        assertEquals(List.of(1, 2, 3), first.losses().subList(0, 3).stream().map(LossPoint::step).toList());
        Button resume = UiTestSupport.find(shell, MedSynthUi.TRAINING_RESUME, Button.class);
        UiTestSupport.spinUntil(display, resume::isEnabled, () -> "a cancelled run cannot be resumed");
        UiTestSupport.saveScreenshot(display, UiTestSupport.screenArea(shell), UiTestSupport.screenshot("training-monitor-cancelled.png"));

        resume.notifyListeners(SWT.Selection, new Event());
        UiTestSupport.spinUntil(display, () -> monitor.watched() != first && monitor.watched().getResult() != null,
                () -> "the resumed run did not finish");
        TrainingJob resumed = monitor.watched();
        assertNotSame(first, resumed);
        assertTrue(resumed.getResult().isOK(), resumed.getResult().toString());
        assertFalse(resume.isEnabled());
        List<Double> recorded = resumed.result().lossCurve(); // the whole run's curve, from the checkpoint on
        UiTestSupport.spinUntil(display, () -> monitor.shownLosses().size() == STEPS, () -> "the curve has "
                + monitor.shownLosses().size() + " points");
        List<LossPoint> shown = monitor.shownLosses();
        for (int i = 0; i < STEPS; i++) {
            assertEquals(i + 1, shown.get(i).step());
            assertEquals(recorded.get(i), shown.get(i).loss(), 1e-6 * Math.abs(recorded.get(i)), "loss of step " + (i + 1));
        }
        UiTestSupport.saveScreenshot(display, UiTestSupport.screenArea(shell), UiTestSupport.screenshot("training-monitor.png"));
    }
}
