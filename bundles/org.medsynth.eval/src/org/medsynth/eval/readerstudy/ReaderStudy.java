package org.medsynth.eval.readerstudy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.medsynth.core.api.Json;
import org.medsynth.core.jobs.OutputStaging;
import org.medsynth.eval.stats.DeLong;
import org.medsynth.eval.stats.HypothesisTests;

/**
 * Human reader studies of synthetic images. {@link #build} draws a seeded random, balanced set of real and synthetic
 * images into an anonymised study folder: images re-encoded as plain PNG (no metadata, so no provenance gives the
 * answer away) named {@code study-001.png}, …, a hidden key file and a blank answer sheet. {@link #score} reads a
 * filled answer sheet and returns the confusion matrix, with synthetic as the positive class, and the exact binomial
 * test of the number of correct answers against chance (1/2).
 * <p>
 * Designs: {@link Design#REAL_FAKE} shows one image at a time, the reader answers {@code real} or {@code synthetic};
 * {@link Design#TWO_AFC} shows trials of two images, {@code study-001-a.png} and {@code study-001-b.png}, one of each
 * kind, and the reader names the synthetic one ({@code a} or {@code b}). In 2AFC a correct trial counts as one true
 * positive and one true negative, a wrong trial as one false positive and one false negative; the binomial test
 * counts trials, which are the independent observations.
 * <p>
 * A real/fake sheet may carry a third column, {@code confidence}: the reader's rating that the image is synthetic
 * (any numbers, e.g. 1–5, higher meaning more sure it is synthetic), given for every image. Then the score also has
 * the ROC AUC of the ratings with its DeLong confidence interval.
 */
public final class ReaderStudy {
    public static final String KEY_FILE = ".key.json";
    public static final String ANSWER_SHEET = "answers.csv";
    public static final String INSTRUCTIONS = "instructions.txt";
    private static final Set<String> IMAGE_ENDINGS = Set.of("png", "jpg", "jpeg", "bmp", "gif", "tif", "tiff");

    /** How images are shown to the reader. */
    public enum Design {
        REAL_FAKE("real-fake", "image,answer"), TWO_AFC("2afc", "trial,synthetic");

        private final String id;
        private final String header;

        Design(String id, String header) {
            this.id = id;
            this.header = header;
        }

        public String id() {
            return id;
        }

        public static Design of(String id) {
            for (Design d : values()) {
                if (d.id.equalsIgnoreCase(id)) {
                    return d;
                }
            }
            throw new IllegalArgumentException("unknown reader-study design '" + id + "' (real-fake, 2afc)");
        }
    }

    /**
     * The reader's results.
     *
     * @param trials  answers scored: images (real/fake) or trials (2AFC)
     * @param correct correct answers among them
     * @param pValue  exact two-sided binomial test of {@code correct} out of {@code trials} against 1/2
     * @param auc     AUC of the confidence ratings (synthetic positive) with its 95 % DeLong interval; null when the
     *                sheet has no ratings
     */
    public record Score(Design design, int trials, int correct, int truePositives, int falsePositives,
            int trueNegatives, int falseNegatives, double pValue, DeLong.Auc auc) {
        public double accuracy() {
            return (double) correct / trials;
        }

        /** Synthetic images recognised as synthetic. */
        public double sensitivity() {
            return (double) truePositives / (truePositives + falseNegatives);
        }

        /** Real images recognised as real. */
        public double specificity() {
            return (double) trueNegatives / (trueNegatives + falsePositives);
        }
    }

    /** The hidden key: what each study item really is, and where it came from. */
    record Key(String design, long seed, List<KeyItem> items) {
    }

    /**
     * @param item    the answer-sheet name: an image file (real/fake) or a trial (2AFC)
     * @param truth   {@code real} or {@code synthetic}; in 2AFC the side holding the synthetic image, a or b
     * @param sources original files, in the order shown
     */
    record KeyItem(String item, String truth, List<String> sources) {
    }

    private ReaderStudy() {
    }

