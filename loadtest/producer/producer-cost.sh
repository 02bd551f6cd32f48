#!/usr/bin/env bash
# What kafka-clients' KafkaProducer alone costs per record, with the events scenario's producer
# settings, against a real local broker (scripts/kafka.sh, on core 0), the producer pinned to
# core 1 as the gateway would be. See ProducerCost.java; results in loadtest/RESULTS.md.
#
#   loadtest/producer/producer-cost.sh [MODE ...]     (default: binary structured binary-uncompressed)
#   PRODUCER_OPTS="-Dproducer.linger.ms=20"   overrides producer properties
#   PRODUCER_ARGS="RATE ROUNDS PER_ROUND"     (default 30000 24 150000)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PROJECT_DIR=$(cd "$HERE/../.." && pwd)
JAR=$PROJECT_DIR/target/edgeway.jar
[[ -f $JAR ]] || (cd "$PROJECT_DIR" && mvn -q -B -DskipTests package)
MODES=("$@")
(( ${#MODES[@]} > 0 )) || MODES=(binary structured binary-uncompressed)
DIR=$(mktemp -d /tmp/edgeway-producer-cost.XXXXXX)
trap '"$PROJECT_DIR/scripts/kafka.sh" stop --dir "$DIR/kafka" >/dev/null 2>&1 || true; rm -rf "$DIR"' EXIT
BOOTSTRAP=$(taskset -c 0 "$PROJECT_DIR/scripts/kafka.sh" start --dir "$DIR/kafka")
for mode in "${MODES[@]}"; do
  # shellcheck disable=SC2086 # PRODUCER_OPTS: -Dproducer.NAME=VALUE words
  taskset -c 1 java -XX:ActiveProcessorCount=1 -Xms64m -Xmx256m ${PRODUCER_OPTS:-} -cp "$JAR" \
    "$HERE/ProducerCost.java" "$BOOTSTRAP" "$mode" ${PRODUCER_ARGS:-} 2>&1 | grep --line-buffered -v "^SLF4J\|INFO\|WARN"
done
