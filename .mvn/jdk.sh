# Sourced by the scripts: selects a JDK 21+ (Temurin 25 preferred) whatever the caller's JAVA_HOME.
medsynth_java_ok() { [ -x "$1/bin/java" ] && "$1/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; }
if [ -n "${MEDSYNTH_JAVA_HOME:-}" ] && medsynth_java_ok "$MEDSYNTH_JAVA_HOME"; then
  JAVA_HOME="$MEDSYNTH_JAVA_HOME"
else
  JAVA_HOME=""
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-2[5-9]* /usr/lib/jvm/*; do
    if medsynth_java_ok "$candidate"; then JAVA_HOME="$candidate"; break; fi
  done
  [ -n "$JAVA_HOME" ] || { echo "MedSynth needs a JDK 21 or newer under /usr/lib/jvm (or MEDSYNTH_JAVA_HOME)" >&2; exit 1; }
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
