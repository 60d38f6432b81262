#!/usr/bin/env bash
# Loading a 512x512x300 CT series: MedSynth (PixelMed underneath) against pydicom + numpy, in the same run.
# Needs the bundles built (./mvnw package) and Debian's python3-pydicom. Prints time and peak-memory ratios:
# the first load in a fresh process (JVM cold) and the best of the following ones (warm, as in the workbench).
#   run-benchmark.sh [loads per reader] [java options...]      e.g. run-benchmark.sh 5 -Xmx400m
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../../.."
source "$root/.mvn/jdk.sh"
runs="${1:-5}"; shift || true
export RUNS="$runs"
java_options=("$@")
m2="$HOME/.m2/repository"
cp="$root/bundles/org.medsynth.core/target/org.medsynth.core-0.1.0-SNAPSHOT.jar"
cp+=":$root/bundles/org.medsynth.io.dicom/target/org.medsynth.io.dicom-0.1.0-SNAPSHOT.jar"
cp+=":$m2/net/imglib2/imglib2/8.0.1/imglib2-8.0.1.jar:$m2/com/google/code/gson/gson/2.13.1/gson-2.13.1.jar"
cp+=":$m2/org/eclipse/platform/org.eclipse.equinox.common/3.21.0/org.eclipse.equinox.common-3.21.0.jar"
cp+=":/usr/share/java/pixelmed.jar:/usr/share/java/pixelmed_imageio.jar"
cp+=":$m2/com/github/jai-imageio/jai-imageio-core/1.4.0/jai-imageio-core-1.4.0.jar"
cp+=":$m2/com/github/jai-imageio/jai-imageio-jpeg2000/1.3.0/jai-imageio-jpeg2000-1.3.0.jar"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
javac -d "$work/classes" -cp "$cp" "$here/SeriesLoad.java" "$root/tests/benchmark/LoadTiming.java"
cp+=":$work/classes"
java -cp "$cp" SeriesLoad write "$work/series"
value() { grep "^$1=" <<<"$2" | cut -d= -f2; }
ours="$(java "${java_options[@]}" -cp "$cp" SeriesLoad load "$work/series" "$runs" 2>/dev/null)"
peer="$(/usr/bin/python3 "$here/pydicom_load.py" "$work/series" "$runs")"
volume_bytes=$(( $(value voxels "$ours") * 2 ))
awk -v f1="$(value first_seconds "$ours")" -v f2="$(value first_seconds "$peer")" \
    -v b1="$(value best_seconds "$ours")" -v b2="$(value best_seconds "$peer")" \
    -v m1="$(value peak_growth_bytes "$ours")" -v m2="$(value peak_growth_bytes "$peer")" -v vb="$volume_bytes" 'BEGIN {
  printf "volume: 512x512x300 int16 HU, %.0f MB; %s loads per reader\n", vb / 1e6, ENVIRON["RUNS"]
  printf "first load (cold): MedSynth %.2f s, pydicom+numpy %.2f s, ratio %.2f\n", f1, f2, f1 / f2
  printf "best load (warm):  MedSynth %.2f s, pydicom+numpy %.2f s, ratio %.2f\n", b1, b2, b1 / b2
  printf "peak memory growth: MedSynth %.0f MB (%.2fx the volume), pydicom+numpy %.0f MB (%.2fx), ratio %.2f\n",
    m1 / 1e6, m1 / vb, m2 / 1e6, m2 / vb, m1 / m2 }'
