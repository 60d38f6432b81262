package org.medsynth.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.core.jobs.JobPreferences;
import org.medsynth.ui.MedSynthUi;
import org.medsynth.ui.internal.preferences.MedSynthPreferencePage;

/** The preference page stores device, model folders and memory budget where the run dialog and viewer read them. */
class PreferencePageTest {
    @TempDir
    Path models;

    @Test
    void storesTheChoicesInTheInstancePreferences() throws Exception {
        String device = JobPreferences.device();
        List<Path> folders = JobPreferences.modelFolders();
        int budget = JobPreferences.memoryBudgetMb();
        Display display = Display.getCurrent();
        Shell shell = new Shell(display);
        shell.setLayout(new FillLayout());
        try {
            MedSynthPreferencePage page = new MedSynthPreferencePage();
            page.init(PlatformUI.getWorkbench());
            page.createControl(shell);
            shell.setSize(640, 360);
            shell.open();
            Combo devices = UiTestSupport.find(shell, MedSynthUi.PREFERENCES_DEVICE, Combo.class);
            assertTrue(devices.indexOf("cpu") >= 0, "the CPU is always offered: " + List.of(devices.getItems()));
            devices.add("gpu:1");
            devices.setText("gpu:1");
            UiTestSupport.find(shell, MedSynthUi.PREFERENCES_MODEL_FOLDERS, org.eclipse.swt.widgets.List.class)
                    .add(models.toString());
            UiTestSupport.find(shell, MedSynthUi.PREFERENCES_MEMORY, Spinner.class).setSelection(512);
            UiTestSupport.saveScreenshot(display, UiTestSupport.screenArea(shell), UiTestSupport.screenshot("preferences.png"));
            assertTrue(page.performOk());
            assertEquals("gpu:1", JobPreferences.device());
            assertEquals(List.of(models), JobPreferences.modelFolders());
            assertEquals(512, JobPreferences.memoryBudgetMb());
        } finally {
            shell.dispose();
            JobPreferences.store(device, folders, budget);
        }
    }
}
