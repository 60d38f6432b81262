package org.medsynth.ui.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import net.imglib2.Cursor;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.core.api.Contribution.Kind;
import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.core.image.Provenance;
import org.medsynth.core.jobs.GenerationJob;
import org.medsynth.core.registry.Contributions;
import org.medsynth.core.registry.ImageFormats;
import org.medsynth.ui.MedSynthUi;
import org.medsynth.ui.internal.viewer.Cine;
import org.medsynth.ui.internal.viewer.ImageViewerView;
import org.medsynth.ui.internal.viewer.Plane;
import org.medsynth.ui.internal.viewer.SlicePane;
import org.medsynth.ui.internal.viewer.ViewerState;
import org.medsynth.ui.internal.viewer.VolumeSlicer;
import org.medsynth.ui.internal.viewer.Window;
import org.medsynth.ui.viewer.Annotation;
import org.medsynth.ui.viewer.ImageViewers;

/**
 * Opens a CT torso phantom volume and two Shepp–Logan images in the viewer and drives it with keys, wheel, drag and
 * the window choice; every rendered slice is compared with the slice read independently through the format registry.
 */
@ExtendWith(IsolatedRunHistory.class)
class ImageViewerTest {

    @TempDir
    Path temp;

    private final Display display = Display.getCurrent();
    private final IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();

    @Test
    void scrollsSlicesAndChangesTheWindowOfAVolume() throws Exception {
        Path torso = generate("phantom.torso", Map.of("dimensions", "3", "size", "32", "slices", "16",
                "supersampling", "1"), temp.resolve("torso"));
        ImageViewerView view = open(List.of(torso));
        Shell shell = view.getSite().getShell();
        SlicePane axial = UiTestSupport.find(shell, MedSynthUi.VIEWER_PANE_PREFIX + "axial", SlicePane.class);
        SlicePane coronal = UiTestSupport.find(shell, MedSynthUi.VIEWER_PANE_PREFIX + "coronal", SlicePane.class);
        VolumeSlicer truth = new VolumeSlicer(ImageFormats.get().read(torso));
        ViewerState state = view.state();
        assertEquals(new Window(40, 400), state.window(), "CT opens in the soft-tissue window");
        assertEquals(8, axial.sliceIndex(), "the middle slice first");
        assertRendered(axial, truth, state.window());
        byte[] before = axial.renderedPixels().data.clone();

        Event up = new Event();
        up.keyCode = SWT.ARROW_UP;
        axial.notifyListeners(SWT.KeyDown, up);
        assertEquals(9, axial.sliceIndex());
        assertRendered(axial, truth, state.window());
        assertFalse(Arrays.equals(before, axial.renderedPixels().data), "the next slice looks different");

        Event wheel = new Event();
        wheel.count = -3;
        coronal.notifyListeners(SWT.MouseVerticalWheel, wheel);
        assertEquals(15, coronal.sliceIndex(), "one slice per wheel event, down from the middle row 16");
        assertEquals(15, state.cursor()[1], "the linked cursor moved with the coronal slice");
        assertRendered(coronal, truth, state.window());

        Combo presets = UiTestSupport.find(shell, MedSynthUi.VIEWER_WINDOW, Combo.class);
        presets.select(Arrays.asList(presets.getItems()).indexOf("Bone"));
        presets.notifyListeners(SWT.Selection, new Event());
        Window bone = new Window(400, 1800);
        assertEquals(bone, state.window());
        assertRendered(axial, truth, bone);

        mouse(axial, SWT.MouseDown, 40, 40);
        mouse(axial, SWT.MouseMove, 80, 60);
        mouse(axial, SWT.MouseUp, 80, 60);
        Window dragged = bone.dragged(40, 20, state.windowSensitivity());
        assertEquals(dragged, state.window(), "drag right widens, drag down raises the level");
        assertRendered(axial, truth, dragged);
        assertRendered(coronal, truth, dragged);

        view.setAnnotations(List.of(Annotation.landmark("heart", 16, 16, 9),
                Annotation.line("end plate", new double[] { 8, 20, 9 }, new double[] { 24, 22, 9 })));
        UiTestSupport.saveScreenshot(display, UiTestSupport.screenArea(shell), UiTestSupport.screenshot("image-viewer-volume.png"));
    }

