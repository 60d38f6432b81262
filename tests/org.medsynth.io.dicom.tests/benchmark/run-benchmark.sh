#!/usr/bin/env bash
# Loading a 512x512x300 CT series: MedSynth (PixelMed underneath) against pydicom + numpy, in the same run.
# Needs the bundles built (./mvnw package) and Debian's python3-pydicom. Prints time and peak-memory ratios.
#   run-benchmark.sh [runs] [java options...]      e.g. run-benchmark.sh 3 -Xmx400m
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../../.."
source "$root/.mvn/jdk.sh"
runs="${1:-3}"; shift || true
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
javac -d "$work/classes" -cp "$cp" "$here/SeriesLoad.java"
cp+=":$work/classes"
java -cp "$cp" SeriesLoad write "$work/series"
value() { grep "^$1=" <<<"$2" | cut -d= -f2; }
for run in $(seq 1 "$runs"); do
  ours="$(java "${java_options[@]}" -cp "$cp" SeriesLoad load "$work/series" 2>/dev/null)"
  peer="$(/usr/bin/python3 "$here/pydicom_load.py" "$work/series")"
  volume_bytes=$(( $(value voxels "$ours") * 2 ))
  awk -v run="$run" -v ts="$(value seconds "$ours")" -v tp="$(value seconds "$peer")" \
      -v ms="$(value peak_growth_bytes "$ours")" -v mp="$(value peak_growth_bytes "$peer")" -v vb="$volume_bytes" \
      -v type="$(value type "$ours")" -v ptype="$(value type "$peer")" 'BEGIN {
    printf "run %d: MedSynth %.2f s, peak +%.0f MB (%.2fx the %.0f MB %s volume) | pydicom+numpy %.2f s, peak +%.0f MB (%.2fx, %s) | time ratio MedSynth/pydicom %.2f, memory ratio %.2f\n",
      run, ts, ms / 1e6, ms / vb, vb / 1e6, type, tp, mp / 1e6, mp / vb, ptype, ts / tp, ms / mp }'
done
