#!/usr/bin/env bash
# Reading a 256x256x200 int16 NIfTI volume, .nii and .nii.gz: MedSynth against nibabel + numpy, in the same run.
# Needs the bundles built (./mvnw package) and Debian's python3-nibabel. Prints time and peak-memory ratios (MedSynth
# over nibabel): the first read in a fresh process (JVM cold) and the best of the following ones (warm).
#   run-benchmark.sh [reads per reader, default 20: the JIT needs a few to warm up] [java options...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../../.."
source "$root/.mvn/jdk.sh"
runs="${1:-20}"; shift || true
java_options=("$@")
m2="$HOME/.m2/repository"
cp="$root/bundles/org.medsynth.core/target/org.medsynth.core-0.1.0-SNAPSHOT.jar"
cp+=":$root/bundles/org.medsynth.io.nifti/target/org.medsynth.io.nifti-0.1.0-SNAPSHOT.jar"
cp+=":$m2/net/imglib2/imglib2/8.0.1/imglib2-8.0.1.jar:$m2/com/google/code/gson/gson/2.13.1/gson-2.13.1.jar"
cp+=":$m2/org/eclipse/platform/org.eclipse.equinox.common/3.21.0/org.eclipse.equinox.common-3.21.0.jar"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
javac -d "$work/classes" -cp "$cp" "$here/NiftiLoad.java" "$root/tests/benchmark/LoadTiming.java"
cp+=":$work/classes"
value() { grep "^$1=" <<<"$2" | cut -d= -f2; }
for name in volume.nii volume.nii.gz; do
  java -cp "$cp" NiftiLoad write "$work/$name"
  ours="$(java "${java_options[@]}" -cp "$cp" NiftiLoad load "$work/$name" "$runs" 2>/dev/null)"
  peer="$(/usr/bin/python3 "$here/nibabel_load.py" "$work/$name" "$runs")"
  awk -v name="$name" -v size="$(stat -c %s "$work/$name")" -v runs="$runs" -v voxels="$(value voxels "$ours")" \
      -v f1="$(value first_seconds "$ours")" -v f2="$(value first_seconds "$peer")" \
      -v b1="$(value best_seconds "$ours")" -v b2="$(value best_seconds "$peer")" \
      -v m1="$(value peak_growth_bytes "$ours")" -v m2="$(value peak_growth_bytes "$peer")" 'BEGIN {
    vb = voxels * 2
    printf "%s: %.0f MB on disk, %.0f MB int16 in memory; %s reads per reader\n", name, size / 1e6, vb / 1e6, runs
    printf "  first read (cold): MedSynth %.3f s, nibabel %.3f s, ratio %.2f\n", f1, f2, f1 / f2
    printf "  best read (warm):  MedSynth %.3f s, nibabel %.3f s, ratio %.2f\n", b1, b2, b1 / b2
    printf "  peak memory growth: MedSynth %.0f MB (%.2fx the volume), nibabel %.0f MB (%.2fx), ratio %.2f\n",
      m1 / 1e6, m1 / vb, m2 / 1e6, m2 / vb, m1 / m2 }'
done
