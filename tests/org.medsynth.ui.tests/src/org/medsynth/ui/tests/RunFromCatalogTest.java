package org.medsynth.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.core.api.Contribution.Kind;
import org.medsynth.core.jobs.EvaluationJob;
import org.medsynth.core.jobs.GenerationJob;
import org.medsynth.core.jobs.JobFamilies;
import org.medsynth.core.jobs.MedSynthJob;
import org.medsynth.core.jobs.RunHistory;
import org.medsynth.core.registry.Contributions;
import org.medsynth.ui.MedSynthUi;

/**
 * Runs a generator and an evaluator the way a user does: select the row, press Run…, fill the generated form, press
 * Run, and read the outcome in the Run results view. The dialog is modal, so the test acts on it from inside its
 * event loop (see {@link #pressRunAndDrive}).
 */
@ExtendWith(IsolatedRunHistory.class)
class RunFromCatalogTest {
    private static final String SHEPP_LOGAN = "phantom.shepp-logan";


    @TempDir
    Path temp;

    private Display display;
    private IWorkbenchWindow window;
    private Table catalog;
    private Table results;

    @BeforeEach
    void openViews() throws PartInitException {
        display = Display.getCurrent();
        assertNotNull(display, "the test must run on the SWT UI thread");
        window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
        IWorkbenchPage page = window.getActivePage();
        page.showView(MedSynthUi.RESULTS_VIEW_ID);
        results = UiTestSupport.find(window.getShell(), MedSynthUi.RESULTS_TABLE, Table.class);
        page.showView(MedSynthUi.CATALOG_VIEW_ID);
        catalog = UiTestSupport.find(window.getShell(), MedSynthUi.CATALOG_TABLE, Table.class);
        UiTestSupport.find(window.getShell(), MedSynthUi.CATALOG_FILTER, Text.class).setText("");
    }

    @Test
    void generatesFromTheDialogAndListsTheOutputs() throws Exception {
        Path out = temp.resolve("shepp-logan");
        selectRow(SHEPP_LOGAN);
        int rowsBefore = results.getItemCount();

        pressRunAndDrive(dialog -> {
            Shell shell = dialog.getShell();
            RunDialogDriver.setText(shell, MedSynthUi.RUN_PARAMETER_PREFIX + "size", "32");
            RunDialogDriver.setText(shell, MedSynthUi.RUN_OUTPUT_FOLDER, out.toString());
            assertTrue(UiTestSupport.find(shell, MedSynthUi.RUN_FORMAT_PREFIX + "mha", Button.class).getSelection(),
                    "mha is the default output format");
            assertNull(dialog.getErrorMessage());
            screenshot(shell, "run-dialog-generator.png");
            RunDialogDriver.pressRun(shell);
        });

        List<String> row = awaitNewRun(rowsBefore);
        assertEquals(List.of("generate", SHEPP_LOGAN, "succeeded"), row.subList(1, 4), "run row: " + row);
        List<Path> written;
        try (Stream<Path> files = Files.list(out)) {
            written = files.filter(p -> p.toString().endsWith(".mha")).sorted().toList();
        }
        assertEquals(1, written.size(), "one sample in mha: " + written);
        String header = new String(Files.readAllBytes(written.get(0)), StandardCharsets.ISO_8859_1);
        assertTrue(header.contains("\nDimSize = 32 32\n"), "the size typed into the form reached the generator");
        assertEquals("1 file: " + written.get(0).getFileName(), row.get(4));
        Path record = Path.of(row.get(5));
        assertEquals(RunHistory.folder(), record.getParent(), "run record in the test's run history");
        assertTrue(Files.isRegularFile(record), record.toString());
        assertTrue(detailRows().contains("output " + written.get(0)), detailRows().toString());
        screenshot(window.getShell(), "run-results-generation.png");
    }

    @Test
    void outOfRangeValueDisablesRunAndNamesTheRange() throws Exception {
        selectRow(SHEPP_LOGAN);
        pressRunAndDrive(dialog -> {
            Shell shell = dialog.getShell();
            Button run = UiTestSupport.find(shell, MedSynthUi.RUN_OK, Button.class);
            assertTrue(run.isEnabled(), "defaults are valid: " + dialog.getErrorMessage());

            RunDialogDriver.setText(shell, MedSynthUi.RUN_PARAMETER_PREFIX + "size", "5000");
            assertFalse(run.isEnabled());
            String message = dialog.getErrorMessage();
            assertNotNull(message);
            assertTrue(message.contains("'size'") && message.contains("above the maximum 1024")
                    && message.contains("16..1024 px"), message);
            screenshot(shell, "run-dialog-invalid.png");

            RunDialogDriver.setText(shell, MedSynthUi.RUN_PARAMETER_PREFIX + "size", "64");
            assertTrue(run.isEnabled());
            assertNull(dialog.getErrorMessage());
            dialog.close();
        });
        assertEquals(0, Job.getJobManager().find(JobFamilies.ALL).length, "cancelling the dialog schedules nothing");
    }

