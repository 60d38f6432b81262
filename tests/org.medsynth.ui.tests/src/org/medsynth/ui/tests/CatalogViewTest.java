package org.medsynth.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.ContributorFactoryOSGi;
import org.eclipse.core.runtime.IExtension;
import org.eclipse.core.runtime.IExtensionRegistry;
import org.eclipse.core.runtime.Platform;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
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

        Rectangle window = UiTestSupport.screenArea(this.window.getShell());
        Rectangle saved = UiTestSupport.saveScreenshot(display, window, UiTestSupport.screenshot("catalog.png"));
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
            UiTestSupport.spinUntil(display, () -> rows().contains("evaluator " + id),
                    () -> "no row for " + id + " after the extension was added; rows: " + rows());
            assertEquals(rowsOf(Contributions.get().all()), rows());
        } finally {
            IExtension extension = registry.getExtension("org.medsynth.ui.tests.installedLater");
            assertNotNull(extension, "added extension not found");
            assertTrue(registry.removeExtension(extension, null), "the registry refused to remove the test extension");
        }
        UiTestSupport.spinUntil(display, () -> !rows().contains("evaluator " + id),
                () -> "no row for " + id + " gone after the extension was removed; rows: " + rows());
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
        return UiTestSupport.find(window.getShell(), name, Control.class);
    }
}
