package org.medsynth.ml.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalLong;

import ai.djl.engine.EngineException;

/**
 * Turns "the batch does not fit" into a clear error instead of a dead process: it measures the resident memory a
 * training step adds (native tensors are invisible to the Java heap) against a budget, and recognises the engines'
 * out-of-memory errors. The measurement uses Linux's peak resident set size ({@code VmHWM}, reset through
 * {@code /proc/self/clear_refs}); where that is unavailable only the engine errors are recognised.
 */
final class MemoryGuard {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");
    /** Writing 5 to clear_refs resets the peak resident set size to the current one (Linux 4.0+). */
    private static final String RESET_PEAK = "5";
    private static final long MB = 1024 * 1024;

    private final long budgetBytes;
    private long residentBefore = -1;

    /** {@code budgetBytes} ≤ 0: no budget, only engine errors are recognised. */
    MemoryGuard(long budgetBytes) {
        this.budgetBytes = budgetBytes;
    }

    /** Call before the measured step. */
    void beforeStep() {
        if (budgetBytes <= 0) {
            return;
        }
        try {
            Files.writeString(CLEAR_REFS, RESET_PEAK);
            residentBefore = field("VmRSS").orElse(-1);
        } catch (IOException | SecurityException e) {
            residentBefore = -1;
        }
    }

    /** Call after the measured step: fails when its peak growth exceeded the budget. */
    void afterStep(int batchSize) throws BatchDoesNotFitException {
        if (residentBefore < 0) {
            return;
        }
        long peak = field("VmHWM").orElse(-1);
        long growth = peak - residentBefore;
        residentBefore = -1;
        if (peak >= 0 && growth > budgetBytes) {
            throw new BatchDoesNotFitException(String.format(Locale.ROOT, "a batch of %d does not fit in the "
                    + "memory budget of %d MB: its first training step needed %d MB; lower the batch size or "
                    + "raise the budget in the preferences", batchSize, budgetBytes / MB, growth / MB), null);
        }
    }

    /** Throws the clear error when {@code e} is an engine's out-of-memory error; returns otherwise. */
    static void rethrowIfOutOfMemory(EngineException e, int batchSize, String device)
            throws BatchDoesNotFitException {
        String message = String.valueOf(e.getMessage());
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("out of memory") || lower.contains("can't allocate memory")
                || lower.contains("not enough memory")) {
            throw new BatchDoesNotFitException("a batch of " + batchSize + " does not fit on " + device + ": "
                    + firstLine(message) + "; lower the batch size", e);
        }
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** A "kB" field of /proc/self/status in bytes. */
    private static OptionalLong field(String name) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(name + ":")) {
                    String[] parts = line.substring(name.length() + 1).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
                }
            }
        } catch (IOException | NumberFormatException | SecurityException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }
}
