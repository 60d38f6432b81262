package org.medsynth.ml.weights;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The small YAML subset model cards use, without a YAML library in the target platform: block mappings nested by
 * indentation, block sequences of mappings ({@code - key: value}), plain or double-quoted scalars, whole-line
 * comments. Reading flattens the document to dotted paths: {@code training.steps}, {@code weights.0.sha256}.
 */
public final class ModelCardYaml {
    private ModelCardYaml() {
    }

    /** A scalar as YAML text: plain when it is a simple token, otherwise double-quoted with escapes. */
    public static String scalar(String value) {
        if (value.matches("[A-Za-z0-9][A-Za-z0-9._+-]*")) {
            return value;
        }
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }

    /**
     * Every scalar of the document under its dotted path.
     *
     * @throws IllegalArgumentException naming the line that is not in the subset
     */
    public static Map<String, String> read(String text) {
        record Level(int indent, String path) {
        }
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Integer> itemCounts = new HashMap<>();
        Deque<Level> levels = new ArrayDeque<>();
        String[] lines = text.split("\\R");
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            String content = line.strip();
            if (content.isEmpty() || content.startsWith("#")) {
                continue;
            }
            int indent = line.indexOf(content.charAt(0));
            while (!levels.isEmpty() && levels.peek().indent() >= indent) {
                levels.pop();
            }
            String parent = levels.isEmpty() ? "" : levels.peek().path();
            int keyIndent = indent;
            if (content.startsWith("- ")) {
                int item = itemCounts.merge(parent, 1, Integer::sum) - 1;
                parent = join(parent, Integer.toString(item));
                content = content.substring(2).strip();
                keyIndent = indent + 2;
                levels.push(new Level(indent, parent));
            }
            int colon = content.indexOf(':');
            if (colon <= 0 || (colon + 1 < content.length() && content.charAt(colon + 1) != ' ')) {
                throw new IllegalArgumentException("line " + (n + 1) + " is not 'key: value': " + content);
            }
            String path = join(parent, content.substring(0, colon).strip());
            String value = content.substring(colon + 1).strip();
            if (value.isEmpty()) {
                levels.push(new Level(keyIndent, path));
            } else {
                values.put(path, unquote(value, n + 1));
            }
        }
        return values;
    }

    private static String join(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    private static String unquote(String value, int lineNumber) {
        if (!value.startsWith("\"")) {
            return value;
        }
        if (value.length() < 2 || !value.endsWith("\"")) {
            throw new IllegalArgumentException("line " + lineNumber + ": unterminated quoted value " + value);
        }
        StringBuilder plain = new StringBuilder();
        for (int i = 1; i < value.length() - 1; i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length() - 1) {
                char escaped = value.charAt(++i);
                plain.append(escaped == 'n' ? '\n' : escaped);
            } else {
                plain.append(c);
            }
        }
        return plain.toString();
    }
}
