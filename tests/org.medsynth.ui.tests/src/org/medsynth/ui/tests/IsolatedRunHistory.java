package org.medsynth.ui.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.eclipse.jface.dialogs.ErrorDialog;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.medsynth.core.jobs.RunHistory;

/**
 * Gives a test class its own run history folder, and puts error dialogs in automated mode: a failed run would
 * otherwise open a modal ErrorDialog that no one closes (its record still says what failed).
 */
final class IsolatedRunHistory implements BeforeAllCallback, AfterAllCallback {
    private Path folder;
    private String previousFolder;
    private boolean previousErrorDialogMode;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        folder = Files.createTempDirectory("medsynth-runs");
        previousFolder = System.setProperty(RunHistory.FOLDER_PROPERTY, folder.toString());
        previousErrorDialogMode = ErrorDialog.AUTOMATED_MODE;
        ErrorDialog.AUTOMATED_MODE = true;
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (previousFolder == null) {
            System.clearProperty(RunHistory.FOLDER_PROPERTY);
        } else {
            System.setProperty(RunHistory.FOLDER_PROPERTY, previousFolder);
        }
        ErrorDialog.AUTOMATED_MODE = previousErrorDialogMode;
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
