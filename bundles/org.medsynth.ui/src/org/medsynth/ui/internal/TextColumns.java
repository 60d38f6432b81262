package org.medsynth.ui.internal;

import java.util.function.Function;

import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.ColumnViewerToolTipSupport;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.medsynth.ui.MedSynthUi;

/** Tables of MedSynth's views, and their one column kind: text of each row and a tooltip (null for none). */
public final class TextColumns {
    private TextColumns() {
    }

    /**
     * A single-selection table viewer with header, lines, tooltips and an array input, named {@code widgetName} for
     * tests (see {@link MedSynthUi#WIDGET_KEY}).
     */
    public static TableViewer table(Composite parent, String widgetName) {
        TableViewer viewer = new TableViewer(parent, SWT.SINGLE | SWT.FULL_SELECTION | SWT.BORDER | SWT.V_SCROLL | SWT.H_SCROLL);
        viewer.getTable().setHeaderVisible(true);
        viewer.getTable().setLinesVisible(true);
        viewer.getTable().setData(MedSynthUi.WIDGET_KEY, widgetName);
        viewer.setContentProvider(ArrayContentProvider.getInstance());
        ColumnViewerToolTipSupport.enableFor(viewer);
        return viewer;
    }

    /** Adds the column; the caller sets its width or layout data. */
    @SuppressWarnings("unchecked")
    public static <T> TableViewerColumn add(TableViewer viewer, String title, Function<T, String> text,
            Function<T, String> tooltip) {
        TableViewerColumn column = new TableViewerColumn(viewer, SWT.LEFT);
        column.getColumn().setText(title);
        column.setLabelProvider(new ColumnLabelProvider() {
            @Override
            public String getText(Object element) {
                return text.apply((T) element);
            }

            @Override
            public String getToolTipText(Object element) {
                return tooltip.apply((T) element);
            }
        });
        return column;
    }
}
