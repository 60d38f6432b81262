package org.medsynth.ui.internal.preferences;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.preference.PreferencePage;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.IWorkbenchPreferencePage;
import org.medsynth.core.jobs.JobPreferences;
import org.medsynth.ml.Devices;
import org.medsynth.ui.MedSynthUi;

/**
 * Window > Preferences > MedSynth: the device new runs default to (the CPU and every GPU the engine reports, asked in
 * a job because starting the engine takes a moment), model folders, and the memory budget for opening an image.
 */
public class MedSynthPreferencePage extends PreferencePage implements IWorkbenchPreferencePage {
    private static final int MAX_BUDGET_MB = 1 << 20;

    private Combo device;
    private org.eclipse.swt.widgets.List folders;
    private Spinner budget;
    private Label engineStatus;

    @Override
    public void init(IWorkbench workbench) {
        setDescription("Defaults for runs started from the workbench.");
    }

    @Override
    protected Control createContents(Composite parent) {
        Composite page = new Composite(parent, SWT.NONE);
        GridLayoutFactory.swtDefaults().numColumns(3).applyTo(page);

        label(page, "&Device:", "Where new runs compute: cpu, or gpu:N (jobs on one GPU run one after the other)");
        device = new Combo(page, SWT.READ_ONLY | SWT.DROP_DOWN);
        device.setData(MedSynthUi.WIDGET_KEY, MedSynthUi.PREFERENCES_DEVICE);
        GridDataFactory.fillDefaults().span(2, 1).applyTo(device);
        showDevices(List.of("cpu"), JobPreferences.device());
        engineStatus = new Label(page, SWT.WRAP);
        engineStatus.setText("Asking the engine for GPUs…");
        GridDataFactory.fillDefaults().span(3, 1).grab(true, false).applyTo(engineStatus);
        listDevicesInJob();

        label(page, "&Model folders:", "Folders with trained models; file choosers of the run dialog start in the first");
        folders = new org.eclipse.swt.widgets.List(page, SWT.BORDER | SWT.MULTI | SWT.V_SCROLL);
        folders.setData(MedSynthUi.WIDGET_KEY, MedSynthUi.PREFERENCES_MODEL_FOLDERS);
        GridDataFactory.fillDefaults().grab(true, true).hint(300, 80).applyTo(folders);
        JobPreferences.modelFolders().forEach(p -> folders.add(p.toString()));
        Composite buttons = new Composite(page, SWT.NONE);
        GridLayoutFactory.fillDefaults().applyTo(buttons);
        GridDataFactory.fillDefaults().align(SWT.FILL, SWT.BEGINNING).applyTo(buttons);
        Button add = new Button(buttons, SWT.PUSH);
        add.setText("&Add…");
        add.addListener(SWT.Selection, e -> {
            String folder = new DirectoryDialog(getShell()).open();
            if (folder != null) {
                folders.add(folder);
            }
        });
        Button remove = new Button(buttons, SWT.PUSH);
        remove.setText("&Remove");
        remove.addListener(SWT.Selection, e -> folders.remove(folders.getSelectionIndices()));

        label(page, "Memory &budget (MiB):", "The largest image the viewer and the dataset explorer open");
        budget = new Spinner(page, SWT.BORDER);
        budget.setValues(JobPreferences.memoryBudgetMb(), 1, MAX_BUDGET_MB, 0, 256, 1024);
        budget.setData(MedSynthUi.WIDGET_KEY, MedSynthUi.PREFERENCES_MEMORY);
        GridDataFactory.fillDefaults().span(2, 1).applyTo(budget);
        return page;
    }

    private static void label(Composite parent, String text, String tooltip) {
        Label label = new Label(parent, SWT.NONE);
        label.setText(text);
        label.setToolTipText(tooltip);
    }

    private void showDevices(List<String> ids, String chosen) {
        device.setItems(ids.toArray(String[]::new));
        if (!ids.contains(chosen)) {
            device.add(chosen); // a stored GPU not seen now stays choosable (the engine may lack CUDA today)
        }
        device.setText(chosen);
    }

    private void listDevicesInJob() {
        Job.create("List compute devices", monitor -> {
            String text;
            List<String> ids;
            try {
                ids = Devices.available().stream().map(Devices::id).toList();
                text = "The engine can compute on: " + String.join(", ", ids);
            } catch (RuntimeException | LinkageError e) {
                ids = List.of("cpu");
                text = "The engine could not be asked for GPUs (" + e.getMessage() + "); the CPU always works.";
            }
            List<String> found = ids;
            String message = text;
            if (!device.isDisposed()) {
                device.getDisplay().asyncExec(() -> {
                    if (!device.isDisposed()) {
                        showDevices(found, device.getText());
                        engineStatus.setText(message);
                        engineStatus.getParent().layout();
                    }
                });
            }
            return Status.OK_STATUS;
        }).schedule();
    }

    @Override
    protected void performDefaults() {
        showDevices(Arrays.asList(device.getItems()), JobPreferences.DEFAULT_DEVICE);
        folders.removeAll();
        budget.setSelection(JobPreferences.DEFAULT_MEMORY_BUDGET_MB);
        super.performDefaults();
    }

    @Override
    public boolean performOk() {
        try {
            JobPreferences.store(device.getText(), Arrays.stream(folders.getItems()).map(Path::of).toList(),
                    budget.getSelection());
            return true;
        } catch (Exception e) {
            setErrorMessage("The preferences could not be saved: " + e.getMessage());
            return false;
        }
    }
}
