package org.medsynth.data.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

import org.medsynth.core.api.DatasetAdapter.DatasetCase;
import org.medsynth.core.api.ImageFormatException;
import org.medsynth.core.api.ParameterValues;
import org.medsynth.core.registry.ImageFormats;

/** What the folder layouts share: file stems, patient ids from names, parameters with fallbacks. */
final class Layouts {
    static final String PATIENT_PATTERN = "patient-pattern";

    private Layouts() {
    }

    /** The declared parameter's value, or {@code fallback} when the adapter is called without declarations. */
    static String parameter(ParameterValues parameters, String name, String fallback) {
        return parameters.has(name) ? parameters.getString(name) : fallback;
    }

    /** The file name without its longest readable ending ("ct.nii.gz" → "ct"), else without its last extension. */
    static String stem(Path file, ImageFormats formats) {
        String name = file.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        int longest = -1;
        for (String ext : formats.knownExtensions(false)) {
            if (lower.endsWith("." + ext) && ext.length() > longest && lower.length() > ext.length() + 1) {
                longest = ext.length();
            }
        }
        if (longest >= 0) {
            return name.substring(0, name.length() - longest - 1);
        }
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** Readable images of a folder by stem; two images with one stem (x.png and x.mha) are an error. */
    static Map<String, Path> byStem(List<Path> images, Path folder, ImageFormats formats) throws ImageFormatException {
        Map<String, Path> result = new LinkedHashMap<>();
        for (Path image : images) {
            Path other = result.put(stem(image, formats), image);
            if (other != null) {
                throw new ImageFormatException(folder, "two images share the name '" + stem(image, formats) + "': "
                        + other.getFileName() + " and " + image.getFileName());
            }
        }
        return result;
    }

    /** Patient ids from file stems by a regular expression's first group; an empty pattern makes each case its own patient. */
    static final class PatientNames {
        private final Pattern pattern;

        PatientNames(ParameterValues parameters) {
            String text = parameter(parameters, PATIENT_PATTERN, "");
            if (text.isBlank()) {
                pattern = null;
                return;
            }
            try {
                pattern = Pattern.compile(text);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(PATIENT_PATTERN + " '" + text + "' is not a regular expression: "
                        + e.getDescription(), e);
            }
            if (pattern.matcher("").groupCount() < 1) {
                throw new IllegalArgumentException(PATIENT_PATTERN + " '" + text + "' has no group ( ) around the patient id");
            }
        }

        String patientOf(String stem, Path file) throws ImageFormatException {
            if (pattern == null) {
                return stem;
            }
            Matcher m = pattern.matcher(stem);
            if (!m.find() || m.group(1) == null || m.group(1).isEmpty()) {
                throw new ImageFormatException(file, PATIENT_PATTERN + " '" + pattern + "' finds no patient id in '" + stem + "'");
            }
            return m.group(1);
        }
    }

    /**
     * One single-image case per image of {@code images} (in {@code folder}), named by file stem after
     * {@code idPrefix}, with the {@code extra} conditions.
     */
    static void addImageCases(List<DatasetCase> cases, List<Path> images, Path folder, ImageFormats formats,
            PatientNames patients, String idPrefix, Map<String, String> extra) throws ImageFormatException {
        for (Map.Entry<String, Path> e : byStem(images, folder, formats).entrySet()) {
            Map<String, String> conditions = conditions(Dataset.IMAGE);
            conditions.putAll(extra);
            cases.add(new DatasetCase(idPrefix + e.getKey(), patients.patientOf(e.getKey(), e.getValue()),
                    List.of(e.getValue()), Map.copyOf(conditions)));
        }
    }

    /** Visible subfolders of a folder, by name. */
    static List<Path> subfolders(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    /** The one-entry roles condition of a single-image case, to be extended by the layout. */
    static Map<String, String> conditions(String roles) {
        Map<String, String> c = new HashMap<>();
        c.put(Dataset.ROLES, roles);
        return c;
    }
}
