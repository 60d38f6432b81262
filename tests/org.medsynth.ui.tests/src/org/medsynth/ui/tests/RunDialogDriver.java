package org.medsynth.ui.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.medsynth.ui.MedSynthUi;

/**
 * Drives the modal run dialog: its open() blocks in its own event loop, so the actions are posted beforehand and run
 * inside that loop, once the dialog's shell is visible.
 */
final class RunDialogDriver {
    private RunDialogDriver() {
    }

    interface Actions {
        void on(TitleAreaDialog dialog) throws Exception;
    }

    /** Presses {@code opener} (a button that opens the run dialog) and acts on the dialog. */
    static void pressAndDrive(Button opener, Actions actions) {
        Display display = opener.getDisplay();
        List<Throwable> failures = new ArrayList<>();
        boolean[] acted = new boolean[1];
        boolean[] buttonReturned = new boolean[1];
        Runnable driver = new Runnable() {
            @Override
            public void run() {
                if (buttonReturned[0]) {
                    return; // the dialog never opened; the test fails below
                }
                TitleAreaDialog dialog = visibleRunDialog(display);
                if (dialog == null) {
                    display.asyncExec(this);
                    return;
                }
                acted[0] = true;
                try {
                    actions.on(dialog);
                } catch (Throwable t) {
                    failures.add(t);
                    dialog.close();
                }
            }
        };
        display.asyncExec(driver);
        assertTrue(opener.isEnabled(), opener.getText() + " is disabled");
        opener.notifyListeners(SWT.Selection, new Event());
        buttonReturned[0] = true;
        if (!failures.isEmpty()) {
            throw new AssertionError("while driving the run dialog", failures.get(0));
        }
        assertTrue(acted[0], opener.getText() + " opened no run dialog");
    }

    private static TitleAreaDialog visibleRunDialog(Display display) {
        for (Shell shell : display.getShells()) {
            if (!shell.isDisposed() && shell.isVisible() && MedSynthUi.RUN_DIALOG.equals(shell.getData(MedSynthUi.WIDGET_KEY))) {
                return (TitleAreaDialog) shell.getData();
            }
        }
        return null;
    }

    static void setText(Shell shell, String name, String text) {
        UiTestSupport.find(shell, name, Text.class).setText(text); // fires Modify, which validates the form
    }

    static String text(Shell shell, String name) {
        return UiTestSupport.find(shell, name, Text.class).getText();
    }

    static void pressRun(Shell shell) {
        Button run = UiTestSupport.find(shell, MedSynthUi.RUN_OK, Button.class);
        assertTrue(run.isEnabled(), "Run disabled in the dialog");
        run.notifyListeners(SWT.Selection, new Event());
    }
}
