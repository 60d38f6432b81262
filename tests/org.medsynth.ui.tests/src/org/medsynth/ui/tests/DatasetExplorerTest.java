package org.medsynth.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import net.imglib2.Cursor;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.core.registry.ImageFormats;
import org.medsynth.data.dataset.PatientSplit;
import org.medsynth.ui.MedSynthUi;
import org.medsynth.ui.internal.dataset.DatasetExplorerView;
import org.medsynth.ui.internal.dataset.Previews.Preview;
import org.medsynth.ui.internal.viewer.ImageViewerView;

/**
 * Opens generated MetaImage folders and a CSV manifest through the dataset layouts by driving the explorer's widgets:
 * a layout error, the cases with patients, previews and conditions, a patient split and a case in the viewer.
 */
@ExtendWith(IsolatedRunHistory.class)
class DatasetExplorerTest {
    private static final int CASE = 0;
    private static final int PATIENT = 1;
    private static final int SPLIT = 2;
    private static final int IMAGES = 3;
    private static final int CONDITIONS = 4;
    private static final int SIZE = 5;
    private static final int ORIGIN = 8;

    @TempDir
    Path dataset;

    private final Display display = Display.getCurrent();
    private final IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();

    @Test
    void opensAFolderByPatientShowsItsCasesAndMakesAPatientSplit() throws Exception {
        write(dataset.resolve("p1-a.mha"), 12, 10, 1, 1);
        write(dataset.resolve("p1-b.mha"), 12, 10, 1, 2);
        write(dataset.resolve("p2-a.mha"), 12, 10, 4, 3);
        write(dataset.resolve("p3-a.mha"), 8, 8, 1, 4);
        write(dataset.resolve("p4-a.mha"), 8, 8, 1, 5);
        Files.writeString(dataset.resolve("p5-broken.mha"), "ObjectType = Image\nNDims = 2\n");
        Files.writeString(dataset.resolve("notes.txt"), "not an image");

        DatasetExplorerView view = (DatasetExplorerView) page.showView(MedSynthUi.DATASET_VIEW_ID);
        Shell shell = page.getWorkbenchWindow().getShell();
        Table table = UiTestSupport.find(shell, MedSynthUi.DATASET_TABLE, Table.class);
        Label status = UiTestSupport.find(shell, MedSynthUi.DATASET_STATUS, Label.class);
        chooseLayout(shell, "Folder of images");
        UiTestSupport.find(shell, MedSynthUi.DATASET_LOCATION, Text.class).setText(dataset.toString());
        Text pattern = UiTestSupport.find(shell, MedSynthUi.DATASET_PARAMETER_PREFIX + "patient-pattern", Text.class);

        pattern.setText("^(q\\d+)");
        press(shell, MedSynthUi.DATASET_OPEN_LAYOUT);
        UiTestSupport.spinUntil(display, () -> status.getText().startsWith("Cannot open"), status::getText);
        assertTrue(status.getText().contains("as Folder of images: ") && status.getText().contains("finds no patient id in 'p1-a'"),
                status.getText());
        assertEquals(0, table.getItemCount());

        pattern.setText("^(p\\d+)-");
        press(shell, MedSynthUi.DATASET_OPEN_LAYOUT);
        awaitPreviews(view, table, 6);
        assertEquals(List.of("p1-a", "p1-b", "p2-a", "p3-a", "p4-a", "p5-broken"), column(table, CASE), "notes.txt is no case");
        assertEquals(List.of("p1", "p1", "p2", "p3", "p4", "p5"), column(table, PATIENT));
        assertEquals("p1-a.mha", table.getItem(0).getText(IMAGES));
        assertEquals("12×10", table.getItem(0).getText(SIZE));
        assertEquals("12×10×4", table.getItem(2).getText(SIZE));
        assertEquals("acquired", table.getItem(0).getText(ORIGIN));
        Preview first = view.preview("p1-a");
        assertNull(first.problem());
        assertEquals(48, first.thumbnail().width);
        assertNotNull(table.getItem(0).getImage(0), "the thumbnail is shown");
        Preview broken = view.preview("p5-broken");
        assertTrue(broken.problem() != null && broken.problem().contains("p5-broken.mha"), String.valueOf(broken.problem()));
        assertTrue(table.getItem(5).getText(ORIGIN).startsWith("cannot read: "), table.getItem(5).getText(ORIGIN));
        assertTrue(status.getText().startsWith("6 cases of 5 patients in "), status.getText());
        UiTestSupport.saveScreenshot(display, UiTestSupport.screenArea(shell), UiTestSupport.screenshot("dataset-explorer.png"));

        Path splitFile = dataset.resolve("split.json");
        assertEquals(splitFile.toString(), UiTestSupport.find(shell, MedSynthUi.DATASET_SPLIT_FILE, Text.class).getText());
        UiTestSupport.find(shell, MedSynthUi.DATASET_SPLIT_TRAIN, Text.class).setText("0.6");
        UiTestSupport.find(shell, MedSynthUi.DATASET_SPLIT_VAL, Text.class).setText("0.2");
        UiTestSupport.find(shell, MedSynthUi.DATASET_SPLIT_TEST, Text.class).setText("0.2");
        UiTestSupport.find(shell, MedSynthUi.DATASET_SPLIT_SEED, Text.class).setText("7");
        press(shell, MedSynthUi.DATASET_MAKE_SPLIT);
        PatientSplit written = PatientSplit.read(splitFile);
        assertEquals(7, written.seed());
        List<String> splits = column(table, SPLIT);
        for (int i = 0; i < table.getItemCount(); i++) {
            assertEquals(written.ofCase(table.getItem(i).getText(CASE)).key(), splits.get(i), "split of row " + i);
        }
        assertEquals(splits.get(0), splits.get(1), "both cases of patient p1 are in one split");
        List<String> byPatient = new ArrayList<>(written.patients().values().stream().map(PatientSplit.Part::key).toList());
        assertEquals(List.of(3L, 1L, 1L), Arrays.stream(PatientSplit.Part.values())
                .map(p -> byPatient.stream().filter(p.key()::equals).count()).toList(), "patients per split of 5 at 0.6/0.2/0.2");
        assertTrue(status.getText().contains("3 train, 1 val, 1 test"), status.getText());
        UiTestSupport.saveScreenshot(display, UiTestSupport.screenArea(shell), UiTestSupport.screenshot("dataset-explorer-split.png"));

        press(shell, MedSynthUi.DATASET_OPEN_LAYOUT);
        awaitPreviews(view, table, 6);
        assertSame(first.thumbnail(), view.preview("p1-a").thumbnail(), "unchanged files are not read again");
        assertEquals("", table.getItem(0).getText(SPLIT), "a reopened dataset has no split until one is made");

        table.setSelection(2);
        table.notifyListeners(SWT.DefaultSelection, new Event());
        ImageViewerView viewer = (ImageViewerView) page.findView(MedSynthUi.VIEWER_VIEW_ID);
        UiTestSupport.spinUntil(display, () -> viewer != null && viewer.state() != null
                && viewer.state().names().equals(List.of("p2-a image")), () -> "the case was not opened in the viewer");
        assertEquals(4, viewer.state().images().get(0).size(2));
    }

