#!/usr/bin/env bash
# Times org.medsynth.physics (DRR 256²/256³ and 512²/512³, the trilinear-sampling limit, Radon/FBP 512², SENSE 320²
# and its bare centred FFT) against a NumPy/PyTorch/scikit-image peer in one run, and writes
# tests/org.medsynth.physics.tests/target/benchmark/report.md (and report.json).
#   usage: run-benchmark.sh [SIZES]      SIZES defaults to 256,512 (512³ needs ~3 GB of memory per side)
# Needs the built bundle (./mvnw verify) and Debian's python3-torch and python3-skimage for /usr/bin/python3.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
source "$root/.mvn/jdk.sh"
sizes=${1:-256,512}
jar=$(ls "$root"/bundles/org.medsynth.physics/target/org.medsynth.physics-*.jar 2>/dev/null | grep -v -- -sources | head -1 || true)
[ -n "$jar" ] || { echo "run-benchmark.sh: build org.medsynth.physics first (./mvnw verify)" >&2; exit 1; }
out="$root/tests/org.medsynth.physics.tests/target/benchmark"
mkdir -p "$out"
# the operators need nothing from OSGi, so the bundle jar alone is the class path
java -Xmx4g -cp "$jar" "$here/PhysicsBenchmark.java" "$out/java.json" "$out/drr256.f32" "$sizes"
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$here/benchmark.py" "$out" "$out/java.json" \
    "$out/drr256.f32" "$sizes"
