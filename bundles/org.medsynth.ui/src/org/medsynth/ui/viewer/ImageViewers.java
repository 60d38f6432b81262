package org.medsynth.ui.viewer;

import java.nio.file.Path;
import java.util.List;

import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PartInitException;
import org.medsynth.ui.MedSynthUi;
import org.medsynth.ui.internal.viewer.ImageViewerView;

/** Opens images in the MedSynth image viewer, for other views and UI bundles. */
public final class ImageViewers {
    private ImageViewers() {
    }

    /**
     * Shows the viewer and reads the files in a job: one file alone (a volume in three planes), several side by side
     * (e.g. input, generated, ground truth) with the difference of the last two.
     */
    public static void open(IWorkbenchPage page, List<Path> files) throws PartInitException {
        ImageViewerView view = (ImageViewerView) page.showView(MedSynthUi.VIEWER_VIEW_ID);
        view.open(files);
    }

    /** Draws landmarks and lines over the image the viewer shows (nothing when it shows none). */
    public static void annotate(IWorkbenchPage page, List<Annotation> annotations) throws PartInitException {
        ImageViewerView view = (ImageViewerView) page.showView(MedSynthUi.VIEWER_VIEW_ID);
        view.setAnnotations(annotations);
    }
}
