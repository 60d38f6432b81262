package org.medsynth.app.workbench;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.PlatformUI;

/**
 * The MedSynth RCP workbench (3.x API on the e4 compatibility layer). With {@code -Dmedsynth.autoclose=<seconds>} the
 * workbench closes itself after that time, so smoke tests can start the product and expect a clean exit.
 */
public class WorkbenchApplication implements IApplication {
    static final String AUTOCLOSE_PROPERTY = "medsynth.autoclose";

    @Override
    public Object start(IApplicationContext context) throws Exception {
        Integer autocloseSeconds = autocloseSeconds();
        Display display = PlatformUI.createDisplay();
        try {
            if (autocloseSeconds != null) {
                display.timerExec(autocloseSeconds * 1000, () -> {
                    System.out.println("MedSynth workbench: " + AUTOCLOSE_PROPERTY + "=" + autocloseSeconds + " reached, closing");
                    PlatformUI.getWorkbench().close();
                });
            }
            int code = PlatformUI.createAndRunWorkbench(display, new MedSynthWorkbenchAdvisor());
            return code == PlatformUI.RETURN_RESTART ? IApplication.EXIT_RESTART : IApplication.EXIT_OK;
        } finally {
            display.dispose();
        }
    }

    /** Parsed before the display opens, so a bad value fails with a message instead of a half-started window. */
    private static Integer autocloseSeconds() {
        String value = System.getProperty(AUTOCLOSE_PROPERTY);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            int seconds = Integer.parseInt(value.trim());
            if (seconds > 0) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // reported below together with non-positive values
        }
        throw new IllegalArgumentException(AUTOCLOSE_PROPERTY + " must be a positive number of seconds, not '" + value + "'");
    }

    @Override
    public void stop() {
        if (!PlatformUI.isWorkbenchRunning()) {
            return;
        }
        IWorkbench workbench = PlatformUI.getWorkbench();
        Display display = workbench.getDisplay();
        display.syncExec(() -> {
            if (!display.isDisposed()) {
                workbench.close();
            }
        });
    }
}
