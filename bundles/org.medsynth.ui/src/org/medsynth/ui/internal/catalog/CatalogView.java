package org.medsynth.ui.internal.catalog;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.eclipse.core.runtime.IExtension;
import org.eclipse.core.runtime.IExtensionPoint;
import org.eclipse.core.runtime.IExtensionRegistry;
import org.eclipse.core.runtime.IRegistryEventListener;
import org.eclipse.core.runtime.Platform;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnViewerToolTipSupport;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.part.ViewPart;
import org.medsynth.core.api.Contribution;
import org.medsynth.core.api.Contribution.Kind;
import org.medsynth.core.registry.Contributions;
import org.medsynth.ui.MedSynthUi;
import org.medsynth.ui.internal.TextColumns;
import org.medsynth.ui.internal.run.RunDialog;
import org.medsynth.ui.internal.run.RunLauncher;

/**
 * Every installed contribution (generators, evaluators, formats, adapters, trainers) as declared in plugin.xml, with a
 * search box, a kind filter and the selected entry's description and parameters. It only lists declarations; no
 * contributed class is loaded here. A generator or evaluator opens the run dialog (Run… or double-click).
 */
public class CatalogView extends ViewPart {
    private static final String ALL_KINDS = "All kinds";

    private final CatalogFilter filter = new CatalogFilter();
    /** One per extension point: the registry keeps only the first filter of a listener object added twice. */
    private final List<IRegistryEventListener> registryListeners = new ArrayList<>();

    private TableViewer viewer;
    private Label count;
    private Button run;
    private ContributionDetails details;
    private Display display;

    @Override
    public void createPartControl(Composite parent) {
        display = parent.getDisplay();
        SashForm sash = new SashForm(parent, SWT.VERTICAL);
        Composite top = new Composite(sash, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(4).margins(4, 4).applyTo(top);
        createFilterBar(top);
        createTable(top);
        details = new ContributionDetails(sash);
        sash.setWeights(1, 1);

        getSite().setSelectionProvider(viewer);
        viewer.addSelectionChangedListener(event -> {
            details.show(selected(event.getSelection()));
            run.setEnabled(RunDialog.canRun(selected(event.getSelection())));
        });
        viewer.addDoubleClickListener(event -> openRunDialog(selected(event.getSelection())));
        refresh();
        listenToRegistry();
    }

    private void createFilterBar(Composite parent) {
        Text search = new Text(parent, SWT.SEARCH | SWT.ICON_SEARCH | SWT.ICON_CANCEL | SWT.BORDER);
        search.setMessage("Filter by id, name, specialty, modality or task");
        search.setData(MedSynthUi.WIDGET_KEY, MedSynthUi.CATALOG_FILTER);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(search);
        search.addModifyListener(e -> {
            filter.setText(search.getText());
            applyFilter();
        });

        Combo kinds = new Combo(parent, SWT.READ_ONLY | SWT.DROP_DOWN);
        kinds.setData(MedSynthUi.WIDGET_KEY, MedSynthUi.CATALOG_KIND);
        kinds.add(ALL_KINDS);
        for (Kind kind : Kind.values()) {
            kinds.add(kind.element());
        }
        kinds.select(0);
        kinds.addListener(SWT.Selection, e -> {
            int index = kinds.getSelectionIndex();
            filter.setKind(index <= 0 ? null : Kind.values()[index - 1]);
            applyFilter();
        });

        count = new Label(parent, SWT.NONE);
        GridDataFactory.fillDefaults().align(SWT.END, SWT.CENTER).hint(220, SWT.DEFAULT).applyTo(count);

        run = new Button(parent, SWT.PUSH);
        run.setText("Run…");
        run.setToolTipText("Run the selected generator or evaluator as a job (or double-click its row)");
        run.setData(MedSynthUi.WIDGET_KEY, MedSynthUi.CATALOG_RUN);
        run.setEnabled(false);
        run.addListener(SWT.Selection, e -> openRunDialog(selected(viewer.getSelection())));
    }

    /** Generators and evaluators run; the other kinds are only listed. */
    private void openRunDialog(Contribution contribution) {
        if (RunDialog.canRun(contribution)) {
            RunLauncher.open(getViewSite(), contribution, null);
        }
    }

    private void createTable(Composite parent) {
        viewer = new TableViewer(parent, SWT.SINGLE | SWT.FULL_SELECTION | SWT.BORDER | SWT.V_SCROLL | SWT.H_SCROLL);
        viewer.getTable().setHeaderVisible(true);
        viewer.getTable().setLinesVisible(true);
        viewer.getTable().setData(MedSynthUi.WIDGET_KEY, MedSynthUi.CATALOG_TABLE);
        GridDataFactory.fillDefaults().grab(true, true).span(4, 1).applyTo(viewer.getTable());
        viewer.setContentProvider(ArrayContentProvider.getInstance());
        viewer.addFilter(filter);
        ColumnViewerToolTipSupport.enableFor(viewer);
        for (CatalogColumn column : CatalogColumn.values()) {
            TextColumns.<Contribution>add(viewer, column.title, column.text,
                    c -> c.description().isBlank() ? null : c.description()).getColumn().setWidth(column.width);
        }
    }

    /** Re-reads the declarations, keeping the selection where the entry still exists. */
    private void refresh() {
        ISelection selection = viewer.getSelection();
        viewer.setInput(Contributions.get().all());
        viewer.setSelection(selection, true);
        details.show(selected(viewer.getSelection()));
        run.setEnabled(RunDialog.canRun(selected(viewer.getSelection())));
        updateCount();
    }

    private void applyFilter() {
        viewer.refresh();
        updateCount();
    }

    private void updateCount() {
        int shown = viewer.getTable().getItemCount();
        int total = ((List<?>) viewer.getInput()).size();
        int skipped = Contributions.get().problems().size();
        count.setText(shown + " of " + total + " shown" + (skipped == 0 ? "" : ", " + skipped + " malformed skipped (see log)"));
    }

    private static Contribution selected(ISelection selection) {
        return selection instanceof IStructuredSelection s && s.getFirstElement() instanceof Contribution c ? c : null;
    }

    private void listenToRegistry() {
        // Contributions.get() registered its cache invalidation in refresh() above; the registry calls listeners in
        // the order they were added, so our re-read sees the new declarations.
        IExtensionRegistry registry = Platform.getExtensionRegistry();
        Set<String> points = new LinkedHashSet<>();
        for (Kind kind : Kind.values()) {
            points.add(kind.extensionPointId());
        }
        for (String point : points) {
            IRegistryEventListener listener = new RefreshOnChange();
            registryListeners.add(listener);
            registry.addListener(listener, point);
        }
    }

    /** Registry events arrive on the registry's event thread; the table may only be touched on the display thread. */
    private final class RefreshOnChange implements IRegistryEventListener {
        @Override
        public void added(IExtension[] extensions) {
            refreshLater();
        }

        @Override
        public void removed(IExtension[] extensions) {
            refreshLater();
        }

        @Override
        public void added(IExtensionPoint[] points) {
            refreshLater();
        }

        @Override
        public void removed(IExtensionPoint[] points) {
            refreshLater();
        }

        private void refreshLater() {
            if (display.isDisposed()) {
                return;
            }
            display.asyncExec(() -> {
                if (!viewer.getControl().isDisposed()) {
                    refresh();
                }
            });
        }
    }

    @Override
    public void setFocus() {
        viewer.getControl().setFocus();
    }

    @Override
    public void dispose() {
        registryListeners.forEach(Platform.getExtensionRegistry()::removeListener);
        super.dispose();
    }
}
