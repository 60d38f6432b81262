package org.medsynth.ui.internal.run;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Text;
import org.medsynth.core.jobs.JobPreferences;

/** Browse buttons that put a chosen file or folder into a text field, starting where the field points. */
final class FileChoosers {
    private FileChoosers() {
    }

    static Button browseButton(Composite parent, Text target, String label, boolean folder) {
        Button button = new Button(parent, SWT.PUSH);
        button.setText(label);
        button.addListener(SWT.Selection, e -> {
            String chosen = folder ? chooseFolder(target) : chooseFile(target);
            if (chosen != null) {
                target.setText(chosen);
            }
        });
        return button;
    }

    private static String chooseFolder(Text target) {
        DirectoryDialog dialog = new DirectoryDialog(target.getShell());
        dialog.setFilterPath(target.getText());
        return dialog.open();
    }

    private static String chooseFile(Text target) {
        FileDialog dialog = new FileDialog(target.getShell(), SWT.OPEN);
        dialog.setFileName(target.getText());
        if (target.getText().isBlank() && !JobPreferences.modelFolders().isEmpty()) {
            dialog.setFilterPath(JobPreferences.modelFolders().get(0).toString()); // inputs are mostly models
        }
        return dialog.open();
    }
}
