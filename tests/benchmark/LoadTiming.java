import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The measuring half shared by the reader benchmarks: loads something {@code runs} times in this process and prints,
 * as {@code key=value} lines, the first (cold JVM) and best (warm) seconds and the resident-memory growth of the first
 * load (VmHWM after it minus VmRSS before it), plus the element count the load reports.
 */
public final class LoadTiming {
    private LoadTiming() {
    }

    /** What one load produced: how many voxels. */
    @FunctionalInterface
    public interface Load {
        long voxels() throws Exception;
    }

    public static void measure(Load load, int runs) throws Exception {
        long before = status("VmRSS");
        long start = System.nanoTime();
        long voxels = load.voxels();
        double first = (System.nanoTime() - start) / 1e9;
        long peak = status("VmHWM");
        double best = first;
        for (int again = 1; again < runs; again++) {
            long t = System.nanoTime();
            load.voxels();
            best = Math.min(best, (System.nanoTime() - t) / 1e9);
        }
        System.out.printf(Locale.ROOT, "first_seconds=%.3f%nbest_seconds=%.3f%npeak_growth_bytes=%d%nvoxels=%d%n",
                first, best, (peak - before) * 1024, voxels);
    }

    /** A line of /proc/self/status in kB. */
    private static long status(String key) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException(key + " not in /proc/self/status");
    }
}
