#!/usr/bin/env bash
# A real RabbitMQ node for tests, run from the Debian package (apt-get install rabbitmq-server) as a
# plain process of the caller's user, never the system service:
#
#   scripts/rabbitmq.sh ensure                       check that the package is installed
#   scripts/rabbitmq.sh start  --dir DIR [--port P]  start a node with its data in DIR, print host:port
#   scripts/rabbitmq.sh stop   --dir DIR             SIGTERM to its process group, then SIGKILL
#   scripts/rabbitmq.sh kill   --dir DIR             SIGKILL now (crash tests)
#   scripts/rabbitmq.sh status --dir DIR             prints "running HOST:PORT" (exit 0) or "stopped" (exit 3)
#
# Each node has its own AMQP port, Erlang distribution port, epmd port (ERL_EPMD_PORT, so a system
# epmd on 4369 is never touched), node name edgeway-PORT@localhost, mnesia and log directories
# under DIR, and its own epmd, started in the node's process group so stop and kill end it too.
# A start with the same DIR keeps the data (durable exchanges, queues and persistent messages) and,
# without --port, the ports of the previous start.
#
# Environment: EDGEWAY_RABBITMQ_HOME (default /usr/lib/rabbitmq), EDGEWAY_RABBITMQ_START_TIMEOUT
# seconds (default 90).
set -euo pipefail

SCRIPTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/background-process.sh
source "$SCRIPTS_DIR/lib/background-process.sh"

RABBITMQ_HOME=${EDGEWAY_RABBITMQ_HOME:-/usr/lib/rabbitmq}
START_TIMEOUT=${EDGEWAY_RABBITMQ_START_TIMEOUT:-90}
# shellcheck disable=SC2034 # read by run_service_command in lib/background-process.sh
STOP_GRACE=30
# Part of every node's command line (the node name); lets stop/kill/status recognise their own process.
MARKER=edgeway-rabbitmq-node

# The session leader (DIR/pid): starts the node's own epmd and the node, and on SIGTERM (sent to
# the whole group) exits only once the node has, so a restart never races the old node's ports.
# $0 is MARKER, which keeps the marker on the leader's command line.
# shellcheck disable=SC2016
SUPERVISOR='epmd -port "$ERL_EPMD_PORT" -address 127.0.0.1 & "$1" & node=$!; trap "wait $node; exit 0" TERM; wait $node'

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
}

ensure() {
  [[ -x $RABBITMQ_HOME/bin/rabbitmq-server ]] \
    || die "ensure: $RABBITMQ_HOME/bin/rabbitmq-server not found (expected: apt-get install rabbitmq-server)"
  command -v epmd >/dev/null || die "ensure: epmd not found (expected: it comes with rabbitmq-server's erlang)"
}

start() {
  local pid
  ensure
  mkdir -p "$DIR"
  DIR=$(cd "$DIR" && pwd)
  if pid=$(running_pid "$DIR" "$MARKER"); then
    local running
    running=$(<"$DIR/address")
    if [[ -n $PORT && $running != "127.0.0.1:$PORT" ]]; then
      die "start: a node (pid $pid) already runs from $DIR on $running (expected: port $PORT or no --port)"
    fi
    echo "$running"
    return 0
  fi
  if [[ -z $PORT && -f $DIR/port ]]; then PORT=$(<"$DIR/port"); fi
  [[ -n $PORT ]] || PORT=$(free_port)
  [[ $PORT =~ ^[0-9]+$ ]] && (( PORT >= 1 && PORT <= 65535 )) || die "start: --port: $PORT (expected: 1-65535)"
  accepts_connections "$PORT" && die "start: --port: $PORT (expected: a free port; something already listens on 127.0.0.1:$PORT)"
  local dist_port epmd_port
  dist_port=$(free_port); epmd_port=$(free_port)
  while [[ $dist_port == "$PORT" ]]; do dist_port=$(free_port); done
  while [[ $epmd_port == "$PORT" || $epmd_port == "$dist_port" ]]; do epmd_port=$(free_port); done
  echo "$PORT" >"$DIR/port"
  echo "127.0.0.1:$PORT" >"$DIR/address"
  mkdir -p "$DIR/mnesia" "$DIR/log"
  # An empty config and plugin list of our own: /etc/rabbitmq belongs to the system service.
  : >"$DIR/rabbitmq.conf"
  echo "[]." >"$DIR/enabled_plugins"

  local log_start
  touch "$DIR/server.log"
  log_start=$(( $(wc -c <"$DIR/server.log") + 1 ))
  echo "==== rabbitmq.sh start $(date -u +%FT%TZ) port $PORT dist $dist_port epmd $epmd_port" >>"$DIR/server.log"
  # The node name is fixed per DIR (its first port) so a restart finds its own mnesia data.
  local node
  if [[ -f $DIR/nodename ]]; then node=$(<"$DIR/nodename"); else node="$MARKER-$PORT@localhost"; echo "$node" >"$DIR/nodename"; fi
  spawn_detached "$DIR" "$DIR/server.log" env \
    HOME="$DIR" \
    RABBITMQ_NODENAME="$node" \
    RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
    RABBITMQ_NODE_PORT="$PORT" \
    RABBITMQ_DIST_PORT="$dist_port" \
    ERL_EPMD_PORT="$epmd_port" \
    ERL_EPMD_ADDRESS=127.0.0.1 \
    RABBITMQ_MNESIA_BASE="$DIR/mnesia" \
    RABBITMQ_LOG_BASE="$DIR/log" \
    RABBITMQ_LOGS=- \
    RABBITMQ_CONFIG_FILE="$DIR/rabbitmq.conf" \
    RABBITMQ_ADVANCED_CONFIG_FILE="$DIR/advanced.config" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$DIR/enabled_plugins" \
    RABBITMQ_PID_FILE="$DIR/rabbitmq.pid" \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="+S 1:1 +A 4" \
    bash -c "$SUPERVISOR" "$MARKER" "$RABBITMQ_HOME/bin/rabbitmq-server"

  local deadline=$(( SECONDS + START_TIMEOUT ))
  while (( SECONDS < deadline )); do
    if ! running_pid "$DIR" "$MARKER" >/dev/null; then
      tail -n 40 "$DIR/server.log" >&2
      kill_now "$DIR" "$MARKER" || true
      die "start: the node exited during start-up (log: $DIR/server.log)"
    fi
    if tail -c "+$log_start" "$DIR/server.log" | grep -q 'Server startup complete' && accepts_connections "$PORT"; then
      echo "127.0.0.1:$PORT"
      return 0
    fi
    sleep 0.2
  done
  tail -n 40 "$DIR/server.log" >&2
  kill_now "$DIR" "$MARKER"
  die "start: the node was not ready within ${START_TIMEOUT}s (log: $DIR/server.log)"
}

run_service_command ensure "$MARKER" address "$@"
