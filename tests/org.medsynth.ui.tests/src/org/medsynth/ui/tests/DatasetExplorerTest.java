package org.medsynth.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.core.api.Contribution.Kind;
import org.medsynth.core.jobs.GenerationJob;
import org.medsynth.core.registry.Contributions;
import org.medsynth.ui.MedSynthUi;
import org.medsynth.ui.internal.dataset.DatasetExplorerView;
import org.medsynth.ui.internal.dataset.DatasetExplorerView.Case;
import org.medsynth.ui.internal.viewer.ImageViewerView;

/** Lists a folder of generated images (and a broken one), then opens a case in the viewer. */
@ExtendWith(IsolatedRunHistory.class)
class DatasetExplorerTest {
    @TempDir
    Path dataset;

    @Test
    void listsReadableImagesWithTheirGeometryAndOpensOne() throws Exception {
        Display display = Display.getCurrent();
        generate(display, "phantom.shepp-logan", Map.of("size", "40", "spacing", "0.5"), dataset.resolve("case-a"));
        generate(display, "phantom.torso", Map.of("dimensions", "3", "size", "24", "slices", "8", "supersampling", "1"),
                dataset.resolve("case-b"));
        Files.writeString(dataset.resolve("broken.mha"), "ObjectType = Image\nNDims = 2\n");
        Files.writeString(dataset.resolve("notes.txt"), "not an image");

        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        DatasetExplorerView view = (DatasetExplorerView) page.showView(MedSynthUi.DATASET_VIEW_ID);
        view.open(dataset);
        Shell shell = page.getWorkbenchWindow().getShell();
        Table table = UiTestSupport.find(shell, MedSynthUi.DATASET_TABLE, Table.class);
        UiTestSupport.spinUntil(display, () -> table.getItemCount() == 3, () -> "listed " + view.cases());
        List<Case> cases = view.cases();
        assertEquals(List.of("broken.mha", "case-a/shepp-logan-2d-000.mha", "case-b/torso-3d-000.mha"),
                cases.stream().map(c -> dataset.relativize(c.file()).toString()).toList(), "notes.txt is not an image");
        assertNotNull(cases.get(0).problem());
        assertTrue(cases.get(0).problem().contains("broken.mha"), cases.get(0).problem());
        Case shepp = cases.get(1);
        assertNull(shepp.problem());
        assertEquals("40×40", shepp.size());
        assertEquals("0.500×0.500", shepp.spacing());
        assertEquals("synthetic: phantom.shepp-logan", shepp.origin());
        assertEquals(48, shepp.thumbnail().width);
        Case torso = cases.get(2);
        assertEquals("24×24×8", torso.size());
        assertEquals("CT", torso.modality());
        assertEquals("HU", torso.unit());
        assertEquals("40×40", table.getItem(1).getText(1));
        UiTestSupport.saveScreenshot(display, UiTestSupport.screenArea(shell), UiTestSupport.screenshot("dataset-explorer.png"));

        table.setSelection(2);
        UiTestSupport.find(shell, MedSynthUi.DATASET_OPEN, Button.class).notifyListeners(SWT.Selection, new Event());
        ImageViewerView viewer = (ImageViewerView) page.findView(MedSynthUi.VIEWER_VIEW_ID);
        UiTestSupport.spinUntil(display, () -> viewer != null && viewer.state() != null
                && viewer.state().names().equals(List.of("torso-3d-000.mha")), () -> "the case was not opened");
    }

    private static void generate(Display display, String generator, Map<String, String> parameters, Path folder) {
        GenerationJob job = new GenerationJob(Contributions.get().require(Kind.GENERATOR, generator), parameters, 1, 1,
                List.of(), folder, List.of("mha"), "cpu");
        job.schedule();
        UiTestSupport.spinUntil(display, () -> job.getResult() != null, () -> generator + " did not finish");
        assertTrue(job.getResult().isOK(), job.getResult().toString());
    }
}
