package org.medsynth.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.IntConsumer;

/**
 * Runs independent tasks on a fork/join pool of at most one thread per processor. Small jobs run on the calling
 * thread: below a few tens of thousands of values, handing work to threads costs more than it saves. Callers split
 * the work into tasks that do not depend on the thread count, so results are identical either way.
 */
final class Parallel {
    /** Values processed below which the work stays on the calling thread. */
    private static final long SEQUENTIAL_BELOW = 1 << 15;

    private static final ForkJoinPool POOL = new ForkJoinPool(Runtime.getRuntime().availableProcessors());

    private Parallel() {
    }

    /** Calls {@code task} with every index in [0, tasks); {@code work} is the total number of values touched. */
    static void run(int tasks, long work, IntConsumer task) {
        if (tasks == 1 || work < SEQUENTIAL_BELOW || POOL.getParallelism() == 1) {
            for (int t = 0; t < tasks; t++) {
                task.accept(t);
            }
            return;
        }
        List<ForkJoinTask<?>> all = new ArrayList<>(tasks);
        for (int t = 0; t < tasks; t++) {
            int index = t;
            all.add(ForkJoinTask.adapt(() -> task.accept(index)));
        }
        POOL.invoke(ForkJoinTask.adapt(() -> ForkJoinTask.invokeAll(all)));
    }

    /** Number of tasks to split {@code items} into: a few per thread so uneven tasks still balance. */
    static int tasksFor(int items) {
        return Math.max(1, Math.min(items, 4 * POOL.getParallelism()));
    }
}
