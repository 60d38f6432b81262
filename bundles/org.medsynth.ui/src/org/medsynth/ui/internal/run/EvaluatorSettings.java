package org.medsynth.ui.internal.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.medsynth.core.api.Contribution;
import org.medsynth.core.jobs.EvaluationJob;
import org.medsynth.core.jobs.MedSynthJob;
import org.medsynth.core.jobs.RunRecord;
import org.medsynth.ui.MedSynthUi;

/** Reference and candidate of an evaluation: two images, or two folders paired by file name (as the CLI pairs them). */
final class EvaluatorSettings implements RunSettings {
    private final Contribution evaluator;
    private Text reference;
    private Text candidate;

    EvaluatorSettings(Contribution evaluator) {
        this.evaluator = evaluator;
    }

    @Override
    public void create(Composite parent, Runnable changed) {
        reference = pathRow(parent, "Reference", MedSynthUi.RUN_REFERENCE,
                "The reference image, or a folder of them (paired with the candidates by file name).", changed);
        candidate = pathRow(parent, "Candidate", MedSynthUi.RUN_CANDIDATE,
                "The image to compare, or a folder of them (paired with the references by file name).", changed);
    }

    private static Text pathRow(Composite parent, String label, String widgetName, String help, Runnable changed) {
        Label name = new Label(parent, SWT.NONE);
        name.setText(label);
        name.setToolTipText(help);
        Text path = new Text(parent, SWT.BORDER | SWT.SINGLE);
        path.setMessage("image file or folder");
        path.setToolTipText(help);
        path.setData(MedSynthUi.WIDGET_KEY, widgetName);
        path.addModifyListener(e -> changed.run());
        GridDataFactory.fillDefaults().grab(true, false).applyTo(path);
        Composite buttons = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).applyTo(buttons);
        FileChoosers.browseButton(buttons, path, "File…", false);
        FileChoosers.browseButton(buttons, path, "Folder…", true);
        return path;
    }

    @Override
    public String problem() {
        if (reference.getText().isBlank()) {
            return "choose the reference image or folder";
        }
        if (candidate.getText().isBlank()) {
            return "choose the candidate image or folder";
        }
        return null;
    }

    /** The record lists the references, then the candidates: one of each is a file pair, more are two folders. */
    @Override
    public void prefill(RunRecord record) {
        List<RunRecord.FileEntry> inputs = record.inputs();
        int half = inputs.size() / 2;
        if (half == 0) {
            return;
        }
        reference.setText(half == 1 ? inputs.get(0).path() : Path.of(inputs.get(0).path()).getParent().toString());
        candidate.setText(half == 1 ? inputs.get(1).path() : Path.of(inputs.get(half).path()).getParent().toString());
    }

    @Override
    public MedSynthJob createJob(Map<String, String> parameters) throws IOException {
        List<EvaluationJob.Pair> pairs = EvaluationJob.pair(Path.of(reference.getText().trim()),
                Path.of(candidate.getText().trim()));
        return new EvaluationJob(List.of(evaluator), parameters, pairs, null);
    }
}
