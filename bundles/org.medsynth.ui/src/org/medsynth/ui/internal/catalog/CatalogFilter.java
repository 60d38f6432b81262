package org.medsynth.ui.internal.catalog;

import java.util.Locale;
import java.util.stream.Stream;

import org.eclipse.jface.viewers.Viewer;
import org.eclipse.jface.viewers.ViewerFilter;
import org.medsynth.core.api.Contribution;
import org.medsynth.core.api.Contribution.Kind;

/** Keeps the contributions of the chosen kind whose id, name, specialty, modality or task contains the search text. */
final class CatalogFilter extends ViewerFilter {
    private String text = "";
    private Kind kind;

    /** Case-insensitive; blank matches everything. */
    void setText(String text) {
        this.text = text.trim().toLowerCase(Locale.ROOT);
    }

    /** {@code null} for every kind. */
    void setKind(Kind kind) {
        this.kind = kind;
    }

    @Override
    public boolean select(Viewer viewer, Object parent, Object element) {
        return element instanceof Contribution c && matches(c);
    }

    boolean matches(Contribution c) {
        if (kind != null && c.kind() != kind) {
            return false;
        }
        return text.isEmpty() || Stream.of(c.id(), c.name(), c.specialty(), c.modality(), c.task())
                .anyMatch(field -> field.toLowerCase(Locale.ROOT).contains(text));
    }
}
