package org.medsynth.ui.internal.catalog;

import java.util.function.Function;

import org.medsynth.core.api.Contribution;

/** The columns of the catalog table, each with the text it shows for a contribution. */
enum CatalogColumn {
    KIND("Kind", 80, c -> c.kind().element()),
    ID("Id", 200, Contribution::id),
    NAME("Name", 220, Contribution::name),
    SPECIALTY("Specialty", 110, Contribution::specialty),
    MODALITY("Modality", 70, Contribution::modality),
    TASK("Task", 130, Contribution::task),
    VERSION("Version", 110, Contribution::version),
    BUNDLE("Bundle", 180, Contribution::bundle);

    final String title;
    final int width;
    final Function<Contribution, String> text;

    CatalogColumn(String title, int width, Function<Contribution, String> text) {
        this.title = title;
        this.width = width;
        this.text = text;
    }
}
