package org.medsynth.data.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.eclipse.core.runtime.ILog;
import org.medsynth.core.api.DatasetAdapter;
import org.medsynth.core.api.ImageFormatException;
import org.medsynth.core.api.ParameterValues;
import org.medsynth.core.registry.ImageFormats;

/**
 * The {@code adapter.paired-folders} contribution: two subfolders (parameters {@code a}, {@code b}; default
 * {@code A}, {@code B}) whose images are matched by file stem, so {@code A/p01.mha} pairs with {@code B/p01.nii.gz}.
 * With {@code b-suffix}, a B stem is the A stem plus that suffix ({@code data/p01.nii.gz} with
 * {@code label/p01_seg.nii.gz}); with {@code subfolders=true} every folder below A pairs with the same relative folder
 * below B and the case id is that relative path and the stem (the CTSpine1K layout: {@code data/<subset>/},
 * {@code label/<subset>/}). Each case holds the roles {@value #A} and {@value #B}. Images without a partner are named
 * in the error, or, with {@code unmatched=skip}, left out and named in a warning.
 */
public final class PairedFoldersAdapter implements DatasetAdapter {
    /** Role of the source image. */
    public static final String A = "a";
    /** Role of the target image. */
    public static final String B = "b";

    /** One matched pair. */
    public record Pair(String stem, Path a, Path b) {
    }

    /** The matched pairs (by stem) and the images of either folder that have no partner. */
    public record Pairing(Path folderA, Path folderB, List<Pair> pairs, List<Path> onlyInA, List<Path> onlyInB) {
        /** One line naming every image without a partner (relative to its folder), or empty. */
        public String unmatchedSummary() {
            List<String> parts = new ArrayList<>();
            if (!onlyInA.isEmpty()) {
                parts.add("only in " + folderA.getFileName() + ": " + names(folderA, onlyInA));
            }
            if (!onlyInB.isEmpty()) {
                parts.add("only in " + folderB.getFileName() + ": " + names(folderB, onlyInB));
            }
            return String.join("; ", parts);
        }

        private static String names(Path folder, List<Path> files) {
            return files.stream().map(f -> folder.relativize(f).toString()).collect(Collectors.joining(", "));
        }
    }

    /** Matches the readable images of two folders by stem. */
    public static Pairing match(Path folderA, Path folderB, ImageFormats formats) throws IOException {
        return match(folderA, folderB, "", false, formats);
    }

    /**
     * Matches the readable images of two folders by stem, a B stem being the A stem plus {@code bSuffix}; with
     * {@code subfolders}, the images of all folders below A and B, matched within the same relative folder.
     */
    public static Pairing match(Path folderA, Path folderB, String bSuffix, boolean subfolders, ImageFormats formats)
            throws IOException {
        for (Path folder : List.of(folderA, folderB)) {
            if (!Files.isDirectory(folder)) {
                throw new ImageFormatException(folder, "is not a folder (paired layout needs both image folders)");
            }
        }
        Map<String, Path> a = keyed(folderA, "", subfolders, formats);
        Map<String, Path> b = keyed(folderB, bSuffix, subfolders, formats);
        List<Pair> pairs = new ArrayList<>();
        List<Path> onlyInA = new ArrayList<>();
        for (Map.Entry<String, Path> e : a.entrySet()) {
            Path partner = b.get(e.getKey());
            if (partner == null) {
                onlyInA.add(e.getValue());
            } else {
                pairs.add(new Pair(e.getKey(), e.getValue(), partner));
            }
        }
        List<Path> onlyInB = b.entrySet().stream().filter(e -> !a.containsKey(e.getKey())).map(Map.Entry::getValue).toList();
        return new Pairing(folderA, folderB, pairs, onlyInA, onlyInB);
    }

    /** Images by relative folder and stem, the stem without {@code suffix} where it ends with it. */
    private static Map<String, Path> keyed(Path root, String suffix, boolean subfolders, ImageFormats formats)
            throws IOException {
        List<Path> folders;
        if (subfolders) {
            try (Stream<Path> walk = Files.walk(root)) {
                folders = walk.filter(Files::isDirectory).sorted().toList();
            }
        } else {
            folders = List.of(root);
        }
        Map<String, Path> keyed = new LinkedHashMap<>();
        for (Path folder : folders) {
            String prefix = folder.equals(root) ? "" : root.relativize(folder).toString().replace('\\', '/') + "/";
            for (Map.Entry<String, Path> e : Layouts.byStem(formats.imagesIn(folder), folder, formats).entrySet()) {
                String stem = e.getKey();
                if (!suffix.isEmpty() && stem.endsWith(suffix) && stem.length() > suffix.length()) {
                    stem = stem.substring(0, stem.length() - suffix.length());
                }
                keyed.put(prefix + stem, e.getValue());
            }
        }
        return keyed;
    }

    @Override
    public boolean accepts(Path root) {
        return Files.isDirectory(root.resolve("A")) && Files.isDirectory(root.resolve("B"));
    }

    @Override
    public List<DatasetCase> open(Path root, ParameterValues parameters) throws IOException {
        Path folderA = root.resolve(Layouts.parameter(parameters, "a", "A"));
        Path folderB = root.resolve(Layouts.parameter(parameters, "b", "B"));
        boolean skipUnmatched = Layouts.parameter(parameters, "unmatched", "error").equals("skip");
        Pairing pairing = match(folderA, folderB, Layouts.parameter(parameters, "b-suffix", ""),
                parameters.has("subfolders") && parameters.getBoolean("subfolders"), ImageFormats.get());
        String unmatched = pairing.unmatchedSummary();
        if (!unmatched.isEmpty()) {
            if (!skipUnmatched) {
                throw new ImageFormatException(root, "images without a partner (" + unmatched
                        + "); set unmatched=skip to leave them out");
            }
            ILog.of(PairedFoldersAdapter.class).warn(root + ": left out images without a partner: " + unmatched);
        }
        if (pairing.pairs().isEmpty()) {
            throw new ImageFormatException(root, "no image of " + folderA.getFileName() + " has a partner of the same name in "
                    + folderB.getFileName());
        }
        Layouts.PatientNames patients = new Layouts.PatientNames(parameters);
        List<DatasetCase> cases = new ArrayList<>();
        for (Pair p : pairing.pairs()) {
            cases.add(new DatasetCase(p.stem(), patients.patientOf(p.stem(), p.a()), List.of(p.a(), p.b()),
                    Map.copyOf(Layouts.conditions(A + "," + B))));
        }
        return cases;
    }
}
