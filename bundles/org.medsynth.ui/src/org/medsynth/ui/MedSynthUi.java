package org.medsynth.ui;

/** Ids of the MedSynth workbench contributions, for the application, other UI bundles and UI tests. */
public final class MedSynthUi {
    public static final String PLUGIN_ID = "org.medsynth.ui";
    public static final String PERSPECTIVE_ID = "org.medsynth.ui.perspective";
    public static final String CATALOG_VIEW_ID = "org.medsynth.ui.catalogView";
    /** The workbench's Progress view (running jobs, with cancel), declared by this bundle for RCP products. */
    public static final String PROGRESS_VIEW_ID = "org.eclipse.ui.views.ProgressView";

    /**
     * Key of {@code Widget.setData(key, name)}: names the controls that tests drive (the same convention as SWTBot's
     * widget key), so a test need not depend on widget order.
     */
    public static final String WIDGET_KEY = "org.medsynth.ui.widget";

    /** Widget names in the catalog view. */
    public static final String CATALOG_FILTER = "catalog.filter";
    public static final String CATALOG_KIND = "catalog.kind";
    public static final String CATALOG_TABLE = "catalog.table";
    public static final String CATALOG_DESCRIPTION = "catalog.description";
    public static final String CATALOG_PARAMETERS = "catalog.parameters";

    private MedSynthUi() {
    }
}
