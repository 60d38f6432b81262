package org.medsynth.ui.tests;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Listener;
import org.eclipse.swt.widgets.Shell;
import org.medsynth.ui.MedSynthUi;

/** Finding named widgets, waiting for the event loop, and screenshots: shared by the workbench tests. */
final class UiTestSupport {
    private UiTestSupport() {
    }

    /** The control below {@code root} named {@code name} (see {@link MedSynthUi#WIDGET_KEY}); fails when there is none. */
    static <T extends Control> T find(Control root, String name, Class<T> type) {
        Control control = search(root, name);
        assertNotNull(control, "no control named " + name);
        return type.cast(control);
    }

    static Control search(Control control, String name) {
        if (name.equals(control.getData(MedSynthUi.WIDGET_KEY))) {
            return control;
        }
        if (control instanceof Composite composite) {
            for (Control child : composite.getChildren()) {
                Control found = search(child, name);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /**
     * Runs the event loop until the condition holds. What is awaited (a job's end, a registry event) reaches the UI
     * through another thread and an asyncExec, so there is no moment to assert at; the deadline only turns something
     * that never happens into a failure instead of a hang.
     */
    static void spinUntil(Display display, BooleanSupplier condition, Supplier<String> whatIsMissing) {
        boolean[] expired = new boolean[1];
        Runnable deadline = () -> expired[0] = true;
        display.timerExec(120_000, deadline);
        try {
            while (!condition.getAsBoolean()) {
                if (expired[0]) {
                    fail(whatIsMissing.get());
                }
                if (!display.readAndDispatch()) {
                    display.sleep();
                }
            }
        } finally {
            display.timerExec(-1, deadline);
        }
    }

    /**
     * Where a shell is on the screen, menu bar to status line. Without a window manager (Xvfb) SWT adds estimated
     * decorations to the shell's bounds; the client area is exact, so the window ends where the client area ends.
     */
    static Rectangle screenArea(Shell shell) {
        Display display = shell.getDisplay();
        shell.forceActive();
        awaitRepaint(shell);
        while (display.readAndDispatch()) {
            // drain pending paints so the copy shows the current state
        }
        Rectangle outer = shell.getBounds();
        Rectangle client = display.map(shell, null, shell.getClientArea());
        return new Rectangle(outer.x, outer.y, client.x + client.width - outer.x, client.y + client.height - outer.y);
    }

    /**
     * Repaints the shell and waits until it has been drawn. GTK 3 paints on its frame clock, so a field just set (or
     * a dialog just mapped) can still show its old pixels when the event queue is already empty.
     */
    private static void awaitRepaint(Shell shell) {
        boolean[] painted = new boolean[1];
        Listener paint = e -> painted[0] = true;
        shell.addListener(SWT.Paint, paint);
        try {
            Rectangle area = shell.getClientArea();
            shell.redraw(area.x, area.y, area.width, area.height, true);
            spinUntil(shell.getDisplay(), () -> painted[0], () -> "the shell was never repainted");
        } finally {
            shell.removeListener(SWT.Paint, paint);
        }
    }

    /** The folder the build collects screenshots in. */
    static Path screenshot(String fileName) {
        return Path.of(System.getProperty("medsynth.screenshots", "target/screenshots"), fileName);
    }

    /** Copies part of the screen into a PNG, the test's visual record; returns the size read back. */
    static Rectangle saveScreenshot(Display display, Rectangle bounds, Path png) throws Exception {
        Image image = new Image(display, bounds.width, bounds.height);
        try {
            GC gc = new GC(display);
            try {
                gc.copyArea(image, bounds.x, bounds.y);
            } finally {
                gc.dispose();
            }
            return save(image, png);
        } finally {
            image.dispose();
        }
    }

    private static Rectangle save(Image image, Path png) throws Exception {
        ImageLoader loader = new ImageLoader();
        loader.data = new ImageData[] { image.getImageData() };
        Files.createDirectories(png.getParent());
        loader.save(png.toString(), SWT.IMAGE_PNG);
        ImageData written = new ImageLoader().load(png.toString())[0];
        return new Rectangle(0, 0, written.width, written.height);
    }
}
