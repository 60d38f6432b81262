package org.medsynth.ui.internal;

import org.eclipse.ui.IFolderLayout;
import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IPerspectiveFactory;
import org.medsynth.ui.MedSynthUi;

/**
 * The catalog fills the window; below it, running jobs (with cancel) in the Progress view and finished runs in the Run
 * results view, side by side so both are visible while a run goes on.
 */
public class MedSynthPerspective implements IPerspectiveFactory {
    @Override
    public void createInitialLayout(IPageLayout layout) {
        String editorArea = layout.getEditorArea();
        layout.setEditorAreaVisible(false);
        layout.addView(MedSynthUi.CATALOG_VIEW_ID, IPageLayout.TOP, 0.75f, editorArea);
        IFolderLayout bottom = layout.createFolder("org.medsynth.ui.bottomFolder", IPageLayout.BOTTOM, 0.65f,
                MedSynthUi.CATALOG_VIEW_ID);
        bottom.addView(MedSynthUi.PROGRESS_VIEW_ID);
        layout.addView(MedSynthUi.RESULTS_VIEW_ID, IPageLayout.RIGHT, 0.3f, "org.medsynth.ui.bottomFolder");
        layout.addShowViewShortcut(MedSynthUi.CATALOG_VIEW_ID);
        layout.addShowViewShortcut(MedSynthUi.PROGRESS_VIEW_ID);
        layout.addShowViewShortcut(MedSynthUi.RESULTS_VIEW_ID);
    }
}
