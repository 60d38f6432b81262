# Sourced by mvnw: installs the Java libraries that come from Debian packages (not from Maven Central) into the
# local Maven repository, so the target platform can name them as ordinary Maven artifacts. Idempotent: a jar is
# installed again only when the repository copy is missing or differs from the packaged one.
#   debian.local:pixelmed:20220618          libpixelmed-java          DICOM reading and writing (BSD-3)
#   debian.local:pixelmed-imageio:20200328  libpixelmed-imageio-java  JPEG lossless ImageIO reader (BSD-3)
medsynth_local_repo="$HOME/.m2/repository"
for medsynth_arg in "$@"; do
  case "$medsynth_arg" in -Dmaven.repo.local=*) medsynth_local_repo="${medsynth_arg#-Dmaven.repo.local=}" ;; esac
done
medsynth_install_jar() { # jar groupId artifactId version
  local target="$medsynth_local_repo/${2//.//}/$3/$4/$3-$4.jar"
  [ -f "$1" ] || { echo "mvnw: $1 is missing; install the Debian package that provides it (.mvn/os-packages.sh)" >&2; exit 1; }
  cmp -s "$1" "$target" && return 0
  (cd "$(mktemp -d)" && "$mvn_bin" -B -q -Dmaven.repo.local="$medsynth_local_repo" \
      org.apache.maven.plugins:maven-install-plugin:3.1.4:install-file \
      -Dfile="$1" -DgroupId="$2" -DartifactId="$3" -Dversion="$4" -Dpackaging=jar)
}
medsynth_install_jar /usr/share/java/pixelmed-20220618.jar debian.local pixelmed 20220618
medsynth_install_jar /usr/share/java/pixelmed_imageio-20200328.jar debian.local pixelmed-imageio 20200328
