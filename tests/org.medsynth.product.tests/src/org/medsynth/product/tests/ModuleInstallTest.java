package org.medsynth.product.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built product as a site gets it: unpacked from its archive, run through its own launcher, and a specialty
 * module removed and installed again from the update site with the p2 director, headless and offline.
 */
class ModuleInstallTest {
    private static final String PHANTOMS = "org.medsynth.phantoms.feature.feature.group";

    @TempDir
    static Path work;

    private static Path home;
    private static Path launcher;

    private record Run(int exitCode, String output) {
    }

    @BeforeAll
    static void unpackTheProduct() throws Exception {
        Path archive = Path.of(System.getProperty("medsynth.product.archive"));
        assertTrue(Files.isRegularFile(archive), "product archive missing: " + archive);
        Run untar = exec(List.of("tar", "-xzf", archive.toString(), "-C", work.toString()));
        assertEquals(0, untar.exitCode(), untar.output());
        home = work.resolve("medsynth");
        launcher = home.resolve("medsynth");
        assertTrue(Files.isExecutable(launcher), "launcher missing in " + home);
    }

    private static Run exec(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("MEDSYNTH_JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("MEDSYNTH_STATE", work.resolve("state").toString());
        pb.environment().put("MEDSYNTH_VMARGS", "-Xmx1g -Dmedsynth.runs=" + work.resolve("runs"));
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "process did not end: " + command);
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static Run medsynth(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        return exec(command);
    }

    private static Run director(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(launcher.toString(), "--director"));
        command.addAll(List.of(args));
        Run run = exec(command);
        assertEquals(0, run.exitCode(), "director " + String.join(" ", args) + ":\n" + run.output());
        return run;
    }

    private static boolean listsPhantoms() throws Exception {
        Run list = medsynth("list", "--kind", "generators");
        assertEquals(0, list.exitCode(), list.output());
        return list.output().contains("phantom.shepp-logan") && list.output().contains("phantom.torso");
    }

    @Test
    void specialtyModuleIsRemovedAndInstalledFromTheUpdateSite() throws Exception {
        // ends as it began, with the module installed, so the other tests see the product as shipped
        String repository = Path.of(System.getProperty("medsynth.repository")).toUri().toString();
        assertTrue(director("-listInstalledRoots").output().contains(PHANTOMS), "the module is its own p2 root");
        assertTrue(listsPhantoms(), "the product ships the phantoms module");

        director("-uninstallIU", PHANTOMS);
        assertFalse(listsPhantoms(), "uninstalled module still listed");
        Run missing = medsynth("generate", "phantom.torso", "--out", work.resolve("none").toString());
        assertEquals(2, missing.exitCode(), missing.output());
        assertTrue(missing.output().contains("no generator 'phantom.torso'"), missing.output());

        director("-repository", repository, "-installIU", PHANTOMS);
        assertTrue(listsPhantoms(), "installed module not listed");
        Path out = work.resolve("after-install");
        Run generate = medsynth("generate", "phantom.torso", "--dimensions", "2", "--size", "32", "--out", out.toString());
        assertEquals(0, generate.exitCode(), generate.output());
        assertTrue(Files.isRegularFile(out.resolve("torso-axial-000.mha")), generate.output());
    }

    @Test
    void moduleDemonstrationsRunOnTheShippedModels() throws Exception {
        // the specialty modules' demonstrations find their shipped models in the installation, as a site runs them
        Path out = work.resolve("demo");
        for (String module : List.of("spine", "radiography")) {
            Run demo = medsynth("demo", "--only", module, "--out", out.toString());
            assertEquals(0, demo.exitCode(), demo.output());
            assertFalse(Files.exists(out.resolve("clean")), "--only runs just the module");
        }
        for (String report : List.of("spine/uxdiff-report", "spine/pix2pix-cobb-report", "spine/maskel-report",
                "spine/super-resolution-report", "radiography/ct2x-drr-style-report",
                "radiography/tomography/coarse-report")) {
            assertTrue(Files.isRegularFile(out.resolve(report).resolve("report.html")), report);
        }
        assertTrue(Files.isRegularFile(out.resolve("radiography/ct2x/xray-04.png")));
        assertTrue(Files.isRegularFile(out.resolve("spine/maskel/xray-003.mha")));
        // MaSkel's augmentation path: a new 64² X-ray from the diffusion model, enlarged to 256²
        assertTrue(Files.isRegularFile(out.resolve("spine/augmentation-samples/sample-000.mha")));
        assertTrue(Files.isRegularFile(out.resolve("spine/augmentation-enlarged/xray-sr-000.png")));
    }

    @Test
    void launcherStartsTheEngineWithTheNetworkUnreachable() throws Exception {
        // an empty network namespace: any attempt to reach a host fails, so a download or a telemetry call would show
        Assumptions.assumeTrue(exec(List.of("unshare", "-n", "true")).exitCode() == 0,
                "this machine cannot create network namespaces");
        Run devices = exec(List.of("unshare", "-n", launcher.toString(), "devices"));
        assertEquals(0, devices.exitCode(), devices.output());
        assertTrue(devices.output().contains("engine PyTorch 2.5.1 (DJL 0.32.0, native cpu)"), devices.output());
        Run generate = exec(List.of("unshare", "-n", launcher.toString(), "generate", "phantom.shepp-logan", "--size", "32",
                "--out", work.resolve("offline").toString()));
        assertEquals(0, generate.exitCode(), generate.output());
        Run bad = medsynth("generate");
        assertEquals(2, bad.exitCode(), bad.output());
        assertTrue(bad.output().contains("medsynth: error: needs a generator id"), bad.output());
    }
}
