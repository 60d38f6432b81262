package org.medsynth.core.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.medsynth.core.internal.JsonSupport;

/**
 * What one run did, written as JSON by every job whatever its outcome: what ran (contribution, version, bundle),
 * on what (inputs with sha256), how (parameters, seed, device, model and weight sha256), with what software, when,
 * and what came of it (outputs with sha256, metrics, outcome, message).
 */
public final class RunRecord {
    public static final String SCHEMA = "medsynth.run/1";

    public enum Outcome {
        RUNNING, SUCCEEDED, FAILED, CANCELLED
    }

    public record FileEntry(String path, String sha256, long bytes) {
        public static FileEntry of(Path file) throws IOException {
            return new FileEntry(file.toAbsolutePath().toString(), Sha256.of(file), Files.size(file));
        }
    }

    public record Timings(Instant start, Instant end, long durationMs) {
    }

    final String schema = SCHEMA;
    final String runId = UUID.randomUUID().toString();
    final String kind;
    final String contributionId;
    final String contributionVersion;
    final String bundle;
    Map<String, String> parameters = new LinkedHashMap<>();
    long seed;
    String device = "cpu";
    final List<FileEntry> inputs = new ArrayList<>();
    final List<FileEntry> outputs = new ArrayList<>();
    String modelCardId = "";
    String weightSha256 = "";
    final Map<String, String> versions = new LinkedHashMap<>();
    final Map<String, Object> results = new LinkedHashMap<>();
    Timings timings;
    Outcome outcome = Outcome.RUNNING;
    String message = "";

    RunRecord(String kind, String contributionId, String contributionVersion, String bundle) {
        this.kind = kind;
        this.contributionId = contributionId;
        this.contributionVersion = contributionVersion;
        this.bundle = bundle;
        this.timings = new Timings(Instant.now(), null, 0);
        versions.put("medsynth", Versions.medsynth());
        versions.put("java", System.getProperty("java.version"));
        versions.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    }

    void finish(Outcome result, String text) {
        Instant end = Instant.now();
        timings = new Timings(timings.start(), end, Duration.between(timings.start(), end).toMillis());
        outcome = result;
        message = text == null ? "" : text;
    }

    public String runId() {
        return runId;
    }

    public String kind() {
        return kind;
    }

    public String contributionId() {
        return contributionId;
    }

    public Outcome outcome() {
        return outcome;
    }

    public String message() {
        return message;
    }

    public Map<String, String> parameters() {
        return Map.copyOf(parameters);
    }

    public long seed() {
        return seed;
    }

    /** The device the run was given ({@code cpu} or {@code gpu:N}). */
    public String device() {
        return device;
    }

    public List<FileEntry> inputs() {
        return List.copyOf(inputs);
    }

    public List<FileEntry> outputs() {
        return List.copyOf(outputs);
    }

    public Map<String, Object> results() {
        return java.util.Collections.unmodifiableMap(results);
    }

    public Timings timings() {
        return timings;
    }

    public String toJson() {
        return JsonSupport.gson().toJson(this);
    }

    public static RunRecord fromJson(String json) {
        return JsonSupport.gson().fromJson(json, RunRecord.class);
    }

    public static RunRecord read(Path file) throws IOException {
        return fromJson(Files.readString(file));
    }
}