    @Test
    void showsTheConditionsOfAManifest() throws Exception {
        write(dataset.resolve("scan-1.mha"), 8, 8, 1, 1);
        write(dataset.resolve("scan-2.mha"), 8, 8, 1, 2);
        Path manifest = dataset.resolve("cases.csv");
        Files.writeString(manifest, "image,patient,label,age\nscan-1.mha,anna,tumour,63\nscan-2.mha,ben,healthy,41\n");
        DatasetExplorerView view = (DatasetExplorerView) page.showView(MedSynthUi.DATASET_VIEW_ID);
        Shell shell = page.getWorkbenchWindow().getShell();
        Table table = UiTestSupport.find(shell, MedSynthUi.DATASET_TABLE, Table.class);
        chooseLayout(shell, "CSV or JSON manifest");
        UiTestSupport.find(shell, MedSynthUi.DATASET_LOCATION, Text.class).setText(manifest.toString());
        press(shell, MedSynthUi.DATASET_OPEN_LAYOUT);
        awaitPreviews(view, table, 2);
        assertEquals(List.of("anna", "ben"), column(table, PATIENT));
        assertEquals(List.of("age=63, label=tumour", "age=41, label=healthy"), column(table, CONDITIONS));
        assertEquals(dataset.resolve("cases-split.json").toString(),
                UiTestSupport.find(shell, MedSynthUi.DATASET_SPLIT_FILE, Text.class).getText());
        UiTestSupport.saveScreenshot(display, UiTestSupport.screenArea(shell), UiTestSupport.screenshot("dataset-explorer-manifest.png"));
    }

    /** A float image of {@code width × height × depth} whose values grow along x, scaled by {@code scale}. */
    private static void write(Path file, int width, int height, int depth, int scale) throws Exception {
        Img<FloatType> pixels = depth == 1 ? ArrayImgs.floats(width, height) : ArrayImgs.floats(width, height, depth);
        Cursor<FloatType> c = pixels.localizingCursor();
        while (c.hasNext()) {
            c.fwd();
            c.get().set(scale * (c.getIntPosition(0) + 1));
        }
        ImageFormats.get().write(MedicalImage.of(pixels, Geometry.isotropic(depth == 1 ? 2 : 3, 1), Modality.MR,
                IntensityUnit.ARBITRARY), file);
    }

    private static void chooseLayout(Shell shell, String name) {
        Combo layouts = UiTestSupport.find(shell, MedSynthUi.DATASET_LAYOUT, Combo.class);
        int index = Arrays.asList(layouts.getItems()).indexOf(name);
        assertTrue(index >= 0, name + " is not among the layouts " + Arrays.toString(layouts.getItems()));
        layouts.select(index);
        layouts.notifyListeners(SWT.Selection, new Event());
    }

    private static void press(Shell shell, String button) {
        UiTestSupport.find(shell, button, Button.class).notifyListeners(SWT.Selection, new Event());
    }

    /**
     * Waits until the dataset is listed with {@code count} cases, every case's first image has been read and the
     * status line sums it up.
     */
    private void awaitPreviews(DatasetExplorerView view, Table table, int count) {
        Label status = UiTestSupport.find(table.getShell(), MedSynthUi.DATASET_STATUS, Label.class);
        UiTestSupport.spinUntil(display, () -> view.dataset() != null && table.getItemCount() == count
                && view.dataset().cases().stream().allMatch(c -> view.preview(c.id()) != null)
                && !status.getText().endsWith("reading the images…"), () -> "listed " + table.getItemCount()
                        + " cases; " + status.getText());
    }

    private static List<String> column(Table table, int index) {
        return Arrays.stream(table.getItems()).map((TableItem item) -> item.getText(index)).toList();
    }
}
