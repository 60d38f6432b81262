package org.medsynth.ui.internal.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.RowLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.swt.widgets.Text;
import org.medsynth.core.api.Contribution;
import org.medsynth.core.jobs.DeviceRule;
import org.medsynth.core.jobs.GenerationJob;
import org.medsynth.core.jobs.JobPreferences;
import org.medsynth.core.jobs.MedSynthJob;
import org.medsynth.core.jobs.RunRecord;
import org.medsynth.core.registry.ImageFormats;
import org.medsynth.ui.MedSynthUi;

/** Output folder, seed, count, output formats, input files (for conditional generators) and device of a generation. */
final class GeneratorSettings implements RunSettings {
    /** The CLI's limit for --count. */
    private static final int MAX_COUNT = 10_000;
    private static final String DEFAULT_FORMAT = "mha";

    private final Contribution generator;
    private final Map<String, Button> formats = new LinkedHashMap<>();
    private Text outputFolder;
    private Text seed;
    private Spinner count;
    private Text inputs;
    private Combo device;

    GeneratorSettings(Contribution generator) {
        this.generator = generator;
    }

    /** Whether the generator takes input files: it declares an input kind other than 'none'. */
    private boolean takesInputs() {
        return inputKinds().stream().anyMatch(kind -> !kind.equals("none"));
    }

    /** Whether it cannot run without them: 'none' is not among its input kinds (e.g. "image2d,none" is optional). */
    private boolean needsInputs() {
        return takesInputs() && !inputKinds().contains("none");
    }

    private List<String> inputKinds() {
        return Arrays.stream(generator.attribute("inputKind").split(",")).map(String::trim)
                .filter(kind -> !kind.isEmpty()).toList();
    }

    @Override
    public void create(Composite parent, Runnable changed) {
        outputFolder = text(parent, "Output folder", MedSynthUi.RUN_OUTPUT_FOLDER,
                "Folder the outputs and a copy of the run record are moved into when the run succeeds.", 1);
        outputFolder.setText(Path.of(System.getProperty("user.home"), "medsynth-out", generator.id()).toString());
        outputFolder.addModifyListener(e -> changed.run());
        FileChoosers.browseButton(parent, outputFolder, "Browse…", true);

        seed = text(parent, "Seed", MedSynthUi.RUN_SEED, "Random seed: equal seeds and parameters give equal outputs.", 2);
        seed.setText("0");
        seed.addModifyListener(e -> changed.run());

        label(parent, "Count", "Number of samples to generate.");
        count = new Spinner(parent, SWT.BORDER);
        count.setValues(1, 1, MAX_COUNT, 0, 1, 10);
        count.setData(MedSynthUi.WIDGET_KEY, MedSynthUi.RUN_COUNT);
        GridDataFactory.fillDefaults().span(2, 1).applyTo(count);

        label(parent, "Output formats", "Every output is written in each chosen format.");
        Composite formatRow = new Composite(parent, SWT.NONE);
        RowLayoutFactory.fillDefaults().spacing(12).applyTo(formatRow);
        GridDataFactory.fillDefaults().span(2, 1).applyTo(formatRow);
        for (String extension : ImageFormats.get().knownExtensions(true)) {
            Button check = new Button(formatRow, SWT.CHECK);
            check.setText(extension);
            check.setSelection(extension.equals(DEFAULT_FORMAT));
            check.setData(MedSynthUi.WIDGET_KEY, MedSynthUi.RUN_FORMAT_PREFIX + extension);
            check.addListener(SWT.Selection, e -> changed.run());
            formats.put(extension, check);
        }

        if (takesInputs()) {
            String help = "Conditioning images (" + generator.attribute("inputKind") + "), one path per line"
                    + (needsInputs() ? "." : "; optional.");
            label(parent, "Input files", help);
            inputs = new Text(parent, SWT.BORDER | SWT.MULTI | SWT.V_SCROLL);
            inputs.setToolTipText(help);
            inputs.setData(MedSynthUi.WIDGET_KEY, MedSynthUi.RUN_INPUTS);
            GridDataFactory.fillDefaults().grab(true, false).hint(SWT.DEFAULT, inputs.getLineHeight() * 3).applyTo(inputs);
            inputs.addModifyListener(e -> changed.run());
            Button add = new Button(parent, SWT.PUSH);
            add.setText("Add…");
            GridDataFactory.fillDefaults().align(SWT.FILL, SWT.BEGINNING).applyTo(add);
            add.addListener(SWT.Selection, e -> addInputFiles());
        }

        label(parent, "Device", "cpu, or gpu:N for a GPU: jobs on the same GPU run one after the other.");
        device = new Combo(parent, SWT.DROP_DOWN);
        device.setItems("cpu", "gpu:0");
        device.setText(JobPreferences.device()); // Window > Preferences > MedSynth
        device.setData(MedSynthUi.WIDGET_KEY, MedSynthUi.RUN_DEVICE);
        device.addModifyListener(e -> changed.run());
        GridDataFactory.fillDefaults().span(2, 1).applyTo(device);
    }

