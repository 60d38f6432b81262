package org.medsynth.ui.internal;

import java.util.function.Function;

import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.swt.SWT;

/** A table column showing text of each row and a tooltip (null for none): the one column kind MedSynth's views use. */
public final class TextColumns {
    private TextColumns() {
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
