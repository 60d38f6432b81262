package org.medsynth.eval.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.eval.readerstudy.ReaderStudy;
import org.medsynth.eval.readerstudy.ReaderStudy.Design;
import org.medsynth.eval.readerstudy.ReaderStudy.Score;
import org.medsynth.eval.stats.HypothesisTests;

/**
 * Reader studies: build → answer programmatically → score equals the confusion matrix counted independently. Real
 * images are dark (grey level below 100) and synthetic ones bright, so the pixels reveal the truth without the key.
 */
class ReaderStudyTest {
    @TempDir
    Path work;
    private Path real;
    private Path synthetic;

    @BeforeEach
    void makeImages() throws IOException {
        real = Files.createDirectories(work.resolve("real"));
        synthetic = Files.createDirectories(work.resolve("synthetic"));
        for (int i = 0; i < 12; i++) {
            ImageIO.write(grey(10 + 5 * i), "png", real.resolve(String.format("r%02d.png", i)).toFile());
        }
        for (int i = 0; i < 10; i++) {
            writeWithDescription(grey(150 + 5 * i), synthetic.resolve(String.format("s%02d.png", i)),
                    "SYNTHETIC image from generator test.gen");
        }
    }

    private static BufferedImage grey(int level) {
        BufferedImage image = new BufferedImage(16, 12, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 12; y++) {
            for (int x = 0; x < 16; x++) {
                image.getRaster().setSample(x, y, 0, level);
            }
        }
        return image;
    }

