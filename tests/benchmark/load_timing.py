"""The measuring half shared by the reader benchmarks' Python peers: calls load(path) N times and prints the first
and best seconds and the resident-memory growth of the first load (VmHWM after it minus VmRSS before it), plus the
voxel count, as key=value lines."""
import time


def status(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise KeyError(key)


def measure(load, path, runs):
    before = status("VmRSS")
    start = time.perf_counter()
    volume = load(path)
    first = time.perf_counter() - start
    peak = status("VmHWM")
    voxels = volume.size
    del volume
    best = first
    for _ in range(1, runs):
        start = time.perf_counter()
        load(path)
        best = min(best, time.perf_counter() - start)
    print("first_seconds=%.3f" % first)
    print("best_seconds=%.3f" % best)
    print("peak_growth_bytes=%d" % ((peak - before) * 1024))
    print("voxels=%d" % voxels)