    private void addInputFiles() {
        FileDialog dialog = new FileDialog(inputs.getShell(), SWT.OPEN | SWT.MULTI);
        if (dialog.open() == null) {
            return;
        }
        for (String name : dialog.getFileNames()) {
            String line = Path.of(dialog.getFilterPath(), name).toString();
            inputs.append(inputs.getText().isBlank() ? line : inputs.getLineDelimiter() + line);
        }
    }

    private static Text text(Composite parent, String label, String widgetName, String help, int span) {
        label(parent, label, help);
        Text text = new Text(parent, SWT.BORDER | SWT.SINGLE);
        text.setToolTipText(help);
        text.setData(MedSynthUi.WIDGET_KEY, widgetName);
        GridDataFactory.fillDefaults().grab(true, false).span(span, 1).applyTo(text);
        return text;
    }

    private static Label label(Composite parent, String text, String help) {
        Label label = new Label(parent, SWT.NONE);
        label.setText(text);
        label.setToolTipText(help);
        return label;
    }

    @Override
    public String problem() {
        if (outputFolder.getText().isBlank()) {
            return "choose an output folder";
        }
        try {
            Long.parseLong(seed.getText().trim());
        } catch (NumberFormatException e) {
            return "seed: '" + seed.getText() + "' is not an integer";
        }
        if (chosenFormats().isEmpty()) {
            return "choose at least one output format";
        }
        if (needsInputs() && inputFiles().isEmpty()) {
            return generator.name() + " needs input files (" + generator.attribute("inputKind") + ")";
        }
        try {
            DeviceRule.of(device.getText());
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        return null;
    }

    private List<String> chosenFormats() {
        List<String> chosen = new ArrayList<>();
        formats.forEach((extension, check) -> {
            if (check.getSelection()) {
                chosen.add(extension);
            }
        });
        return chosen;
    }

    private List<Path> inputFiles() {
        if (inputs == null) {
            return List.of();
        }
        return Arrays.stream(inputs.getText().split("\\R")).map(String::trim).filter(s -> !s.isEmpty()).map(Path::of)
                .toList();
    }

    /**
     * The output folder and formats come from the outputs the run wrote (each sample once per format), seed, inputs
     * and device from the record.
     */
    @Override
    public void prefill(RunRecord record) {
        seed.setText(Long.toString(record.seed()));
        device.setText(record.device());
        List<Path> outputs = record.outputs().stream().map(entry -> Path.of(entry.path())).toList();
        if (!outputs.isEmpty()) {
            outputFolder.setText(outputs.get(0).getParent().toString());
            Set<String> written = new HashSet<>();
            formats.forEach((extension, check) -> {
                boolean used = outputs.stream().anyMatch(p -> p.getFileName().toString().endsWith("." + extension));
                check.setSelection(used);
                if (used) {
                    written.add(extension);
                }
            });
            count.setSelection(Math.max(1, outputs.size() / Math.max(1, written.size())));
        }
        if (inputs != null) {
            inputs.setText(String.join(inputs.getLineDelimiter(),
                    record.inputs().stream().map(RunRecord.FileEntry::path).toList()));
        }
    }

    @Override
    public MedSynthJob createJob(Map<String, String> parameters) {
        return new GenerationJob(generator, parameters, Long.parseLong(seed.getText().trim()), count.getSelection(),
                inputFiles(), Path.of(outputFolder.getText().trim()), chosenFormats(), device.getText().trim());
    }
}
