#!/usr/bin/env bash
# A real Redis server for tests (rate-limit state shared through Redis), one per directory.
#
#   scripts/redis.sh ensure                        install redis-server with apt-get if missing
#   scripts/redis.sh start  --dir DIR [--port P]   start, wait for PONG, print host:port
#   scripts/redis.sh stop   --dir DIR              SIGTERM, then SIGKILL after a grace time
#   scripts/redis.sh kill   --dir DIR              SIGKILL now (crash tests)
#   scripts/redis.sh status --dir DIR              prints "running HOST:PORT" (exit 0) or "stopped" (exit 3)
#
# Nothing is persisted (--save '' --appendonly no): a restart starts empty, like a Redis that
# lost its memory. Without --port a restart in the same DIR reuses the previous port.
#
# A file DIR/role written before start gives the server a role (tests of replication, Sentinel):
#   replica-of HOST:PORT          a replica of that master
#   sentinel HOST:PORT NAME       a Sentinel watching that master under NAME (quorum 1, a master
#                                 counts as down after 1 s without answers)
#   cluster-node                  a Redis Cluster node (join nodes into a cluster with
#                                 redis-cli --cluster create HOST:PORT ... --cluster-yes)
#
# Environment: EDGEWAY_REDIS_START_TIMEOUT seconds (default 20).
set -euo pipefail

SCRIPTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/background-process.sh
source "$SCRIPTS_DIR/lib/background-process.sh"

START_TIMEOUT=${EDGEWAY_REDIS_START_TIMEOUT:-20}
# shellcheck disable=SC2034 # read by run_service_command in lib/background-process.sh
STOP_GRACE=10
MARKER=redis-server

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
}

ensure() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null && return 0
  command -v apt-get >/dev/null || die "ensure: redis-server not found and no apt-get (expected: redis-server and redis-cli on PATH)"
  local sudo=""
  (( EUID == 0 )) || sudo=sudo
  echo "redis.sh: installing redis-server with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  # A fresh machine may have no package lists yet; update only when the plain install fails.
  if ! $sudo apt-get install -y -q --no-install-recommends redis-server >&2; then
    $sudo apt-get update -q >&2
    $sudo apt-get install -y -q --no-install-recommends redis-server >&2
  fi
  command -v redis-server >/dev/null || die "ensure: redis-server still missing after apt-get install"
}

# The cluster bus port: Redis's default, port + 10000, can land in the ephemeral range and be
# taken; a free port of our own range instead.
cluster_bus_port() {
  local bus
  bus=$(free_port)
  while [[ $bus == "$PORT" ]]; do bus=$(free_port); done
  echo "$bus"
}

ping_ok() {
  [[ $(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null) == PONG ]]
}

start() {
  local pid
  mkdir -p "$DIR"
  DIR=$(cd "$DIR" && pwd)
  if pid=$(running_pid "$DIR" "$MARKER"); then
    local running
    running=$(<"$DIR/address")
    if [[ -n $PORT && $running != "127.0.0.1:$PORT" ]]; then
      die "start: a redis-server (pid $pid) already runs from $DIR on $running (expected: port $PORT or no --port)"
    fi
    echo "$running"
    return 0
  fi
  ensure

  if [[ -z $PORT && -f $DIR/port ]]; then PORT=$(<"$DIR/port"); fi
  [[ -n $PORT ]] || PORT=$(free_port)
  [[ $PORT =~ ^[0-9]+$ ]] && (( PORT >= 1 && PORT <= 65535 )) || die "start: --port: $PORT (expected: 1-65535)"
  accepts_connections "$PORT" && die "start: --port: $PORT (expected: a free port; something already listens on 127.0.0.1:$PORT)"
  echo "$PORT" >"$DIR/port"
  echo "127.0.0.1:$PORT" >"$DIR/address"

  local role=()
  if [[ -f $DIR/role ]]; then read -r -a role <"$DIR/role"; fi
  echo "==== redis.sh start $(date -u +%FT%TZ) port $PORT ${role[*]}" >>"$DIR/redis.log"
  case ${role[0]:-} in
    "")
      spawn_detached "$DIR" "$DIR/redis.log" redis-server --port "$PORT" --bind 127.0.0.1 \
        --save '' --appendonly no --daemonize no --dir "$DIR" --logfile '' ;;
    replica-of)
      [[ ${role[1]:-} =~ ^([^:]+):([0-9]+)$ ]] || die "start: $DIR/role: ${role[*]} (expected: replica-of HOST:PORT)"
      spawn_detached "$DIR" "$DIR/redis.log" redis-server --port "$PORT" --bind 127.0.0.1 \
        --save '' --appendonly no --daemonize no --dir "$DIR" --logfile '' \
        --replicaof "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" ;;
    sentinel)
      [[ ${role[2]:-} =~ ^[A-Za-z0-9._-]+$ && ${role[1]:-} =~ ^([^:]+):([0-9]+)$ ]] \
        || die "start: $DIR/role: ${role[*]} (expected: sentinel HOST:PORT NAME)"
      # Sentinel rewrites its config file: a fresh one at every start.
      printf '%s\n' "port $PORT" "bind 127.0.0.1" "dir $DIR" \
        "sentinel monitor ${role[2]} ${BASH_REMATCH[1]} ${BASH_REMATCH[2]} 1" \
        "sentinel down-after-milliseconds ${role[2]} 1000" \
        "sentinel failover-timeout ${role[2]} 5000" >"$DIR/sentinel.conf"
      spawn_detached "$DIR" "$DIR/redis.log" redis-server "$DIR/sentinel.conf" --sentinel --daemonize no --logfile '' ;;
    cluster-node)
      spawn_detached "$DIR" "$DIR/redis.log" redis-server --port "$PORT" --bind 127.0.0.1 \
        --save '' --appendonly no --daemonize no --dir "$DIR" --logfile '' \
        --cluster-enabled yes --cluster-config-file "$DIR/nodes.conf" --cluster-node-timeout 2000 \
        --cluster-port "$(cluster_bus_port)" ;;
    *) die "start: $DIR/role: ${role[*]} (expected: replica-of HOST:PORT, sentinel HOST:PORT NAME or cluster-node)" ;;
  esac

  local deadline=$(( SECONDS + START_TIMEOUT ))
  while (( SECONDS < deadline )); do
    if ! running_pid "$DIR" "$MARKER" >/dev/null; then
      tail -n 20 "$DIR/redis.log" >&2
      die "start: redis-server exited during start-up (log: $DIR/redis.log)"
    fi
    if ping_ok "$PORT"; then
      echo "127.0.0.1:$PORT"
      return 0
    fi
    sleep 0.05
  done
  tail -n 20 "$DIR/redis.log" >&2
  kill_now "$DIR" "$MARKER"
  die "start: redis-server did not answer PING within ${START_TIMEOUT}s (log: $DIR/redis.log)"
}

run_service_command ensure "$MARKER" address "$@"
