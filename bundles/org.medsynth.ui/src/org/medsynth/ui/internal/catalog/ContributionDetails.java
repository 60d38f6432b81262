package org.medsynth.ui.internal.catalog;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.TableColumnLayout;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnViewerToolTipSupport;
import org.eclipse.jface.viewers.ColumnWeightData;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.medsynth.core.api.Contribution;
import org.medsynth.core.api.ParameterSpec;
import org.medsynth.ui.MedSynthUi;
import org.medsynth.ui.internal.TextColumns;

/** The lower half of the catalog: what the selected contribution is and which parameters it declares. */
final class ContributionDetails {
    private final Composite control;
    private final Label title;
    private final Text description;
    private final TableViewer parameters;

    ContributionDetails(Composite parent) {
        control = new Composite(parent, SWT.NONE);
        control.setLayout(new GridLayout(1, false));

        title = new Label(control, SWT.NONE);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(title);

        description = new Text(control, SWT.MULTI | SWT.WRAP | SWT.READ_ONLY | SWT.V_SCROLL | SWT.BORDER);
        description.setData(MedSynthUi.WIDGET_KEY, MedSynthUi.CATALOG_DESCRIPTION);
        GridDataFactory.fillDefaults().grab(true, false).hint(SWT.DEFAULT, description.getLineHeight() * 5).applyTo(description);

        Label parametersLabel = new Label(control, SWT.NONE);
        parametersLabel.setText("Parameters");

        // TableColumnLayout needs the table alone in its composite
        Composite tableHolder = new Composite(control, SWT.NONE);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(tableHolder);
        TableColumnLayout columnLayout = new TableColumnLayout();
        tableHolder.setLayout(columnLayout);
        parameters = new TableViewer(tableHolder, SWT.SINGLE | SWT.FULL_SELECTION | SWT.BORDER | SWT.V_SCROLL);
        parameters.getTable().setHeaderVisible(true);
        parameters.getTable().setLinesVisible(true);
        parameters.getTable().setData(MedSynthUi.WIDGET_KEY, MedSynthUi.CATALOG_PARAMETERS);
        parameters.setContentProvider(ArrayContentProvider.getInstance());
        ColumnViewerToolTipSupport.enableFor(parameters);
        addColumn(columnLayout, "Name", 2, ParameterSpec::name);
        addColumn(columnLayout, "Type, range, default", 3, ParameterSpec::describeRange);
        addColumn(columnLayout, "Help", 6, ParameterSpec::help);
        show(null);
    }

    private void addColumn(TableColumnLayout layout, String header, int weight, Function<ParameterSpec, String> text) {
        layout.setColumnData(TextColumns.add(parameters, header, text, ParameterSpec::help).getColumn(),
                new ColumnWeightData(weight, 60, true));
    }

    Composite getControl() {
        return control;
    }

    /** Shows one contribution, or a hint when {@code null}. */
    void show(Contribution contribution) {
        if (contribution == null) {
            title.setText("Select a contribution to see its description and parameters.");
            description.setText("");
            parameters.setInput(new Object[0]);
            return;
        }
        title.setText(contribution.name() + "  (" + contribution.kind().element() + " " + contribution.id() + ", "
                + contribution.bundle() + " " + contribution.version() + ")");
        description.setText(describe(contribution));
        parameters.setInput(contribution.parameters());
        control.layout(true, true);
    }

    /** The description, then every declared attribute, so nothing the plugin.xml says is hidden. */
    private static String describe(Contribution contribution) {
        StringBuilder text = new StringBuilder(contribution.description().isBlank()
                ? "(no description)" : contribution.description().strip());
        Map<String, String> attributes = new TreeMap<>(contribution.attributes());
        if (!attributes.isEmpty()) {
            text.append(System.lineSeparator());
            attributes.forEach((key, value) -> text.append(System.lineSeparator()).append(key).append(": ").append(value));
        }
        return text.toString();
    }
}