    /** A PNG with a tEXt Description chunk, as MedSynth marks synthetic PNGs. */
    private static void writeWithDescription(BufferedImage image, Path file, String description) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), null);
        IIOMetadataNode entry = new IIOMetadataNode("tEXtEntry");
        entry.setAttribute("keyword", "Description");
        entry.setAttribute("value", description);
        IIOMetadataNode text = new IIOMetadataNode("tEXt");
        text.appendChild(entry);
        IIOMetadataNode root = new IIOMetadataNode("javax_imageio_png_1.0");
        root.appendChild(text);
        metadata.mergeTree("javax_imageio_png_1.0", root);
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(stream);
            writer.write(new IIOImage(image, null, metadata));
        } finally {
            writer.dispose();
        }
    }

    private static boolean looksSynthetic(Path png) throws IOException {
        return ImageIO.read(png.toFile()).getRaster().getSample(0, 0, 0) >= 100;
    }

    private static List<String> sheetRows(Path study) throws IOException {
        List<String> lines = Files.readAllLines(study.resolve(ReaderStudy.ANSWER_SHEET), StandardCharsets.UTF_8);
        return lines.subList(1, lines.size()).stream().map(l -> l.substring(0, l.indexOf(','))).toList();
    }

    @Test
    void realFakeRoundTripScoresTheKnownConfusionMatrix() throws IOException {
        Path study = work.resolve("study");
        assertEquals(16, ReaderStudy.build(real, synthetic, study, Design.REAL_FAKE, 8, 5));
        List<String> rows = sheetRows(study);
        assertEquals(16, rows.size());
        assertEquals("image,answer", Files.readAllLines(study.resolve(ReaderStudy.ANSWER_SHEET)).get(0));
        assertTrue(Files.isRegularFile(study.resolve(ReaderStudy.KEY_FILE)));
        for (int i = 0; i < 16; i++) {
            assertTrue(rows.contains(String.format("study-%03d.png", i + 1)), rows.toString());
            byte[] bytes = Files.readAllBytes(study.resolve(rows.get(i)));
            assertFalse(new String(bytes, StandardCharsets.ISO_8859_1).contains("SYNTHETIC"),
                    "the study images carry no provenance text");
        }
        // the reader is right except on every third row
        int tp = 0;
        int fp = 0;
        int tn = 0;
        int fn = 0;
        StringBuilder answers = new StringBuilder("image,answer\n");
        int syntheticShown = 0;
        for (int i = 0; i < rows.size(); i++) {
            boolean isSynthetic = looksSynthetic(study.resolve(rows.get(i)));
            syntheticShown += isSynthetic ? 1 : 0;
            boolean saysSynthetic = i % 3 == 0 ? !isSynthetic : isSynthetic;
            answers.append(rows.get(i)).append(", ").append(saysSynthetic ? "Synthetic" : "real").append('\n');
            tp += isSynthetic && saysSynthetic ? 1 : 0;
            fn += isSynthetic && !saysSynthetic ? 1 : 0;
            tn += !isSynthetic && !saysSynthetic ? 1 : 0;
            fp += !isSynthetic && saysSynthetic ? 1 : 0;
        }
        assertEquals(8, syntheticShown, "balanced");
        Path sheet = Files.writeString(work.resolve("filled.csv"), answers);
        Score s = ReaderStudy.score(study, sheet);
        assertArrayEquals(new int[] {tp, fp, tn, fn},
                new int[] {s.truePositives(), s.falsePositives(), s.trueNegatives(), s.falseNegatives()});
        assertEquals(16, s.trials());
        assertEquals(tp + tn, s.correct());
        assertEquals((double) (tp + tn) / 16, s.accuracy());
        assertEquals((double) tp / (tp + fn), s.sensitivity());
        assertEquals((double) tn / (tn + fp), s.specificity());
        assertEquals(HypothesisTests.binomialTest(tp + tn, 16, 0.5).pValue(), s.pValue());
    }

    @Test
    void confidenceRatingsGiveTheAucWithItsDeLongInterval() throws IOException {
        Path study = work.resolve("rated");
        ReaderStudy.build(real, synthetic, study, Design.REAL_FAKE, 8, 9);
        List<String> rows = sheetRows(study);
        // ratings 1..5: synthetic images rated 3..5, real ones 1..3, so only the rating-3 pairs tie
        StringBuilder answers = new StringBuilder("image,answer,confidence\n");
        List<Double> syntheticRatings = new ArrayList<>();
        List<Double> realRatings = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            boolean isSynthetic = looksSynthetic(study.resolve(rows.get(i)));
            double rating = isSynthetic ? 3 + i % 3 : 1 + i % 3;
            (isSynthetic ? syntheticRatings : realRatings).add(rating);
            answers.append(rows.get(i)).append(',').append(rating >= 3 ? "synthetic" : "real").append(',')
                    .append(rating).append('\n');
        }
        Score s = ReaderStudy.score(study, Files.writeString(work.resolve("rated.csv"), answers));
        double wins = 0;
        for (double p : syntheticRatings) {
            for (double n : realRatings) {
                wins += p > n ? 1 : p == n ? 0.5 : 0;
            }
        }
        double mannWhitney = wins / (syntheticRatings.size() * realRatings.size());
        assertEquals(mannWhitney, s.auc().auc(), 1e-12);
        assertTrue(s.auc().low() < s.auc().auc() && s.auc().auc() <= s.auc().high(), s.auc().toString());
        assertNull(ReaderStudy.score(study, Files.writeString(work.resolve("plain.csv"),
                answers.toString().replace(",confidence", "").replaceAll(",[0-9.]+\n", "\n"))).auc());
        IOException bad = assertThrows(IOException.class, () -> ReaderStudy.score(study, Files.writeString(
                work.resolve("bad-rating.csv"), answers.toString().replaceFirst(",[0-9.]+\n", ",sure\n"))));
        assertTrue(bad.getMessage().contains("line 2: confidence 'sure'"), bad.getMessage());
    }

    @Test
    void twoAfcRoundTripCountsTrials() throws IOException {
        Path study = work.resolve("afc");
        assertEquals(6, ReaderStudy.build(real, synthetic, study, Design.TWO_AFC, 6, 11));
        List<String> trials = sheetRows(study);
        StringBuilder answers = new StringBuilder("trial,synthetic\n");
        for (int i = 0; i < trials.size(); i++) {
            boolean aIsSynthetic = looksSynthetic(study.resolve(trials.get(i) + "-a.png"));
            assertNotEquals(aIsSynthetic, looksSynthetic(study.resolve(trials.get(i) + "-b.png")), "one of each");
            boolean right = i != 2;
            answers.append(trials.get(i)).append(',').append(aIsSynthetic == right ? "a" : "b").append('\n');
        }
        Score s = ReaderStudy.score(study, Files.writeString(work.resolve("afc.csv"), answers));
        assertEquals(6, s.trials());
        assertEquals(5, s.correct());
        assertArrayEquals(new int[] {5, 1, 5, 1},
                new int[] {s.truePositives(), s.falsePositives(), s.trueNegatives(), s.falseNegatives()});
        assertEquals(HypothesisTests.binomialTest(5, 6, 0.5).pValue(), s.pValue());
    }

    @Test
    void theSeedFixesTheOrder() throws IOException {
        ReaderStudy.build(real, synthetic, work.resolve("a"), Design.REAL_FAKE, 0, 3);
        ReaderStudy.build(real, synthetic, work.resolve("b"), Design.REAL_FAKE, 0, 3);
        ReaderStudy.build(real, synthetic, work.resolve("c"), Design.REAL_FAKE, 0, 4);
        assertEquals(20, sheetRows(work.resolve("a")).size(), "count 0: all of the smaller folder, from each");
        assertEquals(Files.readString(work.resolve("a/" + ReaderStudy.KEY_FILE)),
                Files.readString(work.resolve("b/" + ReaderStudy.KEY_FILE)));
        assertNotEquals(Files.readString(work.resolve("a/" + ReaderStudy.KEY_FILE)),
                Files.readString(work.resolve("c/" + ReaderStudy.KEY_FILE)));
    }

    private String scoreError(Path study, String sheet) throws IOException {
        Path file = Files.writeString(work.resolve("bad.csv"), sheet);
        return assertThrows(IOException.class, () -> ReaderStudy.score(study, file)).getMessage();
    }

    @Test
    void badAnswerSheetsNameTheFileAndLine() throws IOException {
        Path study = work.resolve("study");
        ReaderStudy.build(real, synthetic, study, Design.REAL_FAKE, 2, 1);
        List<String> rows = sheetRows(study);
        String good = rows.get(0) + ",real\n" + rows.get(1) + ",real\n" + rows.get(2) + ",synthetic\n";
        String bad = work.resolve("bad.csv") + " line ";
        String maybe = scoreError(study, "image,answer\n" + good + rows.get(3) + ",maybe\n");
        assertTrue(maybe.startsWith(bad + "5: answer 'maybe'"), maybe);
        String unknown = scoreError(study, "image,answer\nstudy-099.png,real\n");
        assertTrue(unknown.startsWith(bad + "2: 'study-099.png' is not part of this study"), unknown);
        String twice = scoreError(study, "image,answer\n" + good + rows.get(0) + ",synthetic\n");
        assertTrue(twice.contains("line 5: '" + rows.get(0) + "' is answered twice (also on line 2)"), twice);
        String blank = scoreError(study, "image,answer\n" + rows.get(0) + ",\n");
        assertTrue(blank.contains("line 2: '" + rows.get(0) + "' has no answer"), blank);
        String missing = scoreError(study, "image,answer\n" + good);
        assertTrue(missing.endsWith("no answer for " + rows.get(3)), missing);
        String header = scoreError(study, "trial,synthetic\n" + good);
        assertTrue(header.startsWith(bad + "1: expected the header 'image,answer'"), header);
        String fields = scoreError(study, "image,answer\n" + rows.get(0) + ",real,extra\n");
        assertTrue(fields.contains("line 2: expected 2 comma-separated fields, found 3"), fields);
    }

    @Test
    void failedBuildsLeaveNothingBehind() throws IOException {
        Files.writeString(synthetic.resolve("s99.png"), "not a png");
        IOException corrupt = assertThrows(IOException.class,
                () -> ReaderStudy.build(real, synthetic, work.resolve("study"), Design.REAL_FAKE, 0, 0));
        assertTrue(corrupt.getMessage().contains("s99.png"), corrupt.getMessage());
        assertFalse(Files.exists(work.resolve("study")));
        try (Stream<Path> left = Files.list(work)) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith(".")).toList(),
                    "no staging folder left");
        }
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> ReaderStudy.build(real, synthetic, work.resolve("study"), Design.REAL_FAKE, 12, 0));
        assertTrue(tooMany.getMessage().contains(synthetic + " has 11"), tooMany.getMessage());
        Path occupied = Files.createDirectories(work.resolve("occupied"));
        Files.writeString(occupied.resolve("notes.txt"), "mine");
        IOException notEmpty = assertThrows(IOException.class,
                () -> ReaderStudy.build(real, synthetic, occupied, Design.REAL_FAKE, 2, 0));
        assertTrue(notEmpty.getMessage().contains("not empty"), notEmpty.getMessage());
    }
}
