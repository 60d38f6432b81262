package org.medsynth.app.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.app.cli.Cli;
import org.medsynth.core.jobs.RunHistory;

/** Runs the medsynth command line in process, capturing stdout and stderr; run records go to a temporary folder. */
abstract class CliHarness {
    @TempDir
    static Path runs;

    @TempDir
    Path work;

    String out;
    String err;

    @BeforeAll
    static void keepRunRecordsInTempDir() {
        System.setProperty(RunHistory.FOLDER_PROPERTY, runs.toString());
    }

    int medsynth(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int rc = new Cli(new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8))
                .run(args);
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return rc;
    }

    void assertUsageError(String expected, String... args) {
        assertEquals(Cli.USAGE, medsynth(args), out + err);
        assertTrue(err.contains(expected), err);
        assertEquals(1, err.strip().lines().count(), "one-line error, no stack trace: " + err);
        assertTrue(err.startsWith("medsynth: error: "), err);
    }
}
