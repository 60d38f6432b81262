package org.medsynth.ui.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.core.api.Contribution.Kind;
import org.medsynth.core.jobs.GenerationJob;
import org.medsynth.core.jobs.RunHistory;
import org.medsynth.core.jobs.RunRecord;
import org.medsynth.core.registry.Contributions;
import org.medsynth.core.registry.ImageFormats;
import org.medsynth.ui.MedSynthUi;
import org.medsynth.ui.internal.viewer.ImageViewerView;
import org.medsynth.ui.internal.viewer.Plane;
import org.medsynth.ui.internal.viewer.VolumeSlicer;

/** Lists a generation in the Run history view, runs it again from there, and opens its output in the viewer. */
@ExtendWith(IsolatedRunHistory.class)
class RunHistoryTest {

    @TempDir
    Path temp;

    private final Display display = Display.getCurrent();
    private final IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();

    @Test
    void runsARecordedGenerationAgainWithItsParameters() throws Exception {
        Path first = temp.resolve("first");
        GenerationJob job = new GenerationJob(Contributions.get().require(Kind.GENERATOR, "phantom.shepp-logan"),
                Map.of("size", "24", "noise-sigma", "0.05"), 11, 1, List.of(), first, List.of("mha"), "cpu");
        job.schedule();
        UiTestSupport.spinUntil(display, () -> job.getResult() != null, () -> "the generation did not finish");
        assertTrue(job.getResult().isOK(), job.getResult().toString());

        page.showView(MedSynthUi.HISTORY_VIEW_ID);
        Shell shell = page.getWorkbenchWindow().getShell();
        Table table = UiTestSupport.find(shell, MedSynthUi.HISTORY_TABLE, Table.class);
        UiTestSupport.spinUntil(display, () -> table.getItemCount() >= 1, () -> "the run history lists no run");
        select(table, job.runRecord().runId());
        String json = UiTestSupport.find(shell, MedSynthUi.HISTORY_DETAILS, Text.class).getText();
        assertTrue(json.contains("\"seed\": 11") && json.contains("\"noise-sigma\": \"0.05\""), json);
        UiTestSupport.saveScreenshot(display, UiTestSupport.screenArea(shell), UiTestSupport.screenshot("run-history.png"));

        Path again = temp.resolve("again");
        RunDialogDriver.pressAndDrive(UiTestSupport.find(shell, MedSynthUi.HISTORY_RUN_AGAIN, Button.class), dialog -> {
            Shell dialogShell = dialog.getShell();
            assertEquals("24", RunDialogDriver.text(dialogShell, MedSynthUi.RUN_PARAMETER_PREFIX + "size"));
            assertEquals("0.05", RunDialogDriver.text(dialogShell, MedSynthUi.RUN_PARAMETER_PREFIX + "noise-sigma"));
            assertEquals("11", RunDialogDriver.text(dialogShell, MedSynthUi.RUN_SEED));
            assertEquals(first.toString(), RunDialogDriver.text(dialogShell, MedSynthUi.RUN_OUTPUT_FOLDER));
            UiTestSupport.saveScreenshot(display, UiTestSupport.screenArea(dialogShell),
                    UiTestSupport.screenshot("run-history-run-again.png"));
            RunDialogDriver.setText(dialogShell, MedSynthUi.RUN_OUTPUT_FOLDER, again.toString());
            RunDialogDriver.pressRun(dialogShell);
        });
        UiTestSupport.spinUntil(display, () -> table.getItemCount() >= 2, () -> "the second run is not listed");
        RunRecord rerun = RunHistory.list().get(1);
        assertNotEquals(job.runRecord().runId(), rerun.runId());
        assertEquals(RunRecord.Outcome.SUCCEEDED, rerun.outcome(), rerun.message());
        assertEquals(job.runRecord().parameters(), rerun.parameters());
        assertEquals(11, rerun.seed());
        Path output = Path.of(rerun.outputs().get(0).path());
        assertEquals(again, output.getParent());
        assertArrayEquals(pixels(job.outputs().get(0)), pixels(output), "same seed and parameters, same image");

        select(table, rerun.runId());
        Button open = UiTestSupport.find(shell, MedSynthUi.HISTORY_OPEN, Button.class);
        assertTrue(open.isEnabled());
        open.notifyListeners(SWT.Selection, new Event());
        ImageViewerView viewer = (ImageViewerView) page.findView(MedSynthUi.VIEWER_VIEW_ID);
        UiTestSupport.spinUntil(display, () -> viewer != null && viewer.state() != null
                && viewer.state().names().equals(List.of(output.getFileName().toString())), () -> "the output was not opened");
    }

    private static float[] pixels(Path image) throws Exception {
        VolumeSlicer slicer = new VolumeSlicer(ImageFormats.get().read(image));
        float[] values = new float[slicer.width(Plane.AXIAL) * slicer.height(Plane.AXIAL)];
        slicer.extract(Plane.AXIAL, 0, 0, values);
        return values;
    }

    private static void select(Table table, String runId) {
        for (TableItem item : table.getItems()) {
            if (item.getData() instanceof RunRecord record && record.runId().equals(runId)) {
                table.setSelection(item);
                Event click = new Event();
                click.item = item;
                table.notifyListeners(SWT.Selection, click);
                return;
            }
        }
        fail("no history row for run " + runId);
    }
}
