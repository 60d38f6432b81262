package org.medsynth.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.jobs.Job;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.core.api.Contribution;
import org.medsynth.core.api.Contribution.Kind;
import org.medsynth.core.jobs.GenerationJob;
import org.medsynth.core.jobs.JobFamilies;
import org.medsynth.core.jobs.RunHistory;
import org.medsynth.core.jobs.RunRecord;
import org.medsynth.core.jobs.Sha256;
import org.medsynth.core.registry.Contributions;

class JobsTest {
    @TempDir
    static Path runs;

    @TempDir
    Path work;

    @BeforeAll
    static void keepRunRecordsInTempDir() {
        System.setProperty(RunHistory.FOLDER_PROPERTY, runs.toString());
    }

    @BeforeEach
    void reset() {
        SteppingGenerator.reset();
    }

    private static Contribution generator(String id) {
        return Contributions.get().require(Kind.GENERATOR, id);
    }

    private GenerationJob steps(Path out, int steps, int stepMs, String device) {
        return new GenerationJob(generator("test.steps"), Map.of("steps", "" + steps, "step-ms", "" + stepMs), 7, 1,
                List.of(), out, List.of("mha"), device);
    }

    @Test
    void successfulRunMovesOutputsIntoPlaceAndRecordsEverything() throws Exception {
        Path out = work.resolve("out");
        GenerationJob job = new GenerationJob(generator("phantom.shepp-logan"), Map.of("size", "32"), 11, 2, List.of(),
                out, List.of("mha", "png"), "cpu");
        job.schedule();
        job.join();
        assertTrue(job.getResult().isOK(), job.getResult().toString());
        assertEquals(4, job.outputs().size());
        RunRecord record = RunRecord.read(job.runRecordFile());
        assertEquals(RunRecord.Outcome.SUCCEEDED, record.outcome());
        assertEquals(11, record.seed());
        assertEquals("32", record.parameters().get("size"));
        assertEquals("2", record.parameters().get("dimensions"), "defaults are recorded too");
        assertEquals(4, record.outputs().size());
        for (RunRecord.FileEntry e : record.outputs()) {
            assertEquals(Sha256.of(Path.of(e.path())), e.sha256());
        }
        assertTrue(record.timings().durationMs() >= 0);
        try (Stream<Path> files = Files.list(out)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("run-")), "record copy beside outputs");
        }
        assertNoStagingLeft(work);
    }

    @Test
    void cancellationIsHonouredWithinOneStepAndLeavesNoOutput() throws Exception {
        Path out = work.resolve("cancelled");
        GenerationJob job = steps(out, 200, 50, "cpu");
        CountDownLatch started = new CountDownLatch(1);
        SteppingGenerator.onFirstStep = started::countDown;
        job.schedule();
        assertTrue(started.await(30, TimeUnit.SECONDS), "job did not start");
        int stepsAtCancel = SteppingGenerator.STEPS_STARTED.get();
        job.cancel();
        job.join();
        assertEquals(IStatus.CANCEL, job.getResult().getSeverity());
        assertTrue(SteppingGenerator.STEPS_STARTED.get() <= stepsAtCancel + 1,
                "steps kept starting after cancel: " + stepsAtCancel + " -> " + SteppingGenerator.STEPS_STARTED.get());
        assertFalse(Files.exists(out), "no output folder after cancel");
        assertNoStagingLeft(work);
        RunRecord record = RunRecord.read(job.runRecordFile());
        assertEquals(RunRecord.Outcome.CANCELLED, record.outcome());
        assertTrue(record.outputs().isEmpty());
    }

    @Test
    void failingGeneratorFailsTheJobNotTheWorkbench() throws Exception {
        Path out = work.resolve("failed");
        GenerationJob job = new GenerationJob(generator("test.throws"), Map.of(), 0, 1, List.of(), out, List.of("mha"), "cpu");
        job.schedule();
        job.join();
        assertEquals(IStatus.ERROR, job.getResult().getSeverity());
        assertTrue(job.getResult().getMessage().contains("simulated bug"), job.getResult().getMessage());
        assertTrue(job.getResult().getMessage().contains("test.throws"), job.getResult().getMessage());
        assertFalse(Files.exists(out));
        assertEquals(RunRecord.Outcome.FAILED, RunRecord.read(job.runRecordFile()).outcome());
        // the same registry still runs a healthy generator afterwards
        GenerationJob healthy = steps(work.resolve("after"), 1, 0, "cpu");
        healthy.schedule();
        healthy.join();
        assertTrue(healthy.getResult().isOK(), healthy.getResult().toString());
    }

    @Test
    void invalidParametersFailBeforeAnythingIsWritten() throws Exception {
        Path out = work.resolve("bad");
        GenerationJob job = new GenerationJob(generator("phantom.shepp-logan"), Map.of("size", "5000"), 0, 1, List.of(),
                out, List.of("mha"), "cpu");
        job.schedule();
        job.join();
        assertEquals(IStatus.ERROR, job.getResult().getSeverity());
        assertTrue(job.getResult().getMessage().contains("'size': 5000 is above the maximum 1024"),
                job.getResult().getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void jobsOnOneGpuNeverOverlap() throws Exception {
        List<GenerationJob> jobs = List.of(steps(work.resolve("g1"), 4, 40, "gpu:0"), steps(work.resolve("g2"), 4, 40, "gpu"),
                steps(work.resolve("g3"), 4, 40, "gpu:0"));
        jobs.forEach(Job::schedule);
        for (GenerationJob j : jobs) {
            j.join();
            assertTrue(j.getResult().isOK(), j.getResult().toString());
        }
        assertEquals(1, SteppingGenerator.MAX_ACTIVE.get(), "two jobs ran on gpu:0 at once");
    }

    @Test
    void cpuJobsRunSideBySide() throws Exception {
        // 900 ms each: scheduled together, non-conflicting rules let the job manager run them at once
        List<GenerationJob> jobs = List.of(steps(work.resolve("c1"), 3, 300, "cpu"), steps(work.resolve("c2"), 3, 300, "cpu"));
        jobs.forEach(Job::schedule);
        for (GenerationJob j : jobs) {
            j.join();
        }
        assertEquals(2, SteppingGenerator.MAX_ACTIVE.get(), "CPU jobs were serialised");
    }

    @Test
    void jobsBelongToTheirFamilies() {
        GenerationJob job = steps(work.resolve("f"), 1, 0, "cpu");
        assertTrue(job.belongsTo(JobFamilies.ALL));
        assertTrue(job.belongsTo(JobFamilies.GENERATION));
        assertFalse(job.belongsTo(JobFamilies.TRAINING));
    }

    private static void assertNoStagingLeft(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> partial = files.filter(p -> p.getFileName().toString().contains(".partial-")).toList();
            assertTrue(partial.isEmpty(), "staging folders left behind: " + partial);
        }
    }
}
