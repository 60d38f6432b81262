package org.medsynth.io.imagej.internal;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * MedSynth's metadata as {@code medsynth.key=value} lines: the text of ImageJ's Info property (which ImageJ TIFFs
 * carry and ImageJ shows under Image › Show Info) and of MedSynth's JPEG comment. The first line is the provenance
 * summary, so a synthetic image says so to anyone who looks.
 */
public final class InfoLines {
    public static final String MODALITY = "modality";
    public static final String UNIT = "unit";
    public static final String SPACING = "spacing";
    public static final String ORIGIN = "origin";
    public static final String DIRECTION = "direction";
    public static final String PROVENANCE = "provenance";
    public static final String VALUE_OFFSET = "value-offset";
    public static final String VALUE_SCALE = "value-scale";
    private static final String PREFIX = "medsynth.";

    private InfoLines() {
    }

    /** The text for a summary line and {@code key=value} entries, in the order given. */
    public static String format(String summary, Map<String, String> entries) {
        StringBuilder text = new StringBuilder(summary).append('\n');
        entries.forEach((k, v) -> text.append(PREFIX).append(k).append('=').append(v).append('\n'));
        return text.toString();
    }

    /** MedSynth's entries in a text that may hold other lines too (which are ignored); empty for null. */
    public static Map<String, String> parse(String text) {
        Map<String, String> entries = new LinkedHashMap<>();
        if (text == null) {
            return entries;
        }
        for (String line : text.split("\r?\n")) {
            int eq = line.indexOf('=');
            if (line.startsWith(PREFIX) && eq > PREFIX.length()) {
                entries.put(line.substring(PREFIX.length(), eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return entries;
    }

    public static String numbers(double[] values) {
        return Arrays.stream(values).mapToObj(Double::toString).collect(Collectors.joining(" "));
    }

    /** The numbers of an entry; the exception names the entry. */
    public static double[] numbers(Map<String, String> entries, String key) {
        try {
            return Arrays.stream(entries.get(key).trim().split("\\s+")).mapToDouble(Double::parseDouble).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PREFIX + key + " '" + entries.get(key) + "' is not a list of numbers");
        }
    }
}
