#!/usr/bin/env bash
# Writes an application class-data archive (AppCDS) for the gateway jar, so later starts map the
# gateway's classes from it instead of loading and verifying them one by one: the first proxied
# response of the embedded default configuration comes in about half the time (docs/performance.md,
# "Start-up").
#
#   scripts/cds-archive.sh [--jar JAR] [--archive FILE] [--request PATH]... [-- GATEWAY ARGS...]
#
# It runs the jar's training run once under -XX:ArchiveClassesAtExit: `training-run` starts the
# gateway on the configuration the gateway ARGS name (the embedded default without any), sends each
# --request PATH through its first listener (default /demo/hello), stops it and exits, and the JVM
# writes the archive. Then start the gateway with the same JDK and the jar named by the same
# absolute path (the script prints the command):
#
#   java -XX:SharedArchiveFile=edgeway.jsa -jar /opt/edgeway/edgeway.jar --config config/edgeway.yaml
#
# A JDK or jar that differs from the training run's makes the JVM ignore the archive (it says so
# with -Xlog:cds and starts as without it); rebuild the archive with every new jar. The training
# run listens on the configuration's ports: they must be free.
set -euo pipefail

JAR=target/edgeway.jar
ARCHIVE=edgeway.jsa
REQUESTS=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --jar) JAR=$2; shift 2 ;;
    --archive) ARCHIVE=$2; shift 2 ;;
    --request) REQUESTS+=(--request "$2"); shift 2 ;;
    --) shift; break ;;
    *) echo "cds-archive: unknown option $1 (expected: --jar, --archive, --request, -- gateway args)" >&2; exit 2 ;;
  esac
done
[[ -f $JAR ]] || { echo "cds-archive: $JAR: no such jar (build it: mvn -B -DskipTests package -pl gateway -am)" >&2; exit 2; }
# The archive records the class path as given: later starts must name the jar by this same path.
JAR=$(realpath "$JAR")
rm -f "$ARCHIVE"
# -Xlog:cds=error: the JVM warns of every class it leaves out (JFR events, generated accessors), harmlessly.
java -XX:ArchiveClassesAtExit="$ARCHIVE" -Xlog:cds=error -jar "$JAR" training-run "${REQUESTS[@]}" "$@"
[[ -s $ARCHIVE ]] || { echo "cds-archive: no archive written to $ARCHIVE" >&2; exit 1; }
echo "cds-archive: wrote $ARCHIVE ($(du -h "$ARCHIVE" | cut -f1)); start with: java -XX:SharedArchiveFile=$ARCHIVE -jar $JAR ..."