    /**
     * Builds a study folder. {@code count} is the number of images drawn from each folder (real/fake) or the number
     * of trials (2AFC); 0 takes as many as the smaller folder holds.
     *
     * @return the number of answer-sheet rows
     * @throws IOException naming the folder or file at fault; nothing is left behind
     */
    public static int build(Path realFolder, Path syntheticFolder, Path out, Design design, int count, long seed)
            throws IOException {
        List<Path> real = images(realFolder);
        List<Path> synthetic = images(syntheticFolder);
        int available = Math.min(real.size(), synthetic.size());
        int n = count == 0 ? available : count;
        if (n < 1 || n > available) {
            throw new IllegalArgumentException("count " + n + " needs that many images in each folder, but "
                    + (real.size() < synthetic.size() ? realFolder + " has " + real.size()
                            : syntheticFolder + " has " + synthetic.size()));
        }
        if (Files.isDirectory(out)) {
            try (Stream<Path> entries = Files.list(out)) {
                if (entries.findAny().isPresent()) {
                    throw new IOException(out + ": already exists and is not empty; choose a new study folder");
                }
            }
        }
        Random random = new Random(seed);
        Collections.shuffle(real, random);
        Collections.shuffle(synthetic, random);
        List<KeyItem> items = new ArrayList<>();
        try (OutputStaging staging = OutputStaging.begin(out)) {
            if (design == Design.REAL_FAKE) {
                List<Path> shown = new ArrayList<>(real.subList(0, n));
                shown.addAll(synthetic.subList(0, n));
                Collections.shuffle(shown, random);
                Set<Path> realShown = Set.copyOf(real.subList(0, n));
                for (int i = 0; i < shown.size(); i++) {
                    String name = String.format(Locale.ROOT, "study-%03d.png", i + 1);
                    copyAnonymised(shown.get(i), staging.folder().resolve(name));
                    items.add(new KeyItem(name, realShown.contains(shown.get(i)) ? "real" : "synthetic",
                            List.of(shown.get(i).toAbsolutePath().toString())));
                }
            } else {
                for (int i = 0; i < n; i++) {
                    String trial = String.format(Locale.ROOT, "study-%03d", i + 1);
                    boolean syntheticFirst = random.nextBoolean();
                    Path a = syntheticFirst ? synthetic.get(i) : real.get(i);
                    Path b = syntheticFirst ? real.get(i) : synthetic.get(i);
                    copyAnonymised(a, staging.folder().resolve(trial + "-a.png"));
                    copyAnonymised(b, staging.folder().resolve(trial + "-b.png"));
                    items.add(new KeyItem(trial, syntheticFirst ? "a" : "b",
                            List.of(a.toAbsolutePath().toString(), b.toAbsolutePath().toString())));
                }
            }
            Files.writeString(staging.folder().resolve(KEY_FILE), Json.pretty(new Key(design.id(), seed, items)),
                    StandardCharsets.UTF_8);
            StringBuilder sheet = new StringBuilder(design.header).append('\n');
            items.forEach(item -> sheet.append(item.item()).append(",\n"));
            Files.writeString(staging.folder().resolve(ANSWER_SHEET), sheet, StandardCharsets.UTF_8);
            Files.writeString(staging.folder().resolve(INSTRUCTIONS), instructions(design, items.size()),
                    StandardCharsets.UTF_8);
            staging.commit();
        }
        return items.size();
    }

    private static String instructions(Design design, int rows) {
        return design == Design.REAL_FAKE
                ? "Each of the " + rows + " images study-NNN.png is either a real image or a synthetic one; half are"
                        + " synthetic.\nIn " + ANSWER_SHEET + ", write real or synthetic after each image name.\n"
                : "Each of the " + rows + " trials shows two images, study-NNN-a.png and study-NNN-b.png: one is real,"
                        + " the other synthetic.\nIn " + ANSWER_SHEET + ", write a or b after each trial: the one you"
                        + " think is synthetic.\n";
    }

