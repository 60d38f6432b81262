package org.medsynth.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.eclipse.core.runtime.ContributorFactoryOSGi;
import org.eclipse.core.runtime.IExtension;
import org.eclipse.core.runtime.IExtensionRegistry;
import org.eclipse.core.runtime.Platform;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medsynth.core.api.Contribution;
import org.medsynth.core.api.Contribution.Kind;
import org.medsynth.core.registry.Contributions;
import org.medsynth.ui.MedSynthUi;
import org.osgi.framework.FrameworkUtil;

/** Drives the catalog view inside the running MedSynth workbench (UI harness, on the UI thread). */
class CatalogViewTest {
    private static final String TEST_GENERATOR = "test.ui.generator";

    private Display display;
    private IWorkbenchWindow window;
    private Table table;
    private Text filter;
    private Combo kinds;

    @BeforeEach
    void openCatalog() throws PartInitException {
        display = Display.getCurrent();
        assertNotNull(display, "the test must run on the SWT UI thread");
        window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
        assertNotNull(window, "no workbench window");
        assertEquals(MedSynthUi.PERSPECTIVE_ID, window.getActivePage().getPerspective().getId());
        IViewPart view = window.getActivePage().showView(MedSynthUi.CATALOG_VIEW_ID);
        assertEquals("Model Catalog", view.getTitle());
        table = (Table) find(MedSynthUi.CATALOG_TABLE);
        filter = (Text) find(MedSynthUi.CATALOG_FILTER);
        kinds = (Combo) find(MedSynthUi.CATALOG_KIND);
        filter.setText("");
        selectKind(0);
    }

    @Test
    void perspectiveShowsTheProgressViewForJobs() {
        assertEquals("MedSynth", window.getShell().getText());
        IViewPart progress = window.getActivePage().findView(MedSynthUi.PROGRESS_VIEW_ID);
        assertNotNull(progress, "Progress view not in the MedSynth perspective");
        assertEquals("Progress", progress.getTitle());
    }

    @Test
    void listsEveryContributionTheRegistryReports() {
        assertEquals(rowsOf(Contributions.get().all()), rows());

        TableItem generator = itemWithId(TEST_GENERATOR);
        List<String> cells = new ArrayList<>();
        for (int column = 0; column < table.getColumnCount(); column++) {
            cells.add(generator.getText(column));
        }
        assertEquals(List.of("generator", TEST_GENERATOR, "UI test pattern", "test", "OT", "test-pattern",
                bundleVersion(), "org.medsynth.ui.tests"), cells);
    }

    @Test
    void filterTextAndKindNarrowTheRows() {
        List<Contribution> all = Contributions.get().all();
        assertTrue(all.size() >= 2, "needs at least two contributions to see a narrower list: " + all);

        filter.setText("TEST.UI.GEN");
        assertEquals(List.of("generator " + TEST_GENERATOR), rows());

        filter.setText("");
        assertEquals(rowsOf(all), rows());

        selectKind(kinds.indexOf("evaluator"));
        assertEquals(rowsOf(Contributions.get().list(Kind.EVALUATOR)), rows());
        assertTrue(rows().contains("evaluator test.ui.evaluator"), rows().toString());
    }

    @Test
    void selectedRowShowsDescriptionAndParameters() throws Exception {
        Contribution generator = Contributions.get().require(Kind.GENERATOR, TEST_GENERATOR);
        TableItem item = itemWithId(TEST_GENERATOR);
        table.setSelection(item);
        Event click = new Event();
        click.item = item;
        table.notifyListeners(SWT.Selection, click);

        Text description = (Text) find(MedSynthUi.CATALOG_DESCRIPTION);
        assertTrue(description.getText().startsWith(generator.description()), description.getText());
        assertTrue(description.getText().contains("outputKind: image2d"), description.getText());

        Table parameters = (Table) find(MedSynthUi.CATALOG_PARAMETERS);
        assertEquals(1, parameters.getItemCount());
        TableItem row = parameters.getItem(0);
        assertEquals(List.of("size", "int 8..512 px, default 64", "Edge length of the square test image."),
                List.of(row.getText(0), row.getText(1), row.getText(2)));

        Path png = Path.of(System.getProperty("medsynth.screenshots", "target/screenshots"), "catalog.png");
        Rectangle window = screenArea(this.window.getShell());
        Rectangle saved = saveScreenshot(window, png);
        assertEquals(window.width, saved.width);
        assertEquals(window.height, saved.height);
    }

