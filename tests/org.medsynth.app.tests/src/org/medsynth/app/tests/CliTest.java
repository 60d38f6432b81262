package org.medsynth.app.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;
import org.medsynth.app.cli.Cli;

/** The medsynth command line, in process, inside OSGi: happy paths and bad command lines. */
class CliTest extends CliHarness {
    @Test
    void listsContributionsAndFilters() {
        assertEquals(Cli.OK, medsynth("list"));
        assertTrue(out.contains("phantom.shepp-logan"), out);
        assertTrue(out.contains("psnr"), out);
        assertTrue(out.contains("format.metaimage"), out);
        assertEquals(Cli.OK, medsynth("list", "--kind", "generators", "--modality", "CT"));
        assertTrue(out.contains("phantom.torso"), out);
        assertFalse(out.contains("phantom.shepp-logan"), out);
        assertFalse(out.contains("psnr"), out);
        assertEquals(Cli.OK, medsynth("list", "--json", "--specialty", "phantoms"));
        // shepp-logan, torso, denoise, ddpm-sample (generators); denoiser, ddpm, features (trainers)
        assertEquals(7, JsonParser.parseString(out).getAsJsonArray().size(), out);
        assertUsageError("unknown kind 'colours'", "list", "--kind", "colours");
    }

    @Test
    void infoShowsDeclaredParameters() {
        assertEquals(Cli.OK, medsynth("info", "phantom.torso"));
        assertTrue(out.contains("--noise-hu"), out);
        assertTrue(out.contains("double 0..500 HU, default 0"), out);
        assertUsageError("no contribution 'nothing.here'", "info", "nothing.here");
    }

    @Test
    void helpEverywhere() {
        assertEquals(Cli.OK, medsynth("--help"));
        assertTrue(out.contains("usage: medsynth"));
        assertEquals(Cli.OK, medsynth("generate", "--help"));
        assertTrue(out.contains("phantom.torso"), "generate --help lists the generators");
        assertEquals(Cli.OK, medsynth("generate", "phantom.shepp-logan", "--help"));
        assertTrue(out.contains("--supersampling"), out);
        assertEquals(Cli.OK, medsynth("evaluate", "--help"));
        assertTrue(out.contains("REFERENCE"), out);
        assertEquals(Cli.USAGE, medsynth());
    }

    @Test
    void generatesAndEvaluates() throws Exception {
        Path clean = work.resolve("clean");
        Path noisy = work.resolve("noisy");
        assertEquals(Cli.OK, medsynth("generate", "phantom.shepp-logan", "--size", "64", "--out", clean.toString(),
                "--format", "mha,png"), err);
        assertTrue(Files.isRegularFile(clean.resolve("shepp-logan-2d-000.mha")), out);
        assertTrue(out.contains("shepp-logan-2d-000.png"), out);
        assertTrue(err.contains("generate: 100%"), "progress on stderr: " + err);
        assertEquals(Cli.OK, medsynth("generate", "phantom.shepp-logan", "--size", "64", "--noise-sigma", "0.1",
                "--seed", "3", "--out", noisy.toString()), err);
        assertEquals(Cli.OK, medsynth("evaluate", clean.resolve("shepp-logan-2d-000.mha").toString(),
                noisy.resolve("shepp-logan-2d-000.mha").toString()), err);
        assertTrue(out.lines().anyMatch(l -> l.matches("psnr \\d+\\.\\d{6}")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("ssim 0\\.\\d{6}")), out);
        // the default set is every paired metric; MS-SSIM needs ≥ 161 px per side, so on 64² it is left out, said so
        assertTrue(out.lines().anyMatch(l -> l.startsWith("mae ")), out);
        assertTrue(err.contains("medsynth: warning: ms-ssim not computed:"), err);
        // lpips needs a feature network; without --network the default set leaves it out instead of failing
        assertTrue(err.contains("medsynth: warning: lpips not computed: lpips: parameter 'network' is required"), err);
        assertEquals(Cli.FAILED, medsynth("evaluate", clean.resolve("shepp-logan-2d-000.mha").toString(),
                noisy.resolve("shepp-logan-2d-000.mha").toString(), "--metrics", "ms-ssim"));
        assertTrue(err.contains("161"), "a metric chosen by name fails loudly: " + err);
        assertEquals(Cli.OK, medsynth("evaluate", clean.toString(), noisy.toString(), "--metrics", "psnr", "--json",
                "--data-range", "1"), err);
        JsonObject json = JsonParser.parseString(out).getAsJsonObject();
        double psnr = json.getAsJsonArray("results").get(0).getAsJsonObject().get("value").getAsDouble();
        // noise σ = 0.1 on a range of 1: PSNR ≈ 20 dB
        assertEquals(20, psnr, 0.5);
        // identical images: PSNR is +infinity, printed as inf and kept in the JSON and the run record
        Path same = clean.resolve("shepp-logan-2d-000.mha");
        assertEquals(Cli.OK, medsynth("evaluate", same.toString(), same.toString(), "--metrics", "psnr"), err);
        assertEquals("psnr inf", out.strip());
        assertTrue(err.contains("run record: "), err);
        assertEquals(Cli.OK, medsynth("evaluate", same.toString(), same.toString(), "--metrics", "psnr", "--json"), err);
        assertTrue(Double.isInfinite(JsonParser.parseString(out).getAsJsonObject().getAsJsonArray("results").get(0)
                .getAsJsonObject().get("value").getAsDouble()), out);
    }