    @Test
    void comparesTwoImagesWithTheirDifference() throws Exception {
        Path clean = generate("phantom.shepp-logan", Map.of("size", "32", "noise-sigma", "0"), temp.resolve("clean"));
        Path noisy = generate("phantom.shepp-logan", Map.of("size", "32", "noise-sigma", "0.1"), temp.resolve("noisy"));
        ImageViewerView view = open(List.of(noisy, clean));
        Shell shell = view.getSite().getShell();
        SlicePane difference = UiTestSupport.find(shell, MedSynthUi.VIEWER_PANE_PREFIX + "axial.difference", SlicePane.class);
        VolumeSlicer a = new VolumeSlicer(ImageFormats.get().read(noisy));
        VolumeSlicer b = new VolumeSlicer(ImageFormats.get().read(clean));
        float[] va = new float[32 * 32];
        float[] vb = new float[32 * 32];
        a.extract(Plane.AXIAL, 0, 0, va);
        b.extract(Plane.AXIAL, 0, 0, vb);
        Window window = new Window(0, view.state().window().width());
        ImageData pixels = difference.renderedPixels();
        boolean anyNonZero = false;
        for (int i = 0; i < va.length; i++) {
            int expected = window.level(va[i] - vb[i]);
            assertEquals(expected, pixels.data[(i / 32) * pixels.bytesPerLine + (i % 32) * 3] & 0xFF, "pixel " + i);
            anyNonZero |= expected != 128;
        }
        assertTrue(anyNonZero, "the noise shows in the difference");
        assertNotNull(UiTestSupport.find(shell, MedSynthUi.VIEWER_PANE_PREFIX + "axial.1", SlicePane.class));
        UiTestSupport.saveScreenshot(display, UiTestSupport.screenArea(shell), UiTestSupport.screenshot("image-viewer-compare.png"));
    }

    @Test
    void playsTheSlicesOfAVolumeAsACineAndStepsThemWithKeys() throws Exception {
        Path torso = generate("phantom.torso", Map.of("dimensions", "3", "size", "24", "slices", "12",
                "supersampling", "1"), temp.resolve("cine"));
        ImageViewerView view = open(List.of(torso));
        Shell shell = view.getSite().getShell();
        SlicePane axial = UiTestSupport.find(shell, MedSynthUi.VIEWER_PANE_PREFIX + "axial", SlicePane.class);
        VolumeSlicer truth = new VolumeSlicer(ImageFormats.get().read(torso));
        Cine cine = view.cine();
        Button play = UiTestSupport.find(shell, MedSynthUi.VIEWER_PLAY, Button.class);
        Spinner rate = UiTestSupport.find(shell, MedSynthUi.VIEWER_RATE, Spinner.class);
        rate.setSelection(30);
        rate.notifyListeners(SWT.Selection, new Event());
        assertEquals(30, cine.framesPerSecond());

        play.notifyListeners(SWT.Selection, new Event());
        assertTrue(cine.isPlaying());
        Set<Integer> seen = new TreeSet<>();
        UiTestSupport.spinUntil(display, () -> {
            seen.add(axial.sliceIndex());
            return seen.size() >= 5;
        }, () -> "the cine showed only the axial slices " + seen);
        assertRendered(axial, truth, view.state().window(), 0);
        UiTestSupport.saveScreenshot(display, UiTestSupport.screenArea(shell), UiTestSupport.screenshot("image-viewer-cine.png"));

        play.notifyListeners(SWT.Selection, new Event());
        assertFalse(cine.isPlaying());
        int paused = axial.sliceIndex();
        while (display.readAndDispatch()) {
            // a frame already on its way must not move the paused film
        }
        assertEquals(paused, axial.sliceIndex());

        axial.notifyListeners(SWT.KeyDown, key(' ', 0));
        assertTrue(cine.isPlaying(), "space plays");
        int before = axial.sliceIndex();
        axial.notifyListeners(SWT.KeyDown, key('\0', SWT.ARROW_RIGHT));
        assertFalse(cine.isPlaying(), "stepping pauses");
        assertEquals((before + 1) % 12, axial.sliceIndex());
        axial.notifyListeners(SWT.KeyDown, key('\0', SWT.ARROW_LEFT));
        axial.notifyListeners(SWT.KeyDown, key('\0', SWT.ARROW_LEFT));
        assertEquals(Math.floorMod(before - 1, 12), axial.sliceIndex(), "Left steps back, wrapping round");
        assertRendered(axial, truth, view.state().window(), 0);
    }

