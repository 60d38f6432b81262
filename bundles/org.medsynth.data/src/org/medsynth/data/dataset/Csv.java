package org.medsynth.data.dataset;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.medsynth.core.api.ImageFormatException;

/** Comma-separated values as RFC 4180 writes them: quoted fields may hold commas, quotes ("") and line breaks. */
final class Csv {
    private Csv() {
    }

    /** The records of a file, each with the line it starts on; blank lines are skipped. */
    record Row(int line, List<String> fields) {
    }

    static List<Row> read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<Row> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean fieldWasQuoted = false;
        int line = 1;
        int rowLine = 1;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (ch == '\n') {
                        line++;
                    }
                    field.append(ch);
                }
            } else if (ch == '"') {
                if (field.length() > 0 || fieldWasQuoted) {
                    throw new ImageFormatException(file, "line " + line + ": a quote inside an unquoted field");
                }
                quoted = true;
                fieldWasQuoted = true;
            } else if (ch == ',') {
                fields.add(field.toString());
                field.setLength(0);
                fieldWasQuoted = false;
            } else if (ch == '\n' || ch == '\r') {
                if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                fields.add(field.toString());
                addUnlessBlank(rows, rowLine, fields);
                fields = new ArrayList<>();
                field.setLength(0);
                fieldWasQuoted = false;
                line++;
                rowLine = line;
            } else if (fieldWasQuoted) {
                throw new ImageFormatException(file, "line " + line + ": text after a closing quote");
            } else {
                field.append(ch);
            }
        }
        if (quoted) {
            throw new ImageFormatException(file, "line " + rowLine + ": a quoted field is never closed");
        }
        fields.add(field.toString());
        addUnlessBlank(rows, rowLine, fields);
        return rows;
    }

    private static void addUnlessBlank(List<Row> rows, int line, List<String> fields) {
        if (!(fields.size() == 1 && fields.get(0).isBlank())) {
            rows.add(new Row(line, List.copyOf(fields)));
        }
    }
}