    @Test
    void refreshesWhenAnExtensionIsAddedAndRemoved() {
        String id = "test.ui.installed-later";
        IExtensionRegistry registry = Platform.getExtensionRegistry();
        String pluginXml = """
                <plugin><extension id="installedLater" point="org.medsynth.core.evaluators">
                <evaluator id="%s" name="Installed later" kind="task"
                           class="org.medsynth.ui.tests.UnrunnableTestEvaluator"/>
                </extension></plugin>""".formatted(id);
        // as a p2 install would: a new extension appears while the view is open (token null: see the pom's argLine)
        boolean added = registry.addContribution(new ByteArrayInputStream(pluginXml.getBytes(StandardCharsets.UTF_8)),
                ContributorFactoryOSGi.createContributor(FrameworkUtil.getBundle(getClass())), false, "installed later",
                null, null);
        assertTrue(added, "the registry rejected the test contribution");
        try {
            spinUntil(() -> rows().contains("evaluator " + id), "row for " + id + " after the extension was added");
            assertEquals(rowsOf(Contributions.get().all()), rows());
        } finally {
            IExtension extension = registry.getExtension("org.medsynth.ui.tests.installedLater");
            assertNotNull(extension, "added extension not found");
            assertTrue(registry.removeExtension(extension, null), "the registry refused to remove the test extension");
        }
        spinUntil(() -> !rows().contains("evaluator " + id), "row for " + id + " gone after the extension was removed");
    }

    private void selectKind(int index) {
        kinds.select(index);
        kinds.notifyListeners(SWT.Selection, new Event());
    }

    private List<String> rows() {
        List<String> rows = new ArrayList<>();
        for (TableItem item : table.getItems()) {
            rows.add(item.getText(0) + " " + item.getText(1));
        }
        return rows;
    }

    private static List<String> rowsOf(List<Contribution> contributions) {
        return contributions.stream().map(c -> c.kind().element() + " " + c.id()).toList();
    }

    private TableItem itemWithId(String id) {
        for (TableItem item : table.getItems()) {
            if (item.getText(1).equals(id)) {
                return item;
            }
        }
        return fail("no row with id " + id + " in " + rows());
    }

    private static String bundleVersion() {
        return FrameworkUtil.getBundle(CatalogViewTest.class).getVersion().toString();
    }

    private Control find(String name) {
        Control control = find(window.getShell(), name);
        assertNotNull(control, "no control named " + name);
        return control;
    }

    private static Control find(Control control, String name) {
        if (name.equals(control.getData(MedSynthUi.WIDGET_KEY))) {
            return control;
        }
        if (control instanceof Composite composite) {
            for (Control child : composite.getChildren()) {
                Control found = find(child, name);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /**
     * Runs the event loop until the condition holds. Registry events reach the view through another thread and an
     * asyncExec, so there is no moment to assert at; the deadline only turns a missing refresh into a failure, not a hang.
     */
    private void spinUntil(BooleanSupplier condition, String what) {
        boolean[] expired = new boolean[1];
        Runnable deadline = () -> expired[0] = true;
        display.timerExec(30_000, deadline);
        try {
            while (!condition.getAsBoolean()) {
                if (expired[0]) {
                    fail("no " + what + "; rows: " + rows());
                }
                if (!display.readAndDispatch()) {
                    display.sleep();
                }
            }
        } finally {
            display.timerExec(-1, deadline);
        }
    }

    /**
     * Where the window is on the screen, menu bar to status line. Without a window manager (Xvfb) SWT adds estimated
     * decorations to the shell's bounds; the client area is exact, so the window ends where the client area ends.
     */
    private Rectangle screenArea(Shell shell) {
        shell.forceActive();
        shell.update();
        while (display.readAndDispatch()) {
            // drain pending paints so the copy shows the current state
        }
        Rectangle outer = shell.getBounds();
        Rectangle client = display.map(shell, null, shell.getClientArea());
        return new Rectangle(outer.x, outer.y, client.x + client.width - outer.x, client.y + client.height - outer.y);
    }

    /** Copies part of the screen into a PNG, the test's visual record of the catalog; returns the size read back. */
    private Rectangle saveScreenshot(Rectangle bounds, Path png) throws Exception {
        Image image = new Image(display, bounds.width, bounds.height);
        try {
            GC gc = new GC(display);
            try {
                gc.copyArea(image, bounds.x, bounds.y);
            } finally {
                gc.dispose();
            }
            ImageLoader loader = new ImageLoader();
            loader.data = new ImageData[] { image.getImageData() };
            Files.createDirectories(png.getParent());
            loader.save(png.toString(), SWT.IMAGE_PNG);
        } finally {
            image.dispose();
        }
        ImageData written = new ImageLoader().load(png.toString())[0];
        return new Rectangle(0, 0, written.width, written.height);
    }
}
