package org.medsynth.ui.internal.run;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Group;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.medsynth.core.api.Contribution;
import org.medsynth.core.api.ParameterSpec;
import org.medsynth.core.jobs.MedSynthJob;
import org.medsynth.core.jobs.RunRecord;
import org.medsynth.ui.MedSynthUi;

/**
 * Collects what one run of a generator or evaluator needs and builds its job. The parameter form is generated from
 * the contribution's declared parameters; nothing here knows a particular generator. Problems show in the message
 * area and keep Run disabled. The dialog only builds the job: the caller schedules it.
 */
public final class RunDialog extends TitleAreaDialog {
    private final Contribution contribution;
    private final RunSettings settings;
    private final List<ParameterField> fields = new ArrayList<>();
    private final RunRecord earlierRun;
    private MedSynthJob job;

    /**
     * @param earlierRun a run of the same contribution whose settings and parameters fill the form, or null for the
     *                   defaults
     * @throws IllegalArgumentException when the contribution is neither a generator nor an evaluator
     */
    public RunDialog(Shell parent, Contribution contribution, RunRecord earlierRun) {
        super(parent);
        this.contribution = contribution;
        this.earlierRun = earlierRun;
        this.settings = RunSettings.forContribution(contribution);
        if (settings == null) {
            throw new IllegalArgumentException(contribution.id() + " is a " + contribution.kind().element()
                    + ", which does not run on its own");
        }
        setHelpAvailable(false);
    }

    /** Whether a run dialog exists for this contribution's kind. */
    public static boolean canRun(Contribution contribution) {
        return contribution != null && RunSettings.forContribution(contribution) != null;
    }

    @Override
    protected void configureShell(Shell shell) {
        super.configureShell(shell);
        shell.setText("Run " + contribution.name());
        shell.setData(MedSynthUi.WIDGET_KEY, MedSynthUi.RUN_DIALOG);
    }

    @Override
    protected boolean isResizable() {
        return true;
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        Composite area = (Composite) super.createDialogArea(parent);
        setTitle(contribution.name() + "  (" + contribution.kind().element() + " " + contribution.id() + ")");
        Composite content = new Composite(area, SWT.NONE);
        GridLayoutFactory.swtDefaults().applyTo(content);
        GridDataFactory.fillDefaults().grab(true, true).hint(560, SWT.DEFAULT).applyTo(content);

        settings.create(group(content, "Run"), this::validate);

        Composite parameters = group(content, "Parameters");
        if (contribution.parameters().isEmpty()) {
            new Label(parameters, SWT.NONE).setText("This " + contribution.kind().element() + " declares no parameters.");
        }
        for (ParameterSpec spec : contribution.parameters()) {
            fields.add(ParameterField.create(parameters, spec, MedSynthUi.RUN_PARAMETER_PREFIX, this::validate));
        }
        if (earlierRun != null) {
            settings.prefill(earlierRun);
            Map<String, String> recorded = earlierRun.parameters();
            fields.stream().filter(f -> recorded.containsKey(f.name())).forEach(f -> f.setValue(recorded.get(f.name())));
        }
        return area;
    }

    private static Composite group(Composite parent, String title) {
        Group group = new Group(parent, SWT.NONE);
        group.setText(title);
        GridLayoutFactory.swtDefaults().numColumns(3).applyTo(group);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(group);
        return group;
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        createButton(parent, IDialogConstants.OK_ID, "Run", true).setData(MedSynthUi.WIDGET_KEY, MedSynthUi.RUN_OK);
        createButton(parent, IDialogConstants.CANCEL_ID, IDialogConstants.CANCEL_LABEL, false);
        validate();
    }

    /** Shows the first problem (settings first, then parameters in declaration order) and enables Run without one. */
    private void validate() {
        if (getButton(IDialogConstants.OK_ID) == null) {
            return; // still building the form; createButtonsForButtonBar validates once everything exists
        }
        String problem = settings.problem();
        for (int i = 0; problem == null && i < fields.size(); i++) {
            problem = fields.get(i).problem();
        }
        setErrorMessage(problem);
        if (problem == null) {
            setMessage("Runs as a job: progress and Cancel in the Progress view, results in Run results.");
        }
        getButton(IDialogConstants.OK_ID).setEnabled(problem == null);
    }

    @Override
    protected void okPressed() {
        Map<String, String> given = new LinkedHashMap<>();
        for (ParameterField field : fields) {
            if (!field.value().isEmpty()) {
                given.put(field.name(), field.value());
            }
        }
        try {
            job = settings.createJob(given);
        } catch (IOException | IllegalArgumentException e) {
            // e.g. two folders with no file name in common: say so here, where it can be corrected
            setErrorMessage(e.getMessage());
            return;
        }
        super.okPressed();
    }

    /** The job to schedule, once the dialog was closed with Run; null otherwise. */
    public MedSynthJob job() {
        return job;
    }
}