    @Test
    void inputFilesAreRequiredUnlessNoneIsAnInputKind() throws Exception {
        selectRow("phantom.denoise");
        pressRunAndDrive(dialog -> {
            assertFalse(UiTestSupport.find(dialog.getShell(), MedSynthUi.RUN_OK, Button.class).isEnabled());
            assertTrue(dialog.getErrorMessage().contains("needs input files (image2d)"), dialog.getErrorMessage());
            dialog.close();
        });
        selectRow("test.ui.optional-input");
        pressRunAndDrive(dialog -> {
            Shell shell = dialog.getShell();
            assertEquals("", RunDialogDriver.text(shell, MedSynthUi.RUN_INPUTS), "the input field is offered");
            assertTrue(UiTestSupport.find(shell, MedSynthUi.RUN_OK, Button.class).isEnabled(),
                    "optional inputs: " + dialog.getErrorMessage());
            dialog.close();
        });
    }

    @Test
    void evaluatesTwoGeneratedImagesAndShowsThePsnr() throws Exception {
        // two phantoms generated in-process, as another bundle would: their runs must appear in the results view too
        int rowsBefore = results.getItemCount();
        Path clean = generateInProcess(temp.resolve("clean"), "0");
        Path noisy = generateInProcess(temp.resolve("noisy"), "0.05");
        awaitRows(rowsBefore + 2);
        // the value the CLI's job computes for the same pair, to compare what the GUI shows with
        EvaluationJob reference = new EvaluationJob(List.of(Contributions.get().require(Kind.EVALUATOR, "psnr")), Map.of(),
                EvaluationJob.pair(clean, noisy), null);
        runToEnd(reference);
        String expectedPsnr = String.format(Locale.ROOT, "%.6f", reference.results().get(0).value());
        rowsBefore = awaitRows(rowsBefore + 3);

        selectRow("psnr");
        pressRunAndDrive(dialog -> {
            Shell shell = dialog.getShell();
            RunDialogDriver.setText(shell, MedSynthUi.RUN_REFERENCE, clean.toString());
            RunDialogDriver.setText(shell, MedSynthUi.RUN_CANDIDATE, noisy.toString());
            assertNull(dialog.getErrorMessage());
            screenshot(shell, "run-dialog-evaluator.png");
            RunDialogDriver.pressRun(shell);
        });

        List<String> row = awaitNewRun(rowsBefore);
        assertEquals(List.of("evaluate", "psnr", "succeeded", "psnr " + expectedPsnr), row.subList(1, 5), "run row: " + row);
        List<String> details = detailRows();
        assertTrue(details.contains("psnr " + expectedPsnr), details.toString());
        assertTrue(details.contains("  psnr [" + noisy.getFileName() + "] " + expectedPsnr), details.toString());
        screenshot(window.getShell(), "run-results-evaluation.png");
    }

    /** Generates one 32 px Shepp–Logan phantom with the same job the CLI builds; returns the image file. */
    private Path generateInProcess(Path folder, String noiseSigma) throws Exception {
        GenerationJob job = new GenerationJob(Contributions.get().require(Kind.GENERATOR, SHEPP_LOGAN),
                Map.of("size", "32", "noise-sigma", noiseSigma), 7, 1, List.of(), folder, List.of("mha"), "cpu");
        runToEnd(job);
        assertEquals(1, job.outputs().size(), job.outputs().toString());
        return job.outputs().get(0);
    }

    private void runToEnd(MedSynthJob job) {
        job.schedule();
        UiTestSupport.spinUntil(display, () -> job.getResult() != null, () -> job.getName() + " did not finish");
        assertTrue(job.getResult().isOK(), job.getResult().toString());
    }

    /** Presses Run… in the catalog and acts on the run dialog it opens. */
    private void pressRunAndDrive(RunDialogDriver.Actions actions) {
        RunDialogDriver.pressAndDrive(UiTestSupport.find(window.getShell(), MedSynthUi.CATALOG_RUN, Button.class), actions);
    }

    private void selectRow(String id) {
        for (TableItem item : catalog.getItems()) {
            if (item.getText(1).equals(id)) {
                catalog.setSelection(item);
                Event click = new Event();
                click.item = item;
                catalog.notifyListeners(SWT.Selection, click);
                return;
            }
        }
        fail("no catalog row for " + id);
    }

    /** Waits until the results view lists a run more than before; returns the newest row's cells. */
    private List<String> awaitNewRun(int rowsBefore) {
        awaitRows(rowsBefore + 1);
        TableItem newest = results.getItem(0);
        List<String> cells = new ArrayList<>();
        for (int column = 0; column < results.getColumnCount(); column++) {
            cells.add(newest.getText(column));
        }
        return cells;
    }

    private int awaitRows(int rows) {
        UiTestSupport.spinUntil(display, () -> results.getItemCount() >= rows,
                () -> "Run results lists " + results.getItemCount() + " runs, expected " + rows);
        return results.getItemCount();
    }

    private List<String> detailRows() {
        Table details = UiTestSupport.find(window.getShell(), MedSynthUi.RESULTS_DETAILS, Table.class);
        List<String> rows = new ArrayList<>();
        for (TableItem item : details.getItems()) {
            rows.add(item.getText(0) + " " + item.getText(1));
        }
        return rows;
    }

    private void screenshot(Shell shell, String fileName) throws Exception {
        UiTestSupport.saveScreenshot(display, UiTestSupport.screenArea(shell), UiTestSupport.screenshot(fileName));
    }
}
