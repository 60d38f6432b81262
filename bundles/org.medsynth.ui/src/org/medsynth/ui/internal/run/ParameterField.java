package org.medsynth.ui.internal.run;

import java.util.function.Consumer;
import java.util.function.Supplier;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.medsynth.core.api.ParameterSpec;
import org.medsynth.ui.MedSynthUi;

/**
 * One declared parameter as a form row (label, control, and a Browse button for paths) in a three-column grid. The
 * control holds the same text a CLI option would be given, and is checked by the declaration's own
 * {@link ParameterSpec#parse}, so the GUI accepts exactly what the CLI accepts. Used by the run dialog and by the
 * dataset explorer (a layout's parameters).
 */
public final class ParameterField {
    private final ParameterSpec spec;
    private final Supplier<String> text;
    private final Consumer<String> setter;

    private ParameterField(ParameterSpec spec, Supplier<String> text, Consumer<String> setter) {
        this.spec = spec;
        this.text = text;
        this.setter = setter;
    }

    /**
     * Adds the row for {@code spec} to {@code parent}, its control named {@code widgetPrefix} + the parameter's name
     * (see {@link MedSynthUi#WIDGET_KEY}); {@code changed} runs after every edit.
     */
    public static ParameterField create(Composite parent, ParameterSpec spec, String widgetPrefix, Runnable changed) {
        String tooltip = (spec.help().isBlank() ? "" : spec.help() + "\n") + spec.describeRange();
        Label label = new Label(parent, SWT.NONE);
        label.setText(spec.unit().isEmpty() ? spec.name() : spec.name() + " (" + spec.unit() + ")");
        label.setToolTipText(tooltip);

        Control control;
        Supplier<String> text;
        Consumer<String> setter;
        boolean browse = false;
        switch (spec.type()) {
            case BOOLEAN -> {
                Button check = new Button(parent, SWT.CHECK);
                check.setSelection(spec.defaultValue() != null && (Boolean) spec.parse(spec.defaultValue()));
                check.addListener(SWT.Selection, e -> changed.run());
                text = () -> Boolean.toString(check.getSelection());
                setter = value -> check.setSelection(Boolean.parseBoolean(value));
                control = check;
            }
            case CHOICE -> {
                Combo combo = new Combo(parent, SWT.READ_ONLY | SWT.DROP_DOWN);
                spec.choices().forEach(combo::add);
                if (spec.defaultValue() != null) {
                    combo.select(spec.choices().indexOf(spec.defaultValue().trim()));
                }
                combo.addListener(SWT.Selection, e -> changed.run());
                text = combo::getText;
                setter = value -> combo.select(spec.choices().indexOf(value));
                control = combo;
            }
            default -> {
                Text field = new Text(parent, SWT.BORDER | SWT.SINGLE);
                field.setText(spec.defaultValue() == null ? "" : spec.defaultValue());
                // an emptied field means "not given": the declared default applies, as when a CLI option is left out
                field.setMessage(spec.required() ? "required" : "default " + spec.defaultValue());
                field.addModifyListener(e -> changed.run());
                text = field::getText;
                setter = field::setText;
                control = field;
                browse = spec.type() == ParameterSpec.Type.PATH;
            }
        }
        control.setToolTipText(tooltip);
        control.setData(MedSynthUi.WIDGET_KEY, widgetPrefix + spec.name());
        GridDataFactory.fillDefaults().grab(true, false).span(browse ? 1 : 2, 1).applyTo(control);
        if (browse) {
            FileChoosers.browseButton(parent, (Text) control, "Browse…", false);
        }
        return new ParameterField(spec, text, setter);
    }

    public String name() {
        return spec.name();
    }

    /** Puts a value as the CLI would be given it into the control (an earlier run's parameter). */
    void setValue(String value) {
        setter.accept(value);
    }

    /** The entered text, trimmed; empty when nothing is given. */
    public String value() {
        return text.get().trim();
    }

    /** Why the entered value cannot be run, naming the parameter and its allowed range; null when it can. */
    public String problem() {
        String value = value();
        if (value.isEmpty()) {
            return spec.required() ? "parameter '" + spec.name() + "' is required (" + spec.describeRange() + ")" : null;
        }
        try {
            spec.parse(value);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage() + " (allowed: " + spec.describeRange() + ")";
        }
    }
}