    /** Image files in a folder, by name; hidden files are skipped. */
    private static List<Path> images(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IOException(folder + ": not a folder");
        }
        List<Path> found;
        try (Stream<Path> entries = Files.list(folder)) {
            found = new ArrayList<>(entries.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> IMAGE_ENDINGS.contains(ending(p))).sorted().toList());
        }
        if (found.isEmpty()) {
            throw new IOException(folder + ": no images (" + String.join(", ", IMAGE_ENDINGS.stream().sorted().toList())
                    + ")");
        }
        return found;
    }

    private static String ending(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** Decodes and re-encodes the pixels only, dropping every metadata chunk that could name the source. */
    private static void copyAnonymised(Path source, Path target) throws IOException {
        BufferedImage image = ImageIO.read(source.toFile());
        if (image == null) {
            throw new IOException(source + ": not an image this reader can decode");
        }
        if (!ImageIO.write(image, "png", target.toFile())) {
            throw new IOException(source + ": its pixel layout cannot be written as PNG");
        }
    }

    /**
     * Scores a filled answer sheet against the study's key.
     *
     * @throws IOException naming the answer sheet and line of a malformed, unknown, repeated or missing answer
     */
    public static Score score(Path studyFolder, Path answers) throws IOException {
        Path keyFile = studyFolder.resolve(KEY_FILE);
        if (!Files.isRegularFile(keyFile)) {
            throw new IOException(studyFolder + ": no " + KEY_FILE + "; not a study folder made by 'reader-study build'");
        }
        Key key;
        try {
            key = Json.parse(Files.readString(keyFile, StandardCharsets.UTF_8), Key.class);
        } catch (RuntimeException e) {
            throw new IOException(keyFile + ": unreadable key (" + e.getMessage() + ")");
        }
        if (key == null || key.items() == null || key.design() == null) {
            throw new IOException(keyFile + ": incomplete key");
        }
        Design design = Design.of(key.design());
        Map<String, String> truth = new LinkedHashMap<>();
        key.items().forEach(i -> truth.put(i.item(), i.truth()));
        Map<String, Answer> given = readAnswers(answers, design, truth);
        int tp = 0;
        int fp = 0;
        int tn = 0;
        int fn = 0;
        int correct = 0;
        for (Map.Entry<String, String> e : truth.entrySet()) {
            boolean right = given.get(e.getKey()).answer().equals(e.getValue());
            correct += right ? 1 : 0;
            if (design == Design.TWO_AFC) {
                tp += right ? 1 : 0;
                tn += right ? 1 : 0;
                fp += right ? 0 : 1;
                fn += right ? 0 : 1;
            } else if (e.getValue().equals("synthetic")) {
                tp += right ? 1 : 0;
                fn += right ? 0 : 1;
            } else {
                tn += right ? 1 : 0;
                fp += right ? 0 : 1;
            }
        }
        int trials = truth.size();
        return new Score(design, trials, correct, tp, fp, tn, fn,
                HypothesisTests.binomialTest(correct, trials, 0.5).pValue(), ratingsAuc(truth, given));
    }

    /** One line of the answer sheet: the answer, and the confidence rating if the sheet has them (else NaN). */
    private record Answer(String answer, double confidence) {
    }

    private static DeLong.Auc ratingsAuc(Map<String, String> truth, Map<String, Answer> given) {
        if (given.values().stream().anyMatch(a -> Double.isNaN(a.confidence()))) {
            return null;
        }
        double[] ratings = new double[truth.size()];
        boolean[] synthetic = new boolean[truth.size()];
        int i = 0;
        for (Map.Entry<String, String> e : truth.entrySet()) {
            ratings[i] = given.get(e.getKey()).confidence();
            synthetic[i++] = e.getValue().equals("synthetic");
        }
        return DeLong.auc(ratings, synthetic, 0.95);
    }

    private static Map<String, Answer> readAnswers(Path answers, Design design, Map<String, String> truth)
            throws IOException {
        if (!Files.isRegularFile(answers)) {
            throw new IOException(answers + ": does not exist");
        }
        List<String> lines = Files.readAllLines(answers, StandardCharsets.UTF_8);
        Set<String> accepted = design == Design.REAL_FAKE ? Set.of("real", "synthetic") : Set.of("a", "b");
        Map<String, Answer> given = new HashMap<>();
        Map<String, Integer> lineOf = new HashMap<>();
        boolean header = true;
        boolean rated = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).replace("\uFEFF", "").strip();
            String where = answers + " line " + (i + 1) + ": ";
            if (line.isEmpty()) {
                continue;
            }
            if (header) {
                String columns = line.replace(" ", "");
                rated = design == Design.REAL_FAKE && columns.equalsIgnoreCase(design.header + ",confidence");
                if (!rated && !columns.equalsIgnoreCase(design.header)) {
                    throw new IOException(where + "expected the header '" + design.header + "'"
                            + (design == Design.REAL_FAKE ? " or '" + design.header + ",confidence'" : "")
                            + ", found '" + line + "'");
                }
                header = false;
                continue;
            }
            String[] fields = line.split(",", -1);
            int columns = rated ? 3 : 2;
            if (fields.length != columns) {
                throw new IOException(where + "expected " + columns + " comma-separated fields, found "
                        + fields.length);
            }
            String item = fields[0].strip();
            String answer = fields[1].strip().toLowerCase(Locale.ROOT);
            if (!truth.containsKey(item)) {
                throw new IOException(where + "'" + item + "' is not part of this study");
            }
            if (lineOf.containsKey(item)) {
                throw new IOException(where + "'" + item + "' is answered twice (also on line " + lineOf.get(item) + ")");
            }
            if (answer.isEmpty()) {
                throw new IOException(where + "'" + item + "' has no answer");
            }
            if (!accepted.contains(answer)) {
                throw new IOException(where + "answer '" + fields[1].strip() + "' for " + item + " is not "
                        + String.join(" or ", accepted.stream().sorted().toList()));
            }
            double confidence = Double.NaN;
            if (rated) {
                try {
                    confidence = Double.parseDouble(fields[2].strip());
                } catch (NumberFormatException e) {
                    confidence = Double.NaN;
                }
                if (!Double.isFinite(confidence)) {
                    throw new IOException(where + "confidence '" + fields[2].strip() + "' for " + item
                            + " is not a number");
                }
            }
            given.put(item, new Answer(answer, confidence));
            lineOf.put(item, i + 1);
        }
        if (header) {
            throw new IOException(answers + ": empty answer sheet");
        }
        List<String> missing = truth.keySet().stream().filter(k -> !given.containsKey(k)).toList();
        if (!missing.isEmpty()) {
            throw new IOException(answers + ": no answer for " + missing.get(0)
                    + (missing.size() > 1 ? " and " + (missing.size() - 1) + " more" : ""));
        }
        return given;
    }
}
