#!/usr/bin/env bash
# A real single-node Kafka broker (KRaft, combined broker+controller) for tests, run from the
# broker jars on Maven Central: the machines that run the tests have no Docker engine.
#
#   scripts/kafka.sh fetch                        resolve the broker jars once into the cache
#   scripts/kafka.sh start  --dir DIR [--port P]  format DIR (first time), start, print host:port
#   scripts/kafka.sh stop   --dir DIR             SIGTERM, then SIGKILL after a grace time
#   scripts/kafka.sh kill   --dir DIR             SIGKILL now (crash tests)
#   scripts/kafka.sh status --dir DIR             prints "running HOST:PORT" (exit 0) or "stopped" (exit 3)
#
# A start with the same DIR reuses its data, and without --port reuses the port of the previous
# start, so a test can kill and restart the broker and keep both its address and its records.
#
# Environment: EDGEWAY_KAFKA_VERSION (default 4.1.1), EDGEWAY_KAFKA_HOME (default
# ~/.cache/edgeway/kafka-VERSION), EDGEWAY_KAFKA_START_TIMEOUT seconds (default 90),
# EDGEWAY_KAFKA_HEAP (default 512m), EDGEWAY_KAFKA_JVM_OPTS (extra JVM options).
set -euo pipefail

SCRIPTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/background-process.sh
source "$SCRIPTS_DIR/lib/background-process.sh"

KAFKA_VERSION=${EDGEWAY_KAFKA_VERSION:-4.1.1}
KAFKA_HOME=${EDGEWAY_KAFKA_HOME:-$HOME/.cache/edgeway/kafka-$KAFKA_VERSION}
LIBS=$KAFKA_HOME/libs
START_TIMEOUT=${EDGEWAY_KAFKA_START_TIMEOUT:-90}
# shellcheck disable=SC2034 # read by run_service_command in lib/background-process.sh
STOP_GRACE=30
# Part of every broker's command line; lets stop/kill/status recognise their own process.
MAIN_CLASS=kafka.Kafka

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
}

fetch() {
  [[ -f $LIBS/.complete ]] && return 0
  command -v mvn >/dev/null || die "fetch: mvn not found (expected: Maven 3 on PATH)"
  mkdir -p "$KAFKA_HOME"
  # Two test JVMs may start brokers at the same moment on a fresh machine.
  exec 9>"$KAFKA_HOME/.fetch.lock"
  flock 9
  if [[ ! -f $LIBS/.complete ]]; then
    echo "kafka.sh: fetching Kafka $KAFKA_VERSION broker jars into $LIBS" >&2
    local staging="$KAFKA_HOME/libs.tmp.$$"
    rm -rf "$staging"
    if ! mvn -B -q -Dstyle.color=never -f "$SCRIPTS_DIR/kafka/pom.xml" -Dkafka.version="$KAFKA_VERSION" \
        dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$staging" >&2; then
      rm -rf "$staging"
      die "fetch: mvn could not resolve org.apache.kafka:kafka_2.13:$KAFKA_VERSION (see the Maven output above)"
    fi
    ls "$staging"/kafka_2.13-*.jar >/dev/null 2>&1 || die "fetch: no kafka_2.13 jar in $staging"
    touch "$staging/.complete"
    rm -rf "$LIBS"
    mv "$staging" "$LIBS"
  fi
  flock -u 9
}

java_command() {
  # -XX:TieredStopAtLevel=1: a test broker on 2 cores starts much faster on C1 alone and never
  # runs long enough for C2 to pay off.
  JAVA_COMMAND=(java -Xms64m "-Xmx${EDGEWAY_KAFKA_HEAP:-512m}" -XX:+UseSerialGC -XX:TieredStopAtLevel=1
    -Djava.awt.headless=true "-Dlog4j2.configurationFile=$DIR/log4j2.properties")
  # shellcheck disable=SC2206
  [[ -n ${EDGEWAY_KAFKA_JVM_OPTS:-} ]] && JAVA_COMMAND+=(${EDGEWAY_KAFKA_JVM_OPTS})
  JAVA_COMMAND+=(-cp "$LIBS/*" "$@")
}

# Kafka's cluster ids are 16 random bytes in URL-safe base64 without padding; Kafka avoids a
# leading '-' so that the id never looks like a command-line option.
random_cluster_id() {
  local id
  while :; do
    id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    [[ $id != -* ]] && { echo "$id"; return; }
  done
}

