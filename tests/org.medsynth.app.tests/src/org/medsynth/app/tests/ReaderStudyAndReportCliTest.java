package org.medsynth.app.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;
import org.medsynth.app.cli.Cli;

/** {@code medsynth reader-study build|score} and {@code medsynth evaluate --report DIR}, in process. */
class ReaderStudyAndReportCliTest extends CliHarness {
    /** Folders of flat grey PNGs: real ones dark, synthetic ones bright. */
    private void makeImages(Path real, Path synthetic) throws IOException {
        Files.createDirectories(real);
        Files.createDirectories(synthetic);
        for (int i = 0; i < 6; i++) {
            ImageIO.write(grey(20 + i), "png", real.resolve("real-" + i + ".png").toFile());
            ImageIO.write(grey(200 + i), "png", synthetic.resolve("synth-" + i + ".png").toFile());
        }
    }

    private static BufferedImage grey(int level) {
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                image.getRaster().setSample(x, y, 0, level);
            }
        }
        return image;
    }

    @Test
    void buildsAndScoresAReaderStudy() throws IOException {
        Path real = work.resolve("real");
        Path synthetic = work.resolve("synthetic");
        makeImages(real, synthetic);
        Path study = work.resolve("study");
        assertEquals(Cli.OK, medsynth("reader-study", "build", real.toString(), synthetic.toString(), "--out",
                study.toString(), "--count", "4", "--seed", "9"), err);
        Path sheet = study.resolve("answers.csv");
        assertEquals(sheet.toString(), out.strip());
        assertTrue(err.contains("reader study with 8 images"), err);
        List<String> lines = Files.readAllLines(sheet);
        assertEquals(9, lines.size());
        // a perfect reader: synthetic images are the bright ones
        StringBuilder answers = new StringBuilder(lines.get(0)).append('\n');
        for (String line : lines.subList(1, lines.size())) {
            String image = line.substring(0, line.indexOf(','));
            boolean bright = ImageIO.read(study.resolve(image).toFile()).getRaster().getSample(0, 0, 0) > 100;
            answers.append(image).append(',').append(bright ? "synthetic" : "real").append('\n');
        }
        Path filled = Files.writeString(work.resolve("filled.csv"), answers);
        assertEquals(Cli.OK, medsynth("reader-study", "score", study.toString(), filled.toString(), "--json"), err);
        JsonObject score = JsonParser.parseString(out).getAsJsonObject();
        assertEquals(8, score.get("correct").getAsInt());
        assertEquals(4, score.get("tp").getAsInt());
        assertEquals(4, score.get("tn").getAsInt());
        assertEquals(0, score.get("fp").getAsInt());
        assertEquals(1.0, score.get("accuracy").getAsDouble());
        // 8 of 8 correct: p = 2 / 2^8
        assertEquals(2.0 / 256, score.get("binomial_p").getAsDouble(), 1e-15);
        assertEquals(Cli.OK, medsynth("reader-study", "score", study.toString(), filled.toString()), err);
        assertTrue(out.lines().anyMatch(l -> l.equals("accuracy 1.00000")), out);

        Files.writeString(filled, lines.get(0) + "\n" + lines.get(1).replace(",", ",perhaps") + "\n");
        assertUsageError(filled + " line 2: answer 'perhaps'", "reader-study", "score", study.toString(),
                filled.toString());
        assertUsageError("already exists and is not empty", "reader-study", "build", real.toString(),
                synthetic.toString(), "--out", study.toString());
    }

    @Test
    void readerStudyCommandLineErrors() throws IOException {
        Path real = work.resolve("real");
        Path synthetic = work.resolve("synthetic");
        makeImages(real, synthetic);
        assertUsageError("needs --out DIR", "reader-study", "build", real.toString(), synthetic.toString());
        assertUsageError("unknown reader-study design 'abx'", "reader-study", "build", real.toString(),
                synthetic.toString(), "--out", work.resolve("s").toString(), "--design", "abx");
        assertUsageError(synthetic + " has 6", "reader-study", "build", real.toString(), synthetic.toString(),
                "--out", work.resolve("s").toString(), "--count", "7");
        assertFalse(Files.exists(work.resolve("s")));
        assertUsageError("unknown reader-study command 'grade'", "reader-study", "grade");
        assertUsageError("unknown option --colour", "reader-study", "build", "--colour", "red");
        assertUsageError("not a study folder", "reader-study", "score", work.toString(), "x.csv");
        assertEquals(Cli.OK, medsynth("reader-study", "--help"));
        assertTrue(out.contains("usage: medsynth reader-study build REAL SYNTHETIC --out DIR"), out);
        assertEquals(Cli.OK, medsynth("reader-study", "build", "--help"));
        assertTrue(out.contains("2afc"), out);
    }

    @Test
    void evaluateWritesAReportFolder() throws IOException {
        Path clean = work.resolve("clean");
        Path noisy = work.resolve("noisy");
        assertEquals(Cli.OK, medsynth("generate", "phantom.shepp-logan", "--size", "32", "--count", "3", "--out",
                clean.toString()), err);
        assertEquals(Cli.OK, medsynth("generate", "phantom.shepp-logan", "--size", "32", "--count", "3",
                "--noise-sigma", "0.1", "--seed", "3", "--out", noisy.toString()), err);
        Path report = work.resolve("report");
        assertEquals(Cli.OK, medsynth("evaluate", clean.toString(), noisy.toString(), "--report", report.toString()),
                err);
        assertTrue(err.contains("report written to " + report.resolve("report.html")), err);
        for (String file : List.of("report.json", "report.html", "psnr-mean.png", "psnr-histogram.png",
                "ssim-mean.png", "ssim-histogram.png")) {
            assertTrue(Files.isRegularFile(report.resolve(file)), file);
        }
        JsonObject json = JsonParser.parseString(Files.readString(report.resolve("report.json"))).getAsJsonObject();
        assertEquals(3, json.getAsJsonArray("pairs").size());
        assertTrue(Files.readString(report.resolve("report.html")).contains("<a href=\"#ssim\">ssim</a>"));
        assertUsageError("is a file; give a folder", "evaluate", clean.toString(), noisy.toString(), "--report",
                report.resolve("report.json").toString());
    }

    /** {@code count} 32² Shepp–Logan phantoms with Gaussian noise of {@code sigma}, written into {@code folder}. */
    private void noisyPhantoms(Path folder, int count, String sigma, int seed) {
        assertEquals(Cli.OK, medsynth("generate", "phantom.shepp-logan", "--size", "32", "--count",
                String.valueOf(count), "--noise-sigma", sigma, "--seed", String.valueOf(seed), "--out",
                folder.toString()), err);
    }

    @Test
    void evaluateComparesSeveralModels() throws IOException {
        Path clean = work.resolve("clean");
        assertEquals(Cli.OK, medsynth("generate", "phantom.shepp-logan", "--size", "32", "--count", "4", "--out",
                clean.toString()), err);
        for (String sigma : List.of("0.05", "0.2")) {
            noisyPhantoms(work.resolve("noise-" + sigma), 4, sigma, 3);
        }
        Path report = work.resolve("comparison");
        assertEquals(Cli.OK, medsynth("evaluate", clean.toString(), work.resolve("noise-0.05").toString(),
                work.resolve("noise-0.2").toString(), "--metrics", "psnr,mae", "--report", report.toString()), err);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("psnr noise-0.05-noise-0.2 n=4 mean-difference=")), out);
        for (String file : List.of("report.json", "report.html", "psnr-models.png", "mae-models.png")) {
            assertTrue(Files.isRegularFile(report.resolve(file)), file);
        }
        JsonObject json = JsonParser.parseString(Files.readString(report.resolve("report.json"))).getAsJsonObject();
        assertEquals(2, json.getAsJsonArray("models").size());
        JsonObject psnr = json.getAsJsonArray("metrics").get(0).getAsJsonObject();
        JsonObject paired = psnr.getAsJsonArray("comparisons").get(0).getAsJsonObject();
        // less noise, higher PSNR on every case
        assertTrue(paired.get("meanDifference").getAsDouble() > 0, paired.toString());
        assertEquals(0.125, paired.getAsJsonObject("wilcoxon").get("pValue").getAsDouble(), 1e-12,
                "exact two-sided p of 4 positive differences: 2 / 2^4");
        assertUsageError("comparing several models takes paired metrics", "evaluate", clean.toString(),
                clean.toString(), clean.toString(), "--metrics", "fid");
    }

    @Test
    void evaluateWritesADistributionReport() throws IOException {
        Path real = work.resolve("real");
        Path synthetic = work.resolve("synthetic");
        noisyPhantoms(real, 6, "0.05", 1);
        noisyPhantoms(synthetic, 6, "0.2", 2);
        Path report = work.resolve("distribution");
        assertEquals(Cli.OK, medsynth("evaluate", real.toString(), synthetic.toString(), "--metrics",
                "fid,kid,precision-recall,density-coverage,mmd", "--report", report.toString()), err);
        String html = Files.readString(report.resolve("report.html"));
        assertTrue(html.contains("6 reference and 6 candidate images"), html);
        assertTrue(html.contains("<p>Feature extractor: baseline"), html);
        assertTrue(html.contains("class=\"warning\">reference sample has 6 images for"), html);
        assertTrue(html.contains("KID subset size 1000 clipped to 6"), html);
        for (String file : List.of("report.json", "kid-components.png", "precision-recall-components.png",
                "density-coverage-components.png")) {
            assertTrue(Files.isRegularFile(report.resolve(file)), file);
        }
        JsonObject json = JsonParser.parseString(Files.readString(report.resolve("report.json"))).getAsJsonObject();
        assertEquals(5, json.getAsJsonArray("results").size());
    }
}
