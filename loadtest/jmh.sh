#!/usr/bin/env bash
# Runs a JMH micro-benchmark (RouteTableBenchmark unless the first argument names another, e.g.
# MetricsRecordingBenchmark) with a short configuration: 1 fork, 3 warm-up x 1 s, 5 measurements
# x 1 s. Extra arguments go to JMH, e.g. `-p routes=10000`.
set -euo pipefail
cd "$(dirname "$0")/.."
# Absolute: each reactor module resolves a relative path against its own directory, and the
# gateway module (whose classes are target/ here) lives in gateway/. It runs last, so its
# class path is the one left in the file.
cp_file=$PWD/target/jmh.classpath
mvn -B -q test-compile dependency:build-classpath -pl gateway -am -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test
bench=RouteTableBenchmark
if [[ ${1:-} =~ ^[A-Z][A-Za-z0-9]*Benchmark$ ]]; then
  bench=$1
  shift
fi
exec java -cp "target/test-classes:target/classes:$(cat "$cp_file")" \
  org.openjdk.jmh.Main "\.$bench\." -f 1 -wi 3 -w 1s -i 5 -r 1s "$@"