write_config() {
  local port=$1 controller_port=$2
  cat >"$DIR/server.properties" <<PROPS
# Written by scripts/kafka.sh on every start; edits are overwritten.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$DIR/data
auto.create.topics.enable=true
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
share.coordinator.state.topic.num.partitions=1
group.initial.rebalance.delay.ms=0
# After a SIGKILL the controller keeps the dead broker's registration until its session expires
# and refuses the restarted one meanwhile (DUPLICATE_BROKER_REGISTRATION); 9 s by default.
broker.session.timeout.ms=2000
broker.heartbeat.interval.ms=500
num.network.threads=2
num.io.threads=2
num.recovery.threads.per.data.dir=1
PROPS
  cat >"$DIR/log4j2.properties" <<'PROPS'
# Everything to stdout, which scripts/kafka.sh sends to DIR/server.log.
appender.out.type=Console
appender.out.name=out
appender.out.layout.type=PatternLayout
appender.out.layout.pattern=[%d] %p %m (%c)%n
rootLogger.level=INFO
rootLogger.appenderRef.out.ref=out
logger.kafka.name=kafka
logger.kafka.level=INFO
logger.state.name=state.change.logger
logger.state.level=WARN
logger.request.name=kafka.request.logger
logger.request.level=WARN
PROPS
}

start() {
  local pid
  mkdir -p "$DIR"
  DIR=$(cd "$DIR" && pwd)
  if pid=$(running_pid "$DIR" "$MAIN_CLASS"); then
    local running
    running=$(<"$DIR/bootstrap")
    if [[ -n $PORT && $running != "127.0.0.1:$PORT" ]]; then
      die "start: a broker (pid $pid) already runs from $DIR on $running (expected: port $PORT or no --port)"
    fi
    echo "$running"
    return 0
  fi
  fetch

  # Same ports as the previous start in this DIR unless told otherwise: clients keep their address.
  if [[ -z $PORT && -f $DIR/port ]]; then PORT=$(<"$DIR/port"); fi
  [[ -n $PORT ]] || PORT=$(free_port)
  [[ $PORT =~ ^[0-9]+$ ]] && (( PORT >= 1 && PORT <= 65535 )) || die "start: --port: $PORT (expected: 1-65535)"
  accepts_connections "$PORT" && die "start: --port: $PORT (expected: a free port; something already listens on 127.0.0.1:$PORT)"
  local controller_port=""
  [[ -f $DIR/controller-port ]] && controller_port=$(<"$DIR/controller-port")
  if [[ -z $controller_port || $controller_port == "$PORT" ]] || accepts_connections "$controller_port"; then
    controller_port=$(free_port)
    [[ $controller_port != "$PORT" ]] || controller_port=$(free_port)
  fi
  echo "$PORT" >"$DIR/port"
  echo "$controller_port" >"$DIR/controller-port"
  echo "127.0.0.1:$PORT" >"$DIR/bootstrap"
  write_config "$PORT" "$controller_port"

  if [[ ! -f $DIR/data/meta.properties ]]; then
    local cluster_id
    cluster_id=$(random_cluster_id)
    java_command kafka.tools.StorageTool format --cluster-id "$cluster_id" --config "$DIR/server.properties"
    if ! "${JAVA_COMMAND[@]}" >"$DIR/format.log" 2>&1; then
      cat "$DIR/format.log" >&2
      die "start: formatting $DIR/data failed (see above)"
    fi
  fi

  # Marks where this start's lines begin, so an older "started" line is not mistaken for this one.
  local log_start
  touch "$DIR/server.log"
  log_start=$(( $(wc -c <"$DIR/server.log") + 1 ))
  echo "==== kafka.sh start $(date -u +%FT%TZ) port $PORT controller $controller_port" >>"$DIR/server.log"
  java_command "$MAIN_CLASS" "$DIR/server.properties"
  spawn_detached "$DIR" "$DIR/server.log" "${JAVA_COMMAND[@]}"

  local deadline=$(( SECONDS + START_TIMEOUT ))
  while (( SECONDS < deadline )); do
    if ! running_pid "$DIR" "$MAIN_CLASS" >/dev/null; then
      tail -n 40 "$DIR/server.log" >&2
      die "start: the broker exited during start-up (log: $DIR/server.log)"
    fi
    # KafkaRaftServer logs this only after the broker has been unfenced by the controller.
    if tail -c "+$log_start" "$DIR/server.log" | grep -q 'Kafka Server started' && accepts_connections "$PORT"; then
      echo "127.0.0.1:$PORT"
      return 0
    fi
    sleep 0.2
  done
  tail -n 40 "$DIR/server.log" >&2
  kill_now "$DIR" "$MAIN_CLASS"
  die "start: the broker was not ready within ${START_TIMEOUT}s (log: $DIR/server.log)"
}

run_service_command fetch "$MAIN_CLASS" bootstrap "$@"
