package org.medsynth.data.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.ILog;
import org.medsynth.core.api.DatasetAdapter;
import org.medsynth.core.api.ImageFormatException;
import org.medsynth.core.api.ParameterValues;
import org.medsynth.core.registry.ImageFormats;

/**
 * The {@code adapter.paired-folders} contribution: two subfolders (parameters {@code a}, {@code b}; default
 * {@code A}, {@code B}) whose images are matched by file stem, so {@code A/p01.mha} pairs with {@code B/p01.nii.gz}.
 * Each case holds the roles {@value #A} and {@value #B}. Images without a partner are named in the error, or, with
 * {@code unmatched=skip}, left out and named in a warning.
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
    public record Pairing(List<Pair> pairs, List<Path> onlyInA, List<Path> onlyInB) {
        /** One line naming every image without a partner, or empty. */
        public String unmatchedSummary() {
            List<String> parts = new ArrayList<>();
            if (!onlyInA.isEmpty()) {
                parts.add("only in " + onlyInA.get(0).getParent().getFileName() + ": " + names(onlyInA));
            }
            if (!onlyInB.isEmpty()) {
                parts.add("only in " + onlyInB.get(0).getParent().getFileName() + ": " + names(onlyInB));
            }
            return String.join("; ", parts);
        }

        private static String names(List<Path> files) {
            return files.stream().map(f -> f.getFileName().toString()).collect(Collectors.joining(", "));
        }
    }

    /** Matches the readable images of two folders by stem. */
    public static Pairing match(Path folderA, Path folderB, ImageFormats formats) throws IOException {
        for (Path folder : List.of(folderA, folderB)) {
            if (!Files.isDirectory(folder)) {
                throw new ImageFormatException(folder, "is not a folder (paired layout needs both image folders)");
            }
        }
        Map<String, Path> a = Layouts.byStem(formats.imagesIn(folderA), folderA, formats);
        Map<String, Path> b = Layouts.byStem(formats.imagesIn(folderB), folderB, formats);
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
        return new Pairing(pairs, onlyInA, onlyInB);
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
        Pairing pairing = match(folderA, folderB, ImageFormats.get());
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
