package org.medsynth.data.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import org.medsynth.core.api.DatasetAdapter.DatasetCase;
import org.medsynth.core.image.MedicalImage;

/**
 * Iterates over cases, decoding one case at a time while a background thread decodes the following ones ahead,
 * within a memory budget. The budget bounds the decoded pixels the stream holds: the case last returned (until the
 * next call to {@link #next}, so callers must not keep it beyond that) plus the cases decoded ahead. A case is
 * decoded ahead only when the largest case seen so far would still fit; one that turns out larger than the room
 * left is dropped and decoded again when there is room, so the bound holds at every moment the stream keeps an
 * image. A case larger than the whole budget is an error.
 */
public final class DatasetStream implements Iterator<DatasetStream.Loaded>, AutoCloseable {
    /** A case with its images decoded, by role, and the bytes they occupy. */
    public record Loaded(DatasetCase datasetCase, Map<String, MedicalImage<?>> images, long bytes) {
    }

    private final Dataset dataset;
    private final List<DatasetCase> cases;
    private final long budget;
    private final Thread prefetcher;

    // guarded by this
    private final Map<Integer, Loaded> ready = new HashMap<>();
    private final Map<Integer, IOException> failures = new HashMap<>();
    private Loaded current;
    private int nextToLoad;
    private int nextToServe;
    private long held;
    private long peak;
    private long largest;
    private boolean closed;

    /**
     * Starts decoding {@code cases} of {@code dataset} ahead, in order.
     *
     * @param budgetBytes the most bytes of decoded pixels the stream may hold
     */
    public DatasetStream(Dataset dataset, List<DatasetCase> cases, long budgetBytes) {
        if (budgetBytes <= 0) {
            throw new IllegalArgumentException("memory budget must be positive, got " + budgetBytes + " bytes");
        }
        this.dataset = dataset;
        this.cases = List.copyOf(cases);
        this.budget = budgetBytes;
        this.prefetcher = new Thread(this::prefetch, "MedSynth dataset prefetch");
        prefetcher.setDaemon(true);
        prefetcher.start();
    }

    private void prefetch() {
        while (true) {
            int index;
            synchronized (this) {
                while (!closed && nextToLoad < cases.size() && held > 0 && held + largest > budget) {
                    waitQuietly();
                }
                if (closed || nextToLoad >= cases.size()) {
                    return;
                }
                index = nextToLoad;
            }
            DatasetCase c = cases.get(index);
            Loaded loaded = null;
            IOException failure = null;
            try {
                Map<String, MedicalImage<?>> images = dataset.readAll(c);
                long bytes = images.values().stream().mapToLong(Dataset::bytes).sum();
                loaded = new Loaded(c, images, bytes);
                if (bytes > budget) {
                    failure = new IOException("case '" + c.id() + "' decodes to " + bytes
                            + " bytes, more than the memory budget of " + budget + " bytes");
                }
            } catch (IOException | RuntimeException e) {
                failure = e instanceof IOException io ? io : new IOException("case '" + c.id() + "': " + e.getMessage(), e);
            }
            synchronized (this) {
                if (closed) {
                    return;
                }
                if (failure != null) {
                    failures.put(index, failure);
                    nextToLoad++;
                } else {
                    largest = Math.max(largest, loaded.bytes());
                    if (held + loaded.bytes() <= budget) {
                        ready.put(index, loaded);
                        held += loaded.bytes();
                        peak = Math.max(peak, held);
                        nextToLoad++;
                    }
                    // else: dropped; largest now covers it, so the loop waits for room and decodes it again
                }
                notifyAll();
            }
        }
    }

    private void waitQuietly() {
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public synchronized boolean hasNext() {
        return !closed && nextToServe < cases.size();
    }

    /**
     * The next case, decoded. Releases the case returned before.
     *
     * @throws UncheckedIOException naming the case if it cannot be read or is larger than the budget
     */
    @Override
    public synchronized Loaded next() {
        if (!hasNext()) {
            throw new NoSuchElementException(closed ? "the stream is closed" : "no more cases");
        }
        release();
        int index = nextToServe++;
        while (!closed && !ready.containsKey(index) && !failures.containsKey(index)) {
            waitQuietly();
        }
        IOException failure = failures.remove(index);
        if (failure != null) {
            throw new UncheckedIOException(failure);
        }
        if (closed) {
            throw new NoSuchElementException("the stream was closed");
        }
        current = ready.remove(index);
        return current;
    }

    private void release() {
        if (current != null) {
            held -= current.bytes();
            current = null;
            notifyAll();
        }
    }

    /** Bytes of decoded pixels the stream holds now. */
    public synchronized long heldBytes() {
        return held;
    }

    /** The most bytes of decoded pixels the stream has held at once. */
    public synchronized long peakHeldBytes() {
        return peak;
    }

    public long budgetBytes() {
        return budget;
    }

    /** Stops decoding ahead and releases everything held. */
    @Override
    public synchronized void close() {
        closed = true;
        release();
        ready.clear();
        held = 0;
        notifyAll();
    }
}
