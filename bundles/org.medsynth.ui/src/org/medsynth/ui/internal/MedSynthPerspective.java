package org.medsynth.ui.internal;

import org.eclipse.ui.IFolderLayout;
import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IPerspectiveFactory;
import org.medsynth.ui.MedSynthUi;

/**
 * The catalog, dataset explorer, image viewer, training monitor and evaluation report share the top of the window;
 * below it, running jobs (with cancel) in the Progress view beside the run history, and finished runs in the Run
 * results view, so all stay visible while a run goes on. Every view is also in Window > Show View.
 */
public class MedSynthPerspective implements IPerspectiveFactory {
    @Override
    public void createInitialLayout(IPageLayout layout) {
        String editorArea = layout.getEditorArea();
        layout.setEditorAreaVisible(false);
        IFolderLayout top = layout.createFolder("org.medsynth.ui.topFolder", IPageLayout.TOP, 0.75f, editorArea);
        top.addView(MedSynthUi.CATALOG_VIEW_ID);
        top.addView(MedSynthUi.DATASET_VIEW_ID);
        top.addView(MedSynthUi.VIEWER_VIEW_ID);
        top.addView(MedSynthUi.TRAINING_VIEW_ID);
        top.addView(MedSynthUi.REPORT_VIEW_ID);
        IFolderLayout bottom = layout.createFolder("org.medsynth.ui.bottomFolder", IPageLayout.BOTTOM, 0.65f,
                "org.medsynth.ui.topFolder");
        bottom.addView(MedSynthUi.PROGRESS_VIEW_ID);
        bottom.addView(MedSynthUi.HISTORY_VIEW_ID);
        layout.addView(MedSynthUi.RESULTS_VIEW_ID, IPageLayout.RIGHT, 0.3f, "org.medsynth.ui.bottomFolder");
        for (String view : new String[] { MedSynthUi.CATALOG_VIEW_ID, MedSynthUi.VIEWER_VIEW_ID, MedSynthUi.PROGRESS_VIEW_ID,
                MedSynthUi.RESULTS_VIEW_ID, MedSynthUi.HISTORY_VIEW_ID, MedSynthUi.TRAINING_VIEW_ID,
                MedSynthUi.REPORT_VIEW_ID, MedSynthUi.DATASET_VIEW_ID }) {
            layout.addShowViewShortcut(view);
        }
    }
}