    @Test
    void playsTheTimeFramesOfA3dPlusTImage() throws Exception {
        int frames = 4;
        Img<FloatType> pixels = ArrayImgs.floats(10, 8, 3, frames);
        Cursor<FloatType> values = pixels.localizingCursor();
        while (values.hasNext()) {
            values.fwd();
            // each frame a brighter copy of a gradient: every frame, slice and pixel differs
            values.get().set(values.getIntPosition(0) + 10 * values.getIntPosition(1) + 100 * values.getIntPosition(2)
                    + 1000 * values.getIntPosition(3));
        }
        Path file = temp.resolve("beating.mha");
        ImageFormats.get().write(new MedicalImage<>(pixels, Geometry.isotropic(3, 1), Modality.MR, IntensityUnit.ARBITRARY,
                List.of("t0", "t1", "t2", "t3"), Provenance.acquired()), file);
        ImageViewerView view = open(List.of(file));
        Shell shell = view.getSite().getShell();
        SlicePane axial = UiTestSupport.find(shell, MedSynthUi.VIEWER_PANE_PREFIX + "axial", SlicePane.class);
        VolumeSlicer truth = new VolumeSlicer(ImageFormats.get().read(file));
        ViewerState state = view.state();
        assertEquals(frames, state.frames());
        assertTrue(view.cine().playsFrames());
        state.setWindow(new Window(2000, 4000)); // all frames inside the window, so each frame renders differently

        UiTestSupport.find(shell, MedSynthUi.VIEWER_PLAY, Button.class).notifyListeners(SWT.Selection, new Event());
        Set<Integer> seen = new TreeSet<>();
        UiTestSupport.spinUntil(display, () -> {
            seen.add(state.frame());
            return seen.size() == frames;
        }, () -> "the cine showed only the frames " + seen);
        assertEquals(1, axial.sliceIndex(), "the slice stays while the frames play");
        view.cine().pause();
        assertRendered(axial, truth, state.window(), state.frame());
        SlicePane coronal = UiTestSupport.find(shell, MedSynthUi.VIEWER_PANE_PREFIX + "coronal", SlicePane.class);
        assertRendered(coronal, truth, state.window(), state.frame());
    }

    private static Event key(char character, int keyCode) {
        Event event = new Event();
        event.character = character;
        event.keyCode = keyCode;
        return event;
    }

    private ImageViewerView open(List<Path> files) throws Exception {
        ImageViewers.open(page, files);
        ImageViewerView view = (ImageViewerView) page.findView(MedSynthUi.VIEWER_VIEW_ID);
        String expected = files.get(0).getFileName().toString();
        UiTestSupport.spinUntil(display, () -> view.getPartName().endsWith(expected) && view.state() != null
                && view.state().names().size() == files.size(), () -> "the viewer never showed " + files);
        return view;
    }

    /** Every pixel of the pane's slice is the windowed value of the same voxel read independently. */
    private static void assertRendered(SlicePane pane, VolumeSlicer truth, Window window) {
        assertRendered(pane, truth, window, 0);
    }

    /** The same for one time frame (channel) of a 3D+t image. */
    private static void assertRendered(SlicePane pane, VolumeSlicer truth, Window window, int frame) {
        Plane plane = pane.plane();
        int width = truth.width(plane);
        int height = truth.height(plane);
        float[] values = new float[width * height];
        truth.extract(plane, pane.sliceIndex(), frame, values);
        ImageData pixels = pane.renderedPixels();
        byte[] expected = new byte[width * height];
        byte[] actual = new byte[width * height];
        for (int row = 0; row < height; row++) {
            for (int column = 0; column < width; column++) {
                expected[row * width + column] = (byte) window.level(values[row * width + column]);
                actual[row * width + column] = pixels.data[row * pixels.bytesPerLine + column * 3 + 1];
            }
        }
        assertArrayEquals(expected, actual, plane + " slice " + pane.sliceIndex() + " in " + window);
    }

    private static void mouse(SlicePane pane, int type, int x, int y) {
        Event event = new Event();
        event.button = 1;
        event.x = x;
        event.y = y;
        pane.notifyListeners(type, event);
    }

    private Path generate(String generator, Map<String, String> parameters, Path folder) {
        GenerationJob job = new GenerationJob(Contributions.get().require(Kind.GENERATOR, generator), parameters, 3, 1,
                List.of(), folder, List.of("mha"), "cpu");
        job.schedule();
        UiTestSupport.spinUntil(display, () -> job.getResult() != null, () -> generator + " did not finish");
        assertTrue(job.getResult().isOK(), job.getResult().toString());
        return job.outputs().get(0);
    }
}
