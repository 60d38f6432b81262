package org.medsynth.app.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line words after the command: positional arguments, the command's own options, and the remaining
 * {@code --name value} pairs, which are handed to the contribution's declared parameters for validation.
 */
final class Arguments {
    final List<String> positional = new ArrayList<>();
    final Map<String, String> options = new LinkedHashMap<>();
    final Map<String, List<String>> repeated = new LinkedHashMap<>();
    final Map<String, String> parameters = new LinkedHashMap<>();
    final Set<String> flags = new java.util.HashSet<>();

    /**
     * @param ownOptions   options of the command that take a value
     * @param ownFlags     options of the command that take none
     * @param repeatable   own options that may be given more than once
     */
    static Arguments parse(List<String> words, Set<String> ownOptions, Set<String> ownFlags, Set<String> repeatable) {
        Arguments a = new Arguments();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (!w.startsWith("--") || w.equals("--")) {
                a.positional.add(w);
                continue;
            }
            String name = w.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (name.isEmpty()) {
                throw new UsageException("empty option name in '" + w + "'");
            }
            if (ownFlags.contains(name)) {
                if (value != null) {
                    throw new UsageException("option --" + name + " takes no value");
                }
                a.flags.add(name);
                continue;
            }
            if (value == null) {
                boolean nextIsValue = i + 1 < words.size() && !words.get(i + 1).startsWith("--");
                if (!nextIsValue) {
                    if (ownOptions.contains(name)) {
                        throw new UsageException("option --" + name + " needs a value");
                    }
                    value = "true"; // a boolean parameter given as a bare flag
                } else {
                    value = words.get(++i);
                }
            }
            if (repeatable.contains(name)) {
                a.repeated.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else if (ownOptions.contains(name)) {
                if (a.options.put(name, value) != null) {
                    throw new UsageException("option --" + name + " given twice");
                }
            } else if (a.parameters.put(name, value) != null) {
                throw new UsageException("option --" + name + " given twice");
            }
        }
        return a;
    }

    String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    long longOption(String name, long fallback) {
        String v = options.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " '" + v + "' is not an integer");
        }
    }

    boolean flag(String name) {
        return flags.contains(name);
    }
}
