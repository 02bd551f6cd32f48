#!/usr/bin/env bash
# Writes an application class-data archive (AppCDS) for the gateway jar, so later starts map the
# gateway's classes from it instead of loading and verifying them one by one: on this project's
# 2-core machine the embedded default configuration served its first request after 1.7 s instead
# of 2.9 s (docs/performance.md, "Start-up").
#
#   scripts/cds-archive.sh [--jar JAR] [--archive FILE] [--request URL] [-- GATEWAY ARGS...]
#
# It starts the jar once with -XX:ArchiveClassesAtExit (a training run, on the configuration the
# gateway ARGS name: the embedded default without any), waits for the admin API's /ready, sends one
# request through the gateway (default: the default configuration's demo route), stops it with
# SIGTERM, and checks that the archive was written. Then start the gateway with the same JDK and
# the jar named by the same absolute path (the script prints the command):
#
#   java -XX:SharedArchiveFile=edgeway.jsa -jar /opt/edgeway/edgeway.jar --config config/edgeway.yaml
#
# A JDK or jar that differs from the training run's makes the JVM ignore the archive (it says so
# with -Xlog:cds and starts as without it); rebuild the archive with every new jar.
# Environment: EDGEWAY_ADMIN_PORT (9901), EDGEWAY_CDS_TIMEOUT seconds to wait for /ready (60).
set -euo pipefail

JAR=target/edgeway.jar
ARCHIVE=edgeway.jsa
REQUEST=http://127.0.0.1:8080/demo/hello
while [[ $# -gt 0 ]]; do
  case $1 in
    --jar) JAR=$2; shift 2 ;;
    --archive) ARCHIVE=$2; shift 2 ;;
    --request) REQUEST=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "cds-archive: unknown option $1 (expected: --jar, --archive, --request, -- gateway args)" >&2; exit 2 ;;
  esac
done
[[ -f $JAR ]] || { echo "cds-archive: $JAR: no such jar (build it: mvn -B -DskipTests package -pl gateway -am)" >&2; exit 2; }
# The archive records the class path as given: later starts must name the jar by this same path.
JAR=$(realpath "$JAR")
ADMIN_PORT=${EDGEWAY_ADMIN_PORT:-9901}
TIMEOUT=${EDGEWAY_CDS_TIMEOUT:-60}
rm -f "$ARCHIVE"
LOG=$(mktemp)
java -XX:ArchiveClassesAtExit="$ARCHIVE" -jar "$JAR" "$@" >"$LOG" 2>&1 &
PID=$!
trap 'kill -9 $PID 2>/dev/null || true; rm -f "$LOG"' EXIT
deadline=$((SECONDS + TIMEOUT))
until curl -fs -o /dev/null "http://127.0.0.1:$ADMIN_PORT/ready"; do
  if ! kill -0 $PID 2>/dev/null || ((SECONDS > deadline)); then
    echo "cds-archive: the gateway did not become ready within ${TIMEOUT}s; its output:" >&2
    cat "$LOG" >&2
    exit 1
  fi
  sleep 0.1
done
# One proxied request loads the request path's classes too; its status does not matter.
curl -s -o /dev/null -w "cds-archive: training request $REQUEST: %{http_code}\n" "$REQUEST" || true
kill -TERM $PID
wait $PID || true
trap - EXIT
rm -f "$LOG"
[[ -s $ARCHIVE ]] || { echo "cds-archive: no archive written to $ARCHIVE" >&2; exit 1; }
echo "cds-archive: wrote $ARCHIVE ($(du -h "$ARCHIVE" | cut -f1)); start with: java -XX:SharedArchiveFile=$ARCHIVE -jar $JAR ..."
