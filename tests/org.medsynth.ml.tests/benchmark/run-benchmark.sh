#!/usr/bin/env bash
# Times one training step and one sampling step of the same 2D U-Net (base 32, levels 1-2-2, 2 residual blocks per
# level, attention at the lowest resolution, batch 8 of 64²) in MedSynth/DJL and in PyTorch (Debian python3-torch),
# with the same thread count, in one run; then the peak memory of one training step of a 3D U-Net at 64³ on each
# side. Writes tests/org.medsynth.ml.tests/target/benchmark/report.md.
#   usage: run-benchmark.sh [THREADS] [REPEATS]      defaults: 1 thread, 10 timed steps after 2 warm-up steps
# Needs the built org.medsynth.ml bundle (./mvnw verify, which also fetches the DJL jars) and python3-torch.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
source "$root/.mvn/jdk.sh"
threads=${1:-1}
repeats=${2:-10}
repo="${MAVEN_REPO:-$HOME/.m2/repository}"
jar=$(ls "$root"/bundles/org.medsynth.ml/target/org.medsynth.ml-*.jar 2>/dev/null | grep -v -- -sources | head -1 || true)
[ -n "$jar" ] || { echo "run-benchmark.sh: build org.medsynth.ml first (./mvnw verify)" >&2; exit 1; }
cp="$jar"
for artifact in ai/djl/api/0.32.0/api-0.32.0.jar ai/djl/pytorch/pytorch-engine/0.32.0/pytorch-engine-0.32.0.jar \
    ai/djl/pytorch/pytorch-jni/2.5.1-0.32.0/pytorch-jni-2.5.1-0.32.0.jar \
    ai/djl/pytorch/pytorch-native-cpu/2.5.1/pytorch-native-cpu-2.5.1-linux-x86_64.jar; do
  [ -f "$repo/$artifact" ] || { echo "run-benchmark.sh: $repo/$artifact is missing (./mvnw verify fetches it)" >&2; exit 1; }
  cp="$cp:$repo/$artifact"
done
for dependency in com/google/code/gson/gson net/java/dev/jna/jna org/apache/commons/commons-compress \
    commons-io/commons-io org/slf4j/slf4j-api; do
  cp="$cp:$(ls "$repo/$dependency"/*/*.jar | grep -v -- -sources | sort -V | tail -1)"
done
out="$root/tests/org.medsynth.ml.tests/target/benchmark"
mkdir -p "$out"
java_run() {
  # the same oneDNN cap as every MedSynth JVM (its AVX kernels compute wrong convolution gradients on some CPUs)
  ONEDNN_MAX_CPU_ISA="${ONEDNN_MAX_CPU_ISA:-SSE41}" java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads=1 \
      --enable-native-access=ALL-UNNAMED -cp "$cp" "$here/UNetBenchmark.java" "$@" 2>/dev/null
}
java_run speed "$repeats" "$out/djl-speed.json"
OMP_NUM_THREADS="$threads" /usr/bin/python3 "$here/unet_benchmark.py" speed "$repeats" "$threads" "$out/torch-speed.json"
java_run memory3d 1 "$out/djl-memory3d.json"
OMP_NUM_THREADS="$threads" /usr/bin/python3 "$here/unet_benchmark.py" memory3d 1 "$threads" "$out/torch-memory3d.json"
/usr/bin/python3 - "$out" "$threads" <<'PY'
import json, sys
out, threads = sys.argv[1], sys.argv[2]
load = lambda name: json.load(open("%s/%s.json" % (out, name)))
djl, torch = load("djl-speed"), load("torch-speed")
djl3, torch3 = load("djl-memory3d"), load("torch-memory3d")
lines = ["# U-Net: MedSynth/DJL (libtorch 2.5.1) vs PyTorch 1.13 (Debian), %s thread(s)" % threads, "",
         "| step | DJL s | PyTorch s | DJL / PyTorch |", "|---|---|---|---|"]
for key, name in [("train_step_s", "training step (batch 8, 64²)"), ("sample_step_s", "sampling step (batch 8, 64²)")]:
    lines.append("| %s | %.4f | %.4f | %.2f |" % (name, djl[key], torch[key], djl[key] / torch[key]))
lines += ["", "3D U-Net training step at 64³ (batch 1): peak RSS DJL %d MB, PyTorch %d MB"
          % (djl3["peak_rss_mb"], torch3["peak_rss_mb"])]
open(out + "/report.md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
