package org.medsynth.ui;

/** Ids of the MedSynth workbench contributions, for the application, other UI bundles and UI tests. */
public final class MedSynthUi {
    public static final String PLUGIN_ID = "org.medsynth.ui";
    public static final String PERSPECTIVE_ID = "org.medsynth.ui.perspective";
    public static final String CATALOG_VIEW_ID = "org.medsynth.ui.catalogView";
    /** Finished runs (started from the GUI or anywhere in the process), with their outputs or metric values. */
    public static final String RESULTS_VIEW_ID = "org.medsynth.ui.resultsView";
    /** 2D images and 3D volumes, alone or side by side with their difference. */
    public static final String VIEWER_VIEW_ID = "org.medsynth.ui.imageViewer";
    /** Every run record in the run history, re-runnable. */
    public static final String HISTORY_VIEW_ID = "org.medsynth.ui.runHistory";
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
    public static final String CATALOG_RUN = "catalog.run";

    /** Widget names in the run dialog; a declared parameter's field is {@link #RUN_PARAMETER_PREFIX} + its name. */
    public static final String RUN_DIALOG = "run.dialog";
    public static final String RUN_PARAMETER_PREFIX = "run.parameter.";
    public static final String RUN_OUTPUT_FOLDER = "run.output";
    public static final String RUN_SEED = "run.seed";
    public static final String RUN_COUNT = "run.count";
    /** Prefix of the output format check boxes, followed by the file ending (e.g. {@code run.format.mha}). */
    public static final String RUN_FORMAT_PREFIX = "run.format.";
    public static final String RUN_INPUTS = "run.inputs";
    public static final String RUN_DEVICE = "run.device";
    public static final String RUN_REFERENCE = "run.reference";
    public static final String RUN_CANDIDATE = "run.candidate";
    public static final String RUN_OK = "run.ok";

    /** Widget names in the Run results view. */
    public static final String RESULTS_TABLE = "results.table";
    public static final String RESULTS_DETAILS = "results.details";

    /** Widget names in the image viewer; a pane is {@link #VIEWER_PANE_PREFIX} + plane (+ "." + image index when comparing). */
    public static final String VIEWER_WINDOW = "viewer.window";
    public static final String VIEWER_COLOR_MAP = "viewer.colormap";
    public static final String VIEWER_OPACITY = "viewer.opacity";
    public static final String VIEWER_STATUS = "viewer.status";
    /** Play/pause of the cine, and its frames per second. */
    public static final String VIEWER_PLAY = "viewer.play";
    public static final String VIEWER_RATE = "viewer.rate";
    public static final String VIEWER_PANE_PREFIX = "viewer.pane.";

    /** Widget names in the Run history view. */
    public static final String HISTORY_TABLE = "history.table";
    public static final String HISTORY_DETAILS = "history.details";
    public static final String HISTORY_RUN_AGAIN = "history.runAgain";
    public static final String HISTORY_OPEN = "history.open";
    public static final String HISTORY_REFRESH = "history.refresh";

    /** Loss curve and latest sample of the running training job. */
    public static final String TRAINING_VIEW_ID = "org.medsynth.ui.trainingMonitor";
    public static final String TRAINING_RESUME = "training.resume";
    public static final String TRAINING_STATUS = "training.status";
    /** The trainer's speed: "step N/M · X it/s · ETA". */
    public static final String TRAINING_RATE = "training.rate";
    public static final String TRAINING_CHART = "training.chart";
    public static final String TRAINING_SAMPLE = "training.sample";

    /** Tables and plots of a report.json written by medsynth evaluate --report. */
    public static final String REPORT_VIEW_ID = "org.medsynth.ui.evaluationReport";
    public static final String REPORT_SUMMARY = "report.summary";
    public static final String REPORT_CASES = "report.cases";
    public static final String REPORT_CHART = "report.chart";
    public static final String REPORT_STATUS = "report.status";
    public static final String REPORT_EXPORT_HTML = "report.exportHtml";
    public static final String REPORT_EXPORT_CSV = "report.exportCsv";
    public static final String REPORT_EXPORT_PNG = "report.exportPng";

    /**
     * A dataset opened through a layout: its cases with patient, images, conditions, thumbnail and split. A layout
     * parameter's field is {@link #DATASET_PARAMETER_PREFIX} + its name.
     */
    public static final String DATASET_VIEW_ID = "org.medsynth.ui.datasetExplorer";
    public static final String DATASET_LAYOUT = "dataset.layout";
    public static final String DATASET_LOCATION = "dataset.location";
    public static final String DATASET_OPEN_LAYOUT = "dataset.openLayout";
    public static final String DATASET_PARAMETER_PREFIX = "dataset.parameter.";
    public static final String DATASET_SPLIT_TRAIN = "dataset.split.train";
    public static final String DATASET_SPLIT_VAL = "dataset.split.val";
    public static final String DATASET_SPLIT_TEST = "dataset.split.test";
    public static final String DATASET_SPLIT_SEED = "dataset.split.seed";
    public static final String DATASET_SPLIT_FILE = "dataset.split.file";
    public static final String DATASET_MAKE_SPLIT = "dataset.makeSplit";
    public static final String DATASET_TABLE = "dataset.table";
    public static final String DATASET_STATUS = "dataset.status";
    public static final String DATASET_OPEN = "dataset.open";

    /** Widget names on the MedSynth preference page. */
    public static final String PREFERENCES_PAGE_ID = "org.medsynth.ui.preferences";
    public static final String PREFERENCES_DEVICE = "preferences.device";
    public static final String PREFERENCES_MODEL_FOLDERS = "preferences.modelFolders";
    public static final String PREFERENCES_MEMORY = "preferences.memory";

    private MedSynthUi() {
    }
}
