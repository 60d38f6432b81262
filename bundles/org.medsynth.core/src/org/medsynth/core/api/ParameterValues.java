package org.medsynth.core.api;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed, validated parameter values of one run: every declared parameter has a value (given or default); unknown
 * names are rejected. Built only through {@link #resolve}.
 */
public final class ParameterValues {
    private final Map<String, Object> values;
    private final Map<String, String> texts;

    private ParameterValues(Map<String, Object> values, Map<String, String> texts) {
        this.values = Collections.unmodifiableMap(values);
        this.texts = Collections.unmodifiableMap(texts);
    }

    /**
     * Validates {@code given} (name → text) against the declarations, filling defaults.
     *
     * @throws IllegalArgumentException naming the first unknown, missing or invalid parameter
     */
    public static ParameterValues resolve(List<ParameterSpec> specs, Map<String, String> given) {
        Map<String, ParameterSpec> byName = new LinkedHashMap<>();
        specs.forEach(s -> byName.put(s.name(), s));
        for (String name : given.keySet()) {
            if (!byName.containsKey(name)) {
                throw new IllegalArgumentException("unknown parameter '" + name + "'"
                        + (byName.isEmpty() ? " (this contribution takes none)" : "; known: " + String.join(", ", byName.keySet())));
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, String> texts = new LinkedHashMap<>();
        for (ParameterSpec spec : specs) {
            String text = given.containsKey(spec.name()) ? given.get(spec.name()) : spec.defaultValue();
            if (text == null) {
                throw new IllegalArgumentException("parameter '" + spec.name() + "' is required: " + spec.help());
            }
            values.put(spec.name(), spec.parse(text));
            texts.put(spec.name(), text.trim());
        }
        return new ParameterValues(values, texts);
    }

    public static ParameterValues none() {
        return new ParameterValues(Map.of(), Map.of());
    }

    private Object get(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no parameter '" + name + "' is declared");
        }
        return v;
    }

    public int getInt(String name) {
        return (Integer) get(name);
    }

    public double getDouble(String name) {
        return ((Number) get(name)).doubleValue();
    }

    public boolean getBoolean(String name) {
        return (Boolean) get(name);
    }

    public String getString(String name) {
        return (String) get(name);
    }

    public Path getPath(String name) {
        return Path.of(getString(name));
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The values as text, in declaration order: what the run record and provenance store. */
    public Map<String, String> asText() {
        return texts;
    }
}