    @Test
    void distributionMetricsTakeTwoIndependentSamples() throws Exception {
        Path real = work.resolve("real");
        Path generated = work.resolve("generated");
        assertEquals(Cli.OK, medsynth("generate", "phantom.shepp-logan", "--size", "32", "--count", "4",
                "--noise-sigma", "0.05", "--seed", "1", "--out", real.toString()), err);
        Path drafts = work.resolve("drafts");
        assertEquals(Cli.OK, medsynth("generate", "phantom.shepp-logan", "--size", "32", "--count", "3",
                "--noise-sigma", "0.2", "--seed", "2", "--out", drafts.toString()), err);
        // no file name in common: pairing by name would find nothing
        Files.createDirectories(generated);
        try (var images = Files.list(drafts)) {
            for (Path p : images.toList()) {
                Files.move(p, generated.resolve("sample-" + p.getFileName()));
            }
        }
        assertEquals(Cli.OK, medsynth("evaluate", real.toString(), generated.toString(), "--metrics", "fid", "--json"),
                err);
        JsonObject fid = JsonParser.parseString(out).getAsJsonObject().getAsJsonArray("results").get(0)
                .getAsJsonObject();
        assertEquals("fid", fid.get("metric").getAsString());
        assertTrue(fid.get("value").getAsDouble() > 0, out);
        assertTrue(fid.getAsJsonArray("warnings").get(0).getAsString().startsWith("features: baseline"), out);
        assertUsageError("run them in separate evaluate commands", "evaluate", real.toString(),
                generated.toString(), "--metrics", "psnr,fid");
        // the memorisation check across the two samples: a copied training image is named
        Path copied = generated.resolve("sample-copied.mha");
        Files.copy(real.resolve("shepp-logan-2d-001.mha"), copied);
        assertEquals(Cli.OK, medsynth("evaluate", real.toString(), generated.toString(), "--metrics",
                "nearest-training-neighbour", "--per-case"), err);
        assertTrue(out.contains("nearest-training-neighbour[sample-copied.mha] 0.000000"), out);
        assertTrue(err.contains("possibly memorised: sample-copied.mha (training image 2, distance 0)"), err);
    }

    @Test
    void badArgumentsAndInputsGiveOneLineErrors() throws Exception {
        assertUsageError("unknown command 'generat'", "generat");
        assertUsageError("no generator 'phantom.nope'", "generate", "phantom.nope");
        assertUsageError("'size': 9 is below the minimum 16", "generate", "phantom.shepp-logan", "--size", "9");
        assertUsageError("unknown parameter 'colour'", "generate", "phantom.shepp-logan", "--colour", "red");
        assertUsageError("--seed 'x' is not an integer", "generate", "phantom.shepp-logan", "--seed", "x",
                "--out", work.resolve("x").toString());
        Path missing = work.resolve("missing.mha");
        assertUsageError(missing + ": does not exist", "evaluate", missing.toString(), missing.toString());
        Path garbage = work.resolve("garbage.mha");
        Files.writeString(garbage, "this is not an image\n");
        assertEquals(Cli.FAILED, medsynth("evaluate", garbage.toString(), garbage.toString()));
        assertTrue(err.contains("garbage.mha: not a MetaImage header"), err);
        assertTrue(err.contains("run record:"), err);
        assertUsageError("evaluate needs REFERENCE and CANDIDATE", "evaluate", garbage.toString());
    }

    @Test
    void devicesStartsTheEngineOffline() {
        assertEquals(Cli.OK, medsynth("devices"), err);
        assertTrue(out.startsWith("engine PyTorch 2.5.1 (DJL 0.32.0, native cpu)"), out);
        assertTrue(out.lines().anyMatch(l -> l.equals("cpu")), out);
        assertEquals("true", System.getProperty("ai.djl.offline"));
        // this machine has no usable GPU: asking for one is a clear error, never a silent fallback
        assertEquals(Cli.USAGE, medsynth("generate", "phantom.shepp-logan", "--device", "gpu:0", "--out",
                work.resolve("gpu").toString()));
        assertTrue(err.contains("gpu:0"), err);
        assertFalse(Files.exists(work.resolve("gpu")));
    }

    @Test
    void demoRunsTheEmbeddedDefaultEndToEnd() throws Exception {
        Path out = work.resolve("demo");
        assertEquals(Cli.OK, medsynth("demo", "--out", out.toString()), err);
        assertTrue(Files.isRegularFile(out.resolve("clean/torso-3d-000.mha")));
        assertTrue(Files.isRegularFile(out.resolve("noisy/shepp-logan-2d-000.png")));
        assertTrue(Files.isRegularFile(out.resolve("evaluation.json")));
        assertTrue(this.out.contains("psnr[torso-3d-000.mha]"), this.out);
        // the installed module demonstrations follow, each in its own folder, with its report
        assertTrue(Files.isRegularFile(out.resolve("test.demo/report/report.html")));
        assertTrue(this.out.lines().anyMatch(l -> l.startsWith("test.demo: psnr ")), this.out);
        assertUsageError("already holds a demo", "demo", "--out", out.toString());
        assertUsageError("no such demonstration", "demo", "--only", "nowhere", "--out", work.resolve("d2").toString());
        assertEquals(Cli.OK, medsynth("demo", "--only", "test.demo", "--out", work.resolve("d3").toString()), err);
        assertFalse(Files.exists(work.resolve("d3/clean")));
        assertTrue(Files.isRegularFile(work.resolve("d3/test.demo/noisy/shepp-logan-2d-000.mha")));
    }
}
