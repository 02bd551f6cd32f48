#!/usr/bin/env bash
# Load-test harness: wrk against real processes on 127.0.0.1, Edgeway compared with nginx and
# its other peers, in throughput and in the proxy's CPU time per request.
#
#   loadtest/run.sh [--rounds N] [--duration 10s] [--warmup 60s] [--connections 50]
#                   [--only direct,nginx,haproxy,vertx-proxy,edgeway] [--base SCENARIO]
#                   [--jar target/edgeway.jar] [--keep] [--tls [--handshakes]] [--interleave]
#                   [--jvm-variant NAME=OPTIONS ...] [scenario ...]
#
# Targets, each measured with the same wrk command (-t1 -cN --latency, pinned to core 0):
#   direct             wrk -> upstream (the ceiling: no proxy at all)
#   nginx              wrk -> nginx reverse proxy (core 1) -> upstream   (the reference)
#   haproxy            wrk -> HAProxy, one thread (core 1) -> upstream   (a peer)
#   vertx-proxy        wrk -> bare vertx-http-proxy, one event loop (core 1) -> upstream (a peer:
#                      the same Vert.x and Netty as Edgeway; loadtest/peers/vertx-proxy, built here)
#   edgeway-SCENARIO   wrk -> Edgeway with loadtest/scenarios/SCENARIO.yaml (core 1) -> upstream
# Every proxy's CPU time (utime + stime in /proc/PID/stat: all threads, the JIT and GC included;
# nginx's master and worker together) is read before and after each round, giving CPU us per
# request and req/s per proxy core beside raw req/s. Ratios against nginx are taken per round,
# then the median (min-max) is shown. --base SCENARIO adds a table of each scenario's extra CPU
# per request over that scenario's, per round (default: baseline, when it runs with others).
# The upstream is an nginx answering a fixed small response, pinned to core 0 with wrk, so the
# proxy under test has core 1 to itself. Only one target is under load at a time: N interleaved
# rounds (direct, nginx, edgeway-..., direct, nginx, ...), so a slow drift of the machine hits
# every target alike, each target warmed up right before its first round (in wrk runs as long as
# a round). The table shows medians over rounds.
#
# --tls: clients speak TLS to the proxies (all serve the same ECDSA P-256
# certificate, generated per run; TLS 1.2 and 1.3), the upstream stays plain; "direct" is
# skipped. Use it with the tls scenario. --handshakes adds "Connection: close" to every wrk
# request, so each request is a new connection and a full handshake: the table then counts
# handshakes per second.
# --interleave: every target's wrk runs for the whole measurement, but only one at a time: the
# harness pauses (SIGSTOP) and resumes (SIGCONT) them in turn, --duration (default 1s) each, and a
# round is one turn of every target. The machine's speed wanders over seconds (a one-second sample
# of the same gateway varies by 10 %, adjacent seconds by 4 %), so costs of 1-2 µs per request
# are only visible between adjacent slices: with a base scenario, every other slice is the base,
# and a feature's added CPU is taken against the mean of the base slices either side of it.
# Requests per slice are read from the upstream's counter (nginx stub_status), which costs the
# proxy nothing; a scenario that answers requests itself (cache hits) sets INTERLEAVE_COUNT=metrics
# in its .env to read Edgeway's edgeway_requests_total instead. No latency figures in this mode:
# wrk's clock stops with it. Five unmeasured rounds run first.
# Scenarios (default: baseline) are files loadtest/scenarios/NAME.yaml; an optional NAME.env is
# sourced by bash right before that gateway starts (see loadtest/README.md).
# --jvm-variant NAME=OPTIONS (repeatable): every scenario runs once more per variant, as target
# edgeway-SCENARIO@NAME, with OPTIONS after EDGEWAY_JAVA_OPTS (e.g. gc-g1=-XX:+UseG1GC): JVM
# settings compared in one run, round by round.
# Output: a markdown table on stdout and in loadtest/out/<timestamp>.md.
set -euo pipefail

LOADTEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PROJECT_DIR=$(cd "$LOADTEST_DIR/.." && pwd)
SCRIPTS_DIR=$PROJECT_DIR/scripts
# shellcheck source=../scripts/lib/background-process.sh
source "$SCRIPTS_DIR/lib/background-process.sh"

ROUNDS=3
DURATION=10s
WARMUP=60s
CONNECTIONS=50
ONLY=direct,nginx,haproxy,vertx-proxy,edgeway
BASE=
DEFAULT_JAR=$PROJECT_DIR/target/edgeway.jar
JAR=$DEFAULT_JAR
KEEP=false
TLS=false
HANDSHAKES=false
INTERLEAVE=false
DURATION_SET=false
ROUNDS_SET=false
SCENARIOS=()
declare -A VARIANT_OPTS=()
VARIANTS=()
READY_TIMEOUT=60
# Default heap for the gateway under test; a scenario's .env or the caller may override it.
EDGEWAY_JAVA_OPTS=${EDGEWAY_JAVA_OPTS:--Xms64m -Xmx256m}

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
}

seconds_of() { # 10s | 2m | 30 -> seconds
  local value=$1
  case $value in
    *s) value=${value%s} ;;
    *m) value=$(( ${value%m} * 60 )) ;;
  esac
  [[ $value =~ ^[0-9]+$ ]] && (( value > 0 )) || die "duration: $1 (expected: like 10s, 2m or 30)"
  echo "$value"
}

while [[ $# -gt 0 ]]; do
  case $1 in
    --rounds) ROUNDS=${2:?--rounds needs a value}; ROUNDS_SET=true; shift 2 ;;
    --duration) DURATION=${2:?--duration needs a value}; DURATION_SET=true; shift 2 ;;
    --warmup) WARMUP=${2:?--warmup needs a value}; shift 2 ;;
    --connections) CONNECTIONS=${2:?--connections needs a value}; shift 2 ;;
    --only) ONLY=${2:?--only needs a value}; shift 2 ;;
    --base) BASE=${2:?--base needs a value}; shift 2 ;;
    --jar) JAR=${2:?--jar needs a value}; shift 2 ;;
    --keep) KEEP=true; shift ;;
    --tls) TLS=true; shift ;;
    --handshakes) HANDSHAKES=true; shift ;;
    --interleave) INTERLEAVE=true; shift ;;
    --jvm-variant)
      variant=${2:?--jvm-variant needs NAME=OPTIONS}
      [[ $variant =~ ^[a-z0-9][a-z0-9-]*=.+$ ]] || die "--jvm-variant: $variant (expected: NAME=OPTIONS, NAME like gc-g1, [a-z0-9-])"
      [[ -z ${VARIANT_OPTS[${variant%%=*}]+set} ]] || die "--jvm-variant: ${variant%%=*} (expected: each name once)"
      VARIANTS+=("${variant%%=*}")
      VARIANT_OPTS[${variant%%=*}]=${variant#*=}
      shift 2 ;;
    -h|--help) usage ;;
    -*) die "option: $1 (expected: --rounds, --duration, --warmup, --connections, --only, --base, --jar, --keep, --tls, --handshakes, --interleave, --jvm-variant)" ;;
    *) SCENARIOS+=("$1"); shift ;;
  esac
done
if $INTERLEAVE; then
  $DURATION_SET || DURATION=1s
  $ROUNDS_SET || ROUNDS=40
fi
[[ $ROUNDS =~ ^[0-9]+$ ]] && (( ROUNDS >= 1 )) || die "--rounds: $ROUNDS (expected: >= 1)"
[[ $CONNECTIONS =~ ^[0-9]+$ ]] && (( CONNECTIONS >= 1 )) || die "--connections: $CONNECTIONS (expected: >= 1)"
DURATION_S=$(seconds_of "$DURATION")
WARMUP_S=$(seconds_of "$WARMUP")
(( ${#SCENARIOS[@]} > 0 )) || SCENARIOS=(baseline)
if $HANDSHAKES && ! $TLS; then die "--handshakes: only with --tls"; fi
if $TLS; then
  SCHEME=https
  ONLY=$(echo ",$ONLY," | sed 's/,direct,/,/g; s/^,//; s/,$//') # the upstream is plain HTTP
else
  SCHEME=http
fi

want() { [[ ",$ONLY," == *",$1,"* ]]; }
for kind in ${ONLY//,/ }; do
  case $kind in direct|nginx|haproxy|vertx-proxy|edgeway) ;;
    *) die "--only: $kind (expected: a comma list of direct, nginx, haproxy, vertx-proxy, edgeway)" ;; esac
done
if want edgeway; then
  for scenario in "${SCENARIOS[@]}"; do
    [[ $scenario =~ ^[a-z0-9][a-z0-9-]*$ ]] || die "scenario: $scenario (expected: a name like baseline, [a-z0-9-])"
    [[ -f $LOADTEST_DIR/scenarios/$scenario.yaml ]] \
      || die "scenario: $scenario (expected: one of: $(cd "$LOADTEST_DIR/scenarios" && ls -- *.yaml | sed 's/\.yaml$//' | tr '\n' ' '))"
  done
fi
# The scenario whose CPU per request the others are compared with (features' added cost).
if [[ -n $BASE ]]; then
  want edgeway || die "--base: $BASE (expected: only with edgeway in --only)"
  [[ " ${SCENARIOS[*]} " == *" $BASE "* ]] || die "--base: $BASE (expected: one of the scenarios run: ${SCENARIOS[*]})"
elif want edgeway && (( ${#SCENARIOS[@]} > 1 || ${#VARIANTS[@]} > 0 )) && [[ " ${SCENARIOS[*]} " == *" baseline "* ]]; then
  BASE=baseline
fi

# ---- tools -----------------------------------------------------------------------------------

ensure_tools() {
  local missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
  command -v curl >/dev/null || missing+=(curl)
  command -v taskset >/dev/null || missing+=(util-linux)
  if want haproxy; then command -v haproxy >/dev/null || [[ -x /usr/sbin/haproxy ]] || missing+=(haproxy); fi
  (( ${#missing[@]} == 0 )) && return 0
  local sudo=""
  (( EUID == 0 )) || sudo=sudo
  echo "loadtest: installing ${missing[*]} with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  if ! $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; then
    $sudo apt-get update -q >&2
    $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
  fi
}
ensure_tools
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
HAPROXY=$(command -v haproxy || echo /usr/sbin/haproxy)

# Pinning: wrk and the upstream share core 0, the proxy under test has core 1.
if (( $(nproc) >= 2 )); then
  ON_CLIENT_CORE=(taskset -c 0)
  ON_PROXY_CORE=(taskset -c 1)
else
  echo "loadtest: WARNING: $(nproc) core(s); running unpinned, numbers are not comparable" >&2
  ON_CLIENT_CORE=()
  ON_PROXY_CORE=()
fi

# ---- process bookkeeping ---------------------------------------------------------------------

WORK=$(mktemp -d /tmp/edgeway-loadtest.XXXXXX)
chmod 755 "$WORK" # nginx workers run as an unprivileged user when the master is root
declare -A TARGET_PORT=() TARGET_PID=() TARGET_ADMIN=() TARGET_DIR=()
TARGETS=()
STARTED_PIDS=()

cleanup() {
  local pid pidfile i
  for pid in "${STARTED_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; kill -CONT "$pid" 2>/dev/null || true; done
  for (( i = 0; i < 50; i++ )); do
    local alive=false
    for pid in "${STARTED_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=true; done
    $alive || break
    sleep 0.1
  done
  for pid in "${STARTED_PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  # Helper services a scenario started with scripts/*.sh --dir "$SCENARIO_DIR/..." (Redis, Kafka).
  while IFS= read -r pidfile; do
    pid=$(<"$pidfile")
    [[ $pid =~ ^[0-9]+$ ]] && kill -KILL -- "-$pid" 2>/dev/null || true
  done < <(find "$WORK" -name pid -type f 2>/dev/null)
  if $KEEP; then echo "loadtest: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_http NAME PID URL: until URL answers 2xx, the process dies, or READY_TIMEOUT passes.
wait_http() {
  local name=$1 pid=$2 url=$3 log=$4 deadline=$(( SECONDS + READY_TIMEOUT ))
  while (( SECONDS < deadline )); do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$log" >&2 || true
      die "$name: exited during start-up (log: $log; --keep keeps it)"
    fi
    curl -kfsS -o /dev/null --max-time 2 "$url" 2>/dev/null && return 0
    sleep 0.2
  done
  tail -n 30 "$log" >&2 || true
  die "$name: $url not answering 2xx within ${READY_TIMEOUT}s (log: $log; --keep keeps it)"
}

nginx_common() { # DIR
  cat <<CONF
worker_processes 1;
daemon off;
pid $1/nginx.pid;
error_log $1/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $1/tmp/body;
  proxy_temp_path $1/tmp/proxy;
  fastcgi_temp_path $1/tmp/fastcgi;
  uwsgi_temp_path $1/tmp/uwsgi;
  scgi_temp_path $1/tmp/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 75s;
CONF
}

# The one certificate every proxy serves under --tls (ECDSA P-256, like most ACME certificates).
if $TLS; then
  command -v openssl >/dev/null || die "--tls: openssl not found (expected: the openssl command)"
  TLS_CERT=$WORK/tls/cert.pem
  TLS_KEY=$WORK/tls/key.pem
  mkdir -p "$WORK/tls"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost -keyout "$TLS_KEY" -out "$TLS_CERT" 2>/dev/null \
    || die "--tls: openssl could not make a certificate"
  chmod 644 "$TLS_KEY"
  export TLS_CERT TLS_KEY
fi

start_nginx() { # NAME PORT CONFIG_BODY CORE_PREFIX...
  local name=$1 port=$2 body=$3; shift 3
  local dir=$WORK/$name
  mkdir -p "$dir/tmp"
  { nginx_common "$dir"; echo "$body"; echo "}"; } >"$dir/nginx.conf"
  "$NGINX" -t -q -p "$dir" -c "$dir/nginx.conf" 2>"$dir/config-test.log" \
    || { cat "$dir/config-test.log" >&2; die "$name: nginx rejected $dir/nginx.conf"; }
  "$@" "$NGINX" -p "$dir" -c "$dir/nginx.conf" >"$dir/stdout.log" 2>&1 &
  local pid=$!
  STARTED_PIDS+=("$pid")
  TARGET_PID[$name]=$pid
  TARGET_PORT[$name]=$port
  local scheme=http
  [[ $name == nginx ]] && scheme=$SCHEME
  wait_http "$name" "$pid" "$scheme://127.0.0.1:$port/bench/ready" "$dir/error.log"
}

UPSTREAM_PORT=$(free_port)
UPSTREAM_URL="http://127.0.0.1:$UPSTREAM_PORT"
start_nginx upstream "$UPSTREAM_PORT" "
  server {
    listen 127.0.0.1:$UPSTREAM_PORT;
    # Requests served so far: --interleave counts each slice's requests here.
    location = /loadtest-status { stub_status; }
    location / {
      default_type text/plain;
      return 200 'edgeway loadtest upstream: a small fixed response body\n';
    }
  }" "${ON_CLIENT_CORE[@]}"

if want direct; then
  TARGETS+=(direct)
  TARGET_PORT[direct]=$UPSTREAM_PORT
fi

if want nginx; then
  NGINX_PORT=$(free_port)
  # The same work as the baseline scenario: one request header set, one response header added,
  # keep-alive to the upstream.
  start_nginx nginx "$NGINX_PORT" "
  upstream bench_upstream {
    server 127.0.0.1:$UPSTREAM_PORT;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$NGINX_PORT$($TLS && echo ' ssl');
    $($TLS && echo "ssl_certificate $TLS_CERT; ssl_certificate_key $TLS_KEY; ssl_protocols TLSv1.2 TLSv1.3; ssl_session_cache shared:SSL:10m;")
    location / {
      proxy_pass http://bench_upstream;
      proxy_http_version 1.1;
      proxy_set_header Connection '';
      proxy_set_header X-From-Gateway 1;
      add_header X-Served-By nginx always;
    }
  }" "${ON_PROXY_CORE[@]}"
  TARGETS+=(nginx)
fi

if want haproxy; then
  HAPROXY_PORT=$(free_port)
  dir=$WORK/haproxy
  mkdir -p "$dir"
  haproxy_bind="bind 127.0.0.1:$HAPROXY_PORT"
  if $TLS; then
    # HAProxy reads the certificate and its key from one PEM file.
    cat "$TLS_CERT" "$TLS_KEY" >"$dir/cert-and-key.pem"
    haproxy_bind+=" ssl crt $dir/cert-and-key.pem ssl-min-ver TLSv1.2 alpn http/1.1"
  fi
  # The same work as nginx: one thread (nginx: one worker), keep-alive on both sides, one request
  # header set, one response header added, no logging. http-reuse always: idle upstream
  # connections are shared between client connections, as nginx's keepalive pool does.
  cat >"$dir/haproxy.cfg" <<CONF
global
  nbthread 1
  maxconn 4096
defaults
  mode http
  option http-keep-alive
  http-reuse always
  timeout connect 5s
  timeout client 75s
  timeout server 75s
  timeout http-keep-alive 75s
frontend bench
  $haproxy_bind
  http-request set-header X-From-Gateway 1
  http-response add-header X-Served-By haproxy
  default_backend upstream
backend upstream
  server upstream 127.0.0.1:$UPSTREAM_PORT
CONF
  "$HAPROXY" -c -q -f "$dir/haproxy.cfg" >"$dir/config-test.log" 2>&1 \
    || { cat "$dir/config-test.log" >&2; die "haproxy: rejected $dir/haproxy.cfg"; }
  # -db: in the foreground, one process (no master), so its pid is the process that does the work.
  "${ON_PROXY_CORE[@]}" "$HAPROXY" -db -f "$dir/haproxy.cfg" >"$dir/haproxy.log" 2>&1 </dev/null &
  pid=$!
  STARTED_PIDS+=("$pid")
  TARGET_PID[haproxy]=$pid
  TARGET_PORT[haproxy]=$HAPROXY_PORT
  wait_http haproxy "$pid" "$SCHEME://127.0.0.1:$HAPROXY_PORT/bench/ready" "$dir/haproxy.log"
  TARGETS+=(haproxy)
fi

VERTX_PROXY_DIR=$LOADTEST_DIR/peers/vertx-proxy
VERTX_PROXY_JAR=$VERTX_PROXY_DIR/target/vertx-proxy.jar
if want vertx-proxy; then
  # Built on demand, and again when its sources changed; offline from ~/.m2 first, since the
  # gateway's build already brought Vert.x and Netty there.
  if [[ ! -f $VERTX_PROXY_JAR ]] || [[ -n $(find "$VERTX_PROXY_DIR/pom.xml" "$VERTX_PROXY_DIR/src" -newer "$VERTX_PROXY_JAR" -type f) ]]; then
    echo "loadtest: building $VERTX_PROXY_JAR" >&2
    (cd "$VERTX_PROXY_DIR" && { mvn -B -q -o package >"$WORK/vertx-proxy-build.log" 2>&1 || {
      echo "loadtest: the offline build lacked something in ~/.m2; building with the network" >&2
      mvn -B -q package >&2; }; }) \
      || die "vertx-proxy: the build in $VERTX_PROXY_DIR failed (expected: $VERTX_PROXY_JAR)"
  fi
  VERTX_PROXY_PORT=$(free_port)
  dir=$WORK/vertx-proxy
  mkdir -p "$dir"
  (
    export PEER_PORT=$VERTX_PROXY_PORT UPSTREAM_PORT
    if $TLS; then export TLS_CERT TLS_KEY; else unset TLS_CERT TLS_KEY; fi
    # Pinned and sized like Edgeway: one core, one event loop, the same JVM options.
    # shellcheck disable=SC2086
    exec "${ON_PROXY_CORE[@]}" java -XX:ActiveProcessorCount=1 $EDGEWAY_JAVA_OPTS -jar "$VERTX_PROXY_JAR"
  ) >"$dir/proxy.log" 2>&1 </dev/null &
  pid=$!
  STARTED_PIDS+=("$pid")
  TARGET_PID[vertx-proxy]=$pid
  TARGET_PORT[vertx-proxy]=$VERTX_PROXY_PORT
  wait_http vertx-proxy "$pid" "$SCHEME://127.0.0.1:$VERTX_PROXY_PORT/bench/ready" "$dir/proxy.log"
  TARGETS+=(vertx-proxy)
fi

start_edgeway() { # SCENARIO [VARIANT]
  local scenario=$1 variant=${2:-} name=edgeway-$1
  [[ -z $variant ]] || name+=@$variant
  local dir=$WORK/$name
  mkdir -p "$dir"
  local port admin_port
  port=$(free_port)
  admin_port=$(free_port)
  while [[ $admin_port == "$port" ]]; do admin_port=$(free_port); done
  local env_file=$LOADTEST_DIR/scenarios/$scenario.env
  (
    export EDGEWAY_PORT=$port EDGEWAY_ADMIN_PORT=$admin_port UPSTREAM_URL SCENARIO_DIR=$dir
    # The reference nginx runs with access_log off; the gateway's access log is off too unless
    # EDGEWAY_ACCESS_LOG is set (e.g. EDGEWAY_ACCESS_LOG=INFO to measure its cost).
    export EDGEWAY_ACCESS_LOG=${EDGEWAY_ACCESS_LOG:-OFF}
    # The config the gateway loads; a .env that generates its config (routes10k) points it there.
    SCENARIO_CONFIG=$LOADTEST_DIR/scenarios/$scenario.yaml
    # Plain assignments in the scenario's .env reach the gateway too.
    set -a
    # shellcheck disable=SC1090
    if [[ -f $env_file ]]; then source "$env_file"; fi
    set +a
    # Settings a scenario may give the harness, read back by wrk_request and scenario_setting:
    # wrk's request (WRK_PATH, WRK_ARGS array), a longer warm-up (SCENARIO_WARMUP, e.g. 150s for
    # the Kafka client's JIT) and where --interleave counts requests (INTERLEAVE_COUNT=metrics
    # when not all of them reach the upstream).
    declare -p WRK_PATH WRK_ARGS SCENARIO_WARMUP INTERLEAVE_COUNT >"$dir/harness.vars" 2>/dev/null || true
    # A variant's options come last, so they win over the defaults (a later -Xmx, a GC).
    [[ -z $variant ]] || EDGEWAY_JAVA_OPTS+=" ${VARIANT_OPTS[$variant]}"
    # shellcheck disable=SC2086
    exec "${ON_PROXY_CORE[@]}" java -XX:ActiveProcessorCount=1 $EDGEWAY_JAVA_OPTS \
      -jar "$JAR" --config "$SCENARIO_CONFIG"
  ) >"$dir/gateway.log" 2>&1 </dev/null &
  local pid=$!
  STARTED_PIDS+=("$pid")
  TARGET_PID[$name]=$pid
  TARGET_PORT[$name]=$port
  TARGET_ADMIN[$name]=$admin_port
  TARGET_DIR[$name]=$dir
  wait_http "$name" "$pid" "http://127.0.0.1:$admin_port/ready" "$dir/gateway.log"
  TARGETS+=("$name")
}

if want edgeway; then
  if [[ ! -f $JAR && $JAR != "$DEFAULT_JAR" ]]; then
    die "edgeway: --jar: $JAR (expected: an existing gateway jar)"
  fi
  if [[ ! -f $JAR ]]; then
    echo "loadtest: $JAR missing; building it with mvn -q -DskipTests package" >&2
    (cd "$PROJECT_DIR" && mvn -B -q -DskipTests package) >&2 \
      || die "edgeway: the build failed, so there is no jar to test (expected: $JAR)"
    [[ -f $JAR ]] || die "edgeway: --jar: $JAR (expected: the shaded gateway jar after mvn package)"
  fi
  for scenario in "${SCENARIOS[@]}"; do
    start_edgeway "$scenario"
    for variant in "${VARIANTS[@]}"; do start_edgeway "$scenario" "$variant"; done
  done
fi
(( ${#TARGETS[@]} > 0 )) || die "--only: $ONLY selected no target"
# Each proxy's processes (its pid, and nginx's workers), read by proc_ticks/proc_jit/proc_rss.
declare -A PROC_TREE=()
for target in "${TARGETS[@]}"; do
  if [[ -n ${TARGET_PID[$target]:-} ]]; then
    PROC_TREE[$target]="${TARGET_PID[$target]} $(pgrep -P "${TARGET_PID[$target]}" || true)"
  fi
done

# ---- measuring -------------------------------------------------------------------------------

# to_ms VALUE: wrk's "123.45us" / "1.23ms" / "1.01s" / "2.00m" -> milliseconds
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
    else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.3f", v * 60000 }
    else { printf "nan" }
  }'
}

# What a proxy spends, read from /proc without forking: on a small virtual machine a fork and exec
# costs tens of milliseconds, and --interleave's bookkeeping between slices must not push them
# seconds apart. Each sets a global instead of printing, since $(...) would fork too.
CLK_TCK=$(getconf CLK_TCK)
# CPU time of a proxy: utime + stime of its process and of its child processes (nginx's workers),
# in clock ticks. /proc/PID/stat counts every thread of the process, the JIT compiler and GC too.
stat_ticks() { # STAT_FILE -> STAT_TICKS: utime + stime of a /proc .../stat file; false if gone
  local line fields
  read -r line 2>/dev/null <"$1" || return 1
  # Fields after the command name, which may hold spaces: state is 0, utime 11, stime 12.
  read -ra fields <<<"${line##*) }"
  STAT_TICKS=$(( fields[11] + fields[12] ))
}
proc_ticks() { # TARGET -> TICKS: utime + stime of its processes, in clock ticks
  local pid
  TICKS=0
  for pid in ${PROC_TREE[$1]}; do
    stat_ticks "/proc/$pid/stat" || continue
    TICKS=$(( TICKS + STAT_TICKS ))
  done
}
# CPU time of a JVM's JIT compiler threads (C1 and C2); "-" for a process that has none (nginx,
# HAProxy). On the proxy's one core the JIT competes with the event loop, so a round in which it
# still compiles (after warm-up, or again after the target sat idle) has a longer tail: the report
# shows it beside each round's p99.
proc_jit() { # TARGET -> JIT: clock ticks of the JVM's compiler threads, "-" for no JVM
  local task comm found=false
  JIT=0
  for task in /proc/"${PROC_TREE[$1]%% *}"/task/*; do
    read -r comm <"$task/comm" 2>/dev/null || continue
    [[ $comm == C[12]" CompilerThre"* ]] || continue
    stat_ticks "$task/stat" || continue
    JIT=$(( JIT + STAT_TICKS ))
    found=true
  done
  $found || JIT=-
}
proc_rss() { # TARGET -> RSS: VmRSS of its processes, in KiB
  local pid key value _
  RSS=0
  for pid in ${PROC_TREE[$1]}; do
    while read -r key value _; do
      if [[ $key == VmRSS: ]]; then RSS=$(( RSS + value )); break; fi
    done <"/proc/$pid/status"
  done
}

# wrk_request TARGET: sets REQ_PATH and the array REQ_ARGS to the path and extra arguments of
# wrk's request to TARGET (a scenario's .env may set WRK_PATH and WRK_ARGS; --handshakes adds
# Connection: close). The saved declarations are sourced into locals, which stay in here.
wrk_request() {
  local WRK_PATH=/bench/hello
  local WRK_ARGS=()
  # shellcheck disable=SC1090
  if [[ -f $WORK/$1/harness.vars ]]; then source "$WORK/$1/harness.vars"; fi
  REQ_PATH=${WRK_PATH:-/bench/hello}
  REQ_ARGS=("${WRK_ARGS[@]}")
  if $HANDSHAKES; then REQ_ARGS+=(-H 'Connection: close'); fi
}

# scenario_setting TARGET NAME DEFAULT: a setting the scenario's .env gave the harness.
scenario_setting() {
  local SCENARIO_WARMUP='' INTERLEAVE_COUNT='' WRK_PATH='' WRK_ARGS=()
  # shellcheck disable=SC1090
  if [[ -f $WORK/$1/harness.vars ]]; then source "$WORK/$1/harness.vars"; fi
  local value=${!2:-}
  echo "${value:-$3}"
}

# run_wrk TARGET SECONDS OUT_FILE
run_wrk() {
  local target=$1 seconds=$2 out=$3
  local port=${TARGET_PORT[$target]}
  wrk_request "$target"
  timeout --kill-after=5 $(( seconds + 30 )) \
    "${ON_CLIENT_CORE[@]}" wrk -t1 "-c$CONNECTIONS" "-d${seconds}s" --latency --timeout 5s \
    "${REQ_ARGS[@]}" "$SCHEME://127.0.0.1:$port$REQ_PATH" >"$out" 2>&1 \
    || { cat "$out" >&2; die "$target: wrk failed (output above)"; }
}

# parse_wrk FILE -> "rps p50_ms p99_ms errors requests"
parse_wrk() {
  local rps p50 p99 errors requests
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$1")
  requests=$(awk '$2 == "requests" && $3 == "in" {print $1}' "$1")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$1")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$1")")
  errors=$(awk '
    /Non-2xx or 3xx responses:/ { n += $NF }
    /Socket errors:/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) { sub(/,/, "", $i); n += $i } }
    END { print n + 0 }' "$1")
  echo "${rps:-nan} ${p50:-nan} ${p99:-nan} $errors ${requests:-0}"
}

# curl_headers_of_wrk_args: the -H arguments curl needs to send the headers in REQ_ARGS, into
# CURL_ARGS; a wrk Lua script (-s) cannot be replayed, so it is named in WRK_SCRIPT.
curl_headers_of_wrk_args() {
  CURL_ARGS=()
  WRK_SCRIPT=
  local i=0 arg
  while (( i < ${#REQ_ARGS[@]} )); do
    arg=${REQ_ARGS[i]}
    case $arg in
      -H|--header) CURL_ARGS+=(-H "${REQ_ARGS[i + 1]:-}"); i=$(( i + 2 )) ;;
      --header=*) CURL_ARGS+=(-H "${arg#--header=}"); i=$(( i + 1 )) ;;
      -H?*) CURL_ARGS+=(-H "${arg#-H}"); i=$(( i + 1 )) ;;
      -s|--script) WRK_SCRIPT=${REQ_ARGS[i + 1]:-}; i=$(( i + 2 )) ;;
      --script=*) WRK_SCRIPT=${arg#--script=}; i=$(( i + 1 )) ;;
      -s?*) WRK_SCRIPT=${arg#-s}; i=$(( i + 1 )) ;;
      *) i=$(( i + 1 )) ;;
    esac
  done
}

# Check every target answers 2xx before spending minutes measuring it (a 404 is fast, not good),
# with the request wrk will send: its path and its headers (a jwt scenario's token).
for target in "${TARGETS[@]}"; do
  wrk_request "$target"
  curl_headers_of_wrk_args
  if [[ -n $WRK_SCRIPT ]]; then
    echo "loadtest: note: $target: wrk runs the script $WRK_SCRIPT; the 2xx check sends only the path and -H headers" >&2
  fi
  url=$SCHEME://127.0.0.1:${TARGET_PORT[$target]}$REQ_PATH
  code=$(curl -ks "${CURL_ARGS[@]}" -o /dev/null -w '%{http_code}' --max-time 5 "$url" || true)
  [[ $code == 2* ]] || echo "loadtest: WARNING: $target answers $code on $REQ_PATH (expected: 2xx); its errors column will show it" >&2
  curl -ks "${CURL_ARGS[@]}" -D - -o /dev/null --max-time 5 "$url" >"$WORK/$target.headers" 2>&1 || true
done

# Other work on the machine (a build, a test run) skews every number; say so in the report.
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="${LOAD_BEFORE%% *}" 'BEGIN { exit !(l > 0.5) }'; then
  echo "loadtest: WARNING: load average $LOAD_BEFORE before measuring; other processes will skew the numbers" >&2
fi

# round target rps p50 p99 errors rss_kib requests cpu_s wall_s (cpu_s and rss_kib: "-" for direct)
RESULTS=$WORK/results.tsv
: >"$RESULTS"
JIT_TSV=$WORK/jit.tsv # round target jit_ms ("-": not a JVM, or not measurable)
: >"$JIT_TSV"
# warm_up TARGET: unmeasured wrk runs as long as a round (at least 10 s under --interleave), for
# WARMUP_S in all, or the scenario's SCENARIO_WARMUP when longer.
warm_up() {
  local target=$1 left=$WARMUP_S run piece=$DURATION_S own
  own=$(seconds_of "$(scenario_setting "$target" SCENARIO_WARMUP 1)")
  (( own <= left )) || left=$own
  if $INTERLEAVE && (( piece < 10 )); then piece=10; fi
  echo "loadtest: warm-up $target" >&2
  while (( left > 0 )); do
    run=$(( left < piece ? left : piece ))
    run_wrk "$target" "$run" "$WORK/$target.warmup.txt"
    left=$(( left - run ))
  done
}

# ---- --interleave: one wrk per target for the whole measurement, resumed in turn ---------------

SLOTS_TSV=$WORK/slots.tsv       # round slot target requests cpu_ticks wall_s jit_ticks rss_kib
BRACKET_TSV=$WORK/bracketed.tsv # round target added_us ratio: a feature slice against its base neighbours
declare -A WRK_PID=() COUNT_FROM=()

# served TARGET -> SERVED: requests completed so far where TARGET's slices are counted: the
# upstream's stub_status (over bash's /dev/tcp), or the gateway's own counter.
served() {
  if [[ ${COUNT_FROM[$1]} == metrics ]]; then
    SERVED=$(curl -fsS --max-time 5 "http://127.0.0.1:${TARGET_ADMIN[$1]}/metrics" \
      | awk '/^edgeway_requests_total\{/ { n += $NF } END { printf "%.0f\n", n }')
    return
  fi
  local fd line
  SERVED=
  exec {fd}<>"/dev/tcp/127.0.0.1/$UPSTREAM_PORT"
  printf 'GET /loadtest-status HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&"$fd"
  # The body: "Active connections: 1", "server accepts handled requests", " 12 12 345 ", ...
  while IFS= read -r line <&"$fd"; do
    if [[ $line =~ ^\ [0-9]+\ [0-9]+\ ([0-9]+) ]]; then SERVED=${BASH_REMATCH[1]}; fi
  done
  exec {fd}>&-
  [[ -n $SERVED ]] || die "--interleave: no request count in the upstream's /loadtest-status"
}

# slice ROUND SLOT TARGET: resume TARGET's wrk for DURATION_S, pause it, then let the requests in
# flight (one per connection at most) and the work they queued (events, access log) finish, so
# the counters read before and after cover exactly this slice. ROUND 0: not recorded.
slice() {
  local round=$1 slot=$2 target=$3 process=${PROC_TREE[$3]:-}
  local n0 t0=- j0=- w0 w1 ticks=- jit=- rss=- micros
  served "$target"; n0=$SERVED
  if [[ -n $process ]]; then proc_ticks "$target"; t0=$TICKS; proc_jit "$target"; j0=$JIT; fi
  w0=${EPOCHREALTIME//[!0-9]/}
  kill -CONT "${WRK_PID[$target]}"
  read -rt "$DURATION_S" -u "$SLEEP_FD" _ || true
  kill -STOP "${WRK_PID[$target]}"
  read -rt 0.1 -u "$SLEEP_FD" _ || true
  w1=${EPOCHREALTIME//[!0-9]/}
  served "$target"
  (( round > 0 )) || return 0
  if [[ -n $process ]]; then
    proc_ticks "$target"; ticks=$(( TICKS - t0 ))
    proc_jit "$target"
    if [[ $j0 != - && $JIT != - ]] && (( JIT >= j0 )); then jit=$(( JIT - j0 )); fi
    proc_rss "$target"; rss=$RSS
  fi
  micros=$(( w1 - w0 ))
  printf '%s\t%s\t%s\t%s\t%s\t%d.%06d\t%s\t%s\n' "$round" "$slot" "$target" $(( SERVED - n0 )) "$ticks" \
    $(( micros / 1000000 )) $(( micros % 1000000 )) "$jit" "$rss" >>"$SLOTS_TSV"
}

measure_interleaved() {
  local target slots=() round slot
  # With a base scenario every feature's slice sits between two of the base's.
  if [[ -n $BASE ]]; then
    for target in "${TARGETS[@]}"; do [[ $target == edgeway-* ]] || slots+=("$target"); done
    for target in "${TARGETS[@]}"; do
      if [[ $target == edgeway-* && $target != "edgeway-$BASE" ]]; then slots+=("edgeway-$BASE" "$target"); fi
    done
    slots+=("edgeway-$BASE")
  else
    slots=("${TARGETS[@]}")
  fi
  local settle=5
  local seconds=$(( (ROUNDS + settle) * ${#slots[@]} * (DURATION_S + 2) + 600 ))
  echo "loadtest: interleaved: ${slots[*]}; warm-up ${WARMUP_S}s each, $settle unmeasured and $ROUNDS measured round(s), slices of ${DURATION_S}s, -c$CONNECTIONS" >&2
  for target in "${TARGETS[@]}"; do warm_up "$target"; done
  : >"$SLOTS_TSV"
  # A read with a timeout on a pipe nobody writes to: a sleep without a fork.
  exec {SLEEP_FD}<> <(:)
  for target in "${TARGETS[@]}"; do
    COUNT_FROM[$target]=$(scenario_setting "$target" INTERLEAVE_COUNT upstream)
    wrk_request "$target"
    # No timeouts: a paused wrk's clock runs on, so a request it sent before the pause would
    # time out while it waits for its turn.
    "${ON_CLIENT_CORE[@]}" wrk -t1 "-c$CONNECTIONS" "-d${seconds}s" --timeout "${seconds}s" \
      "${REQ_ARGS[@]}" "$SCHEME://127.0.0.1:${TARGET_PORT[$target]}$REQ_PATH" \
      >"$WORK/$target.interleaved.txt" 2>&1 &
    WRK_PID[$target]=$!
    STARTED_PIDS+=("$!")
    kill -STOP "$!"
  done
  for (( round = 1 - settle; round <= ROUNDS; round++ )); do
    for (( slot = 0; slot < ${#slots[@]}; slot++ )); do
      slice $(( round > 0 ? round : 0 )) "$slot" "${slots[slot]}"
    done
    (( round < 1 )) || echo "loadtest: round $round/$ROUNDS done" >&2
  done
  for target in "${TARGETS[@]}"; do stop_wrk "${WRK_PID[$target]}"; done

  # One row per round and target for the report (the base's slices summed), wrk's errors in round 1.
  local errors requests counted
  for target in "${TARGETS[@]}"; do
    read -r _ _ _ errors requests < <(parse_wrk "$WORK/$target.interleaved.txt")
    counted=$(awk -F'\t' -v t="$target" '$3 == t { n += $4 } END { print n + 0 }' "$SLOTS_TSV")
    # Every request wrk made must have been counted in some slice (the measured ones are a part).
    if (( counted == 0 || requests < counted )); then
      echo "loadtest: WARNING: $target: wrk made $requests requests, the slices counted $counted; is INTERLEAVE_COUNT right for it?" >&2
    fi
    awk -F'\t' -v OFS='\t' -v t="$target" -v e="$errors" -v hz="$CLK_TCK" '
      $3 == t { n[$1] += $4; w[$1] += $6; if ($5 != "-") c[$1] += $5; else c[$1] = "-"; rss[$1] = $8 }
      END {
        for (r in n) {
          cpu = c[r] == "-" ? "-" : sprintf("%.2f", c[r] / hz)
          print r, t, (w[r] > 0 ? sprintf("%.0f", n[r] / w[r]) : "nan"), "-", "-", (r == 1 ? e : 0), rss[r], n[r], cpu, sprintf("%.3f", w[r])
        }
      }' "$SLOTS_TSV" | sort -n >>"$RESULTS"
    awk -F'\t' -v OFS='\t' -v t="$target" -v hz="$CLK_TCK" '
      $3 == t { if ($7 != "-" && j[$1] != "-") j[$1] += $7; else j[$1] = "-" }
      END { for (r in j) print r, t, (j[r] == "-" ? "-" : sprintf("%.0f", j[r] * 1000 / hz)) }' "$SLOTS_TSV" | sort -n >>"$JIT_TSV"
  done
  # A feature slice against the mean of the base slices right before and after it.
  awk -F'\t' -v OFS='\t' -v base="edgeway-$BASE" -v hz="$CLK_TCK" '
    { round[NR] = $1; target[NR] = $3; us[NR] = ($4 > 0 && $5 != "-") ? $5 * 1e6 / hz / $4 : "" }
    END {
      for (i = 2; i < NR; i++) {
        if (target[i] !~ /^edgeway-/ || target[i] == base || target[i - 1] != base || target[i + 1] != base) continue
        if (us[i] == "" || us[i - 1] == "" || us[i + 1] == "") continue
        ref = (us[i - 1] + us[i + 1]) / 2
        print round[i], target[i], sprintf("%.3f", us[i] - ref), sprintf("%.4f", us[i] / ref)
      }
    }' "$SLOTS_TSV" >"$BRACKET_TSV"
}

# Ends a paused wrk early, with its summary printed. wrk's SIGINT handler only sets a flag, and the
# kernel may hand a process's signal to any of its threads (right after SIGCONT, often not the
# main one): then the worker stops but the main thread sleeps out the rest of -d (half an hour in
# an interleaved run). So SIGINT goes again until wrk has exited (a zombie until waited for).
stop_wrk() { # PID (under --interleave: sleeps on its SLEEP_FD)
  local pid=$1 try state
  kill -CONT "$pid" 2>/dev/null || true
  for (( try = 0; try < 100; try++ )); do
    kill -INT "$pid" 2>/dev/null || break
    read -rt 0.1 -u "$SLEEP_FD" _ || true
    read -r _ _ state _ 2>/dev/null <"/proc/$pid/stat" || break
    [[ $state != Z ]] || break
  done
  wait "$pid" || true
}

# Rounds: every target in turn, one wrk run each.
measure_rounds() {
  echo "loadtest: targets: ${TARGETS[*]}; warm-up ${WARMUP_S}s each, $ROUNDS round(s) of ${DURATION_S}s, -c$CONNECTIONS" >&2
  for (( round = 1; round <= ROUNDS; round++ )); do
    for target in "${TARGETS[@]}"; do
      # Each target's warm-up runs right before its first round, not all warm-ups first: a JVM that
      # sat idle through the other targets' warm-ups (minutes) reconnects to the upstream and
      # compiles again, and round 1 then measured that JIT instead of the steady state
      # (loadtest/profiles/p99.md). Later rounds follow an idle of the other targets' rounds only.
      # The warm-up is a series of wrk runs as long as a round, not one long run: every round opens
      # new connections, and a JVM warmed on one set of connections recompiled its event loop in
      # round 1 (class-check traps on the connection set-up paths, profiles/events.md).
      if (( round == 1 )); then warm_up "$target"; fi
      # The proxy is idle outside wrk's run, so its CPU time between these two reads is the time
      # it spent on this round's requests (and on JIT and GC they caused).
      ticks_before=0 jit_before=-
      if [[ $target != direct ]]; then
        proc_ticks "$target"; ticks_before=$TICKS
        proc_jit "$target"; jit_before=$JIT
      fi
      wall_before=$EPOCHREALTIME
      run_wrk "$target" "$DURATION_S" "$WORK/$target.round$round.txt"
      wall_after=$EPOCHREALTIME
      rss=- cpu_s=- jit_ms=-
      if [[ $target != direct ]]; then
        proc_ticks "$target"; ticks_after=$TICKS
        proc_jit "$target"; jit_after=$JIT
        # A compiler thread the JVM retired in between takes its ticks with it: then no figure.
        if [[ $jit_before != - && $jit_after != - ]] && (( jit_after >= jit_before )); then
          jit_ms=$(( (jit_after - jit_before) * 1000 / CLK_TCK ))
        fi
        cpu_s=$(awk -v t=$(( ticks_after - ticks_before )) -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", t / hz }')
        proc_rss "$target"; rss=$RSS
      fi
      wall_s=$(awk -v a="$wall_before" -v b="$wall_after" 'BEGIN { printf "%.3f", b - a }')
      read -r rps p50 p99 errors requests < <(parse_wrk "$WORK/$target.round$round.txt")
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$target" "$rps" "$p50" "$p99" "$errors" "$rss" \
        "$requests" "$cpu_s" "$wall_s" >>"$RESULTS"
      printf '%s\t%s\t%s\n' "$round" "$target" "$jit_ms" >>"$JIT_TSV"
      cpu_note=
      [[ $cpu_s == - ]] || cpu_note=", $(awk -v c="$cpu_s" -v n="$requests" 'BEGIN { if (n > 0) printf "%.1f", c * 1e6 / n; else printf "-" }') CPU us/req"
      [[ $jit_ms == - ]] || cpu_note+=" (JIT ${jit_ms} ms)"
      echo "loadtest: round $round/$ROUNDS $target: $rps req/s$cpu_note, p50 ${p50}ms, p99 ${p99}ms, errors $errors, rss ${rss} KiB" >&2
    done
  done
}

if $INTERLEAVE; then measure_interleaved; else measure_rounds; fi

# ---- after the runs: scenario checks (e.g. events: did the topic receive every event?) -------
# A scenario may ship scenarios/NAME.after: run with the gateway still up, its stdout goes into
# the report (ADMIN_URL, SCENARIO_DIR, JAR, SCRIPTS_DIR are set).
AFTER_NOTES=$WORK/after.md
: >"$AFTER_NOTES"
for target in "${TARGETS[@]}"; do
  [[ $target == edgeway-* ]] || continue
  scenario=${target#edgeway-}
  after=$LOADTEST_DIR/scenarios/${scenario%@*}.after
  [[ -f $after ]] || continue
  echo "loadtest: after-run check $target" >&2
  {
    echo "### $target"
    echo
    ADMIN_URL=http://127.0.0.1:${TARGET_ADMIN[$target]} SCENARIO_DIR=${TARGET_DIR[$target]} JAR=$JAR \
      SCRIPTS_DIR=$SCRIPTS_DIR bash "$after" 2>&1 || echo "(the check failed: exit $?)"
    echo
  } >>"$AFTER_NOTES"
done

# ---- report ----------------------------------------------------------------------------------

# Per round, derived from the raw columns: 11 CPU us per request, 12 req/s per proxy core
# (requests per CPU second: req/s divided by the proxy's share of a core), 13 that share.
ROUNDS_TSV=$WORK/rounds.tsv
awk -F'\t' -v OFS='\t' '{
  cpu_us = "-"; per_core = "-"; share = "-"
  if ($9 != "-" && $9 + 0 > 0 && $8 + 0 > 0) {
    cpu_us = sprintf("%.2f", $9 * 1e6 / $8); per_core = sprintf("%.0f", $8 / $9)
    if ($10 + 0 > 0) share = sprintf("%.2f", $9 / $10)
  }
  print $0, cpu_us, per_core, share
}' "$RESULTS" >"$ROUNDS_TSV"

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# column_median TARGET COLUMN: the median over rounds of a numeric column ("-" if none is numeric).
column_median() {
  awk -F'\t' -v t="$1" -v c="$2" '$2 == t && $c ~ /^[0-9.]+$/ { print $c }' "$ROUNDS_TSV" | median | sed 's/^nan$/-/'
}
# per_round TARGET REF COLUMN OP: for every round with both, TARGET's value against REF's in that
# round: "div" TARGET / REF, "inv" REF / TARGET, "sub" TARGET - REF. One number per line.
per_round() {
  awk -F'\t' -v t="$1" -v r="$2" -v c="$3" -v op="$4" '
    $c ~ /^[0-9.]+$/ { if ($2 == r) ref[$1] = $c; if ($2 == t) val[$1] = $c }
    END {
      for (k in val) {
        if (!(k in ref)) continue
        if (op == "sub") print val[k] - ref[k]
        else if (val[k] + 0 > 0 && ref[k] + 0 > 0) print (op == "inv" ? ref[k] / val[k] : val[k] / ref[k])
      }
    }' "$ROUNDS_TSV"
}
# over_base TARGET OP: TARGET's CPU per request against the base scenario's, one number per round
# ("sub": added µs, "div": ratio, "inv": inverse ratio); under --interleave from each feature
# slice and the base slices either side of it, else per round.
over_base() {
  if $INTERLEAVE; then
    awk -F'\t' -v t="$1" -v op="$2" '$2 == t {
      if (op == "sub") print $3; else if (op == "div") print $4; else if ($4 + 0 > 0) print 1 / $4 }' "$BRACKET_TSV"
  else
    per_round "$1" "edgeway-$BASE" 11 "$2"
  fi
}
# spread FORMAT: numbers on stdin -> "median (min..max)", or the one number, or "-" for none.
spread() {
  sort -g | awk -v f="$1" '{ v[NR] = $1 } END {
    if (NR == 0) { print "-"; exit }
    m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    if (NR == 1) printf f "\n", m
    else printf f " (" f ".." f ")\n", m, v[1], v[NR]
  }'
}
# fmt FORMAT VALUE: printf unless the value is "-".
fmt() { if [[ $2 == - ]]; then echo -; else printf "$1" "$2"; fi; }

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$LOADTEST_DIR/out"
REPORT=$LOADTEST_DIR/out/$STAMP.md
{
  echo "# Edgeway load test $STAMP"
  echo
  if $INTERLEAVE; then
    echo "--interleave: one wrk -t1 -c$CONNECTIONS per target, paused and resumed in turn, ${DURATION_S}s slices; $ROUNDS measured"
    echo "round(s) (one turn of every target) after 5 unmeasured ones and a ${WARMUP_S}s warm-up per target; no latency figures;"
  else
    echo "wrk -t1 -c$CONNECTIONS --latency, ${DURATION_S}s per run, $ROUNDS interleaved round(s) after a ${WARMUP_S}s warm-up per target;"
  fi
  if $TLS; then echo "clients on TLS ($($HANDSHAKES && echo 'a new connection and full handshake per request: Connection: close' || echo 'keep-alive')), same ECDSA P-256 certificate on every proxy;"; fi
  echo "medians over rounds. wrk + upstream on core 0, proxy under test alone on core 1."
  echo "CPU µs/req: the proxy's CPU time over the round (/proc/PID/stat utime + stime: every thread,"
  echo "JIT and GC included) per request; req/s per core = requests per CPU second of the proxy;"
  echo "core share = the proxy's CPU seconds per wall second (1.00: its core was saturated)."
  echo "Ratios against nginx are taken per round, then the median (min..max over rounds) is shown"
  echo "(req/s and per core: higher is better; p99 and RSS: lower is better)."
  echo
  echo "| target | req/s | req/s vs nginx | CPU µs/req | req/s per core | per core vs nginx | core share | p50 ms | p99 ms | p99 vs nginx | RSS MiB | RSS vs nginx | errors |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for target in "${TARGETS[@]}"; do
    rps=$(column_median "$target" 3); p50=$(column_median "$target" 4); p99=$(column_median "$target" 5)
    cpu_us=$(column_median "$target" 11); per_core=$(column_median "$target" 12); share=$(column_median "$target" 13)
    errors=$(awk -F'\t' -v t="$target" '$2 == t { n += $6 } END { print n + 0 }' "$RESULTS")
    rss_mib=-
    rss=$(column_median "$target" 7)
    [[ $rss == - ]] || rss_mib=$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')
    [[ $errors == 0 ]] || errors="**$errors**"
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$target" "$(fmt %.0f "$rps")" \
      "$(per_round "$target" nginx 3 div | spread %.2f)" "$(fmt %.1f "$cpu_us")" "$(fmt %.0f "$per_core")" \
      "$(per_round "$target" nginx 11 inv | spread %.2f)" "$(fmt %.2f "$share")" "$(fmt %.3f "$p50")" "$(fmt %.3f "$p99")" \
      "$(per_round "$target" nginx 5 div | spread %.2f)" "$rss_mib" "$(per_round "$target" nginx 7 div | spread %.2f)" "$errors"
  done
  echo
  if [[ -n $BASE ]]; then
    echo "## CPU per request over edgeway-$BASE"
    echo
    if $INTERLEAVE; then
      echo "What each scenario adds to the CPU time of a request: each of its slices against the mean of"
      echo "the edgeway-$BASE slices right before and after it, then the median (min..max over rounds)."
    else
      echo "What each scenario adds to the CPU time of a request, per round against edgeway-$BASE in the"
      echo "same round, then the median (min..max over rounds)."
    fi
    echo
    echo "| target | CPU µs/req | added µs/req | CPU vs $BASE | req/s per core vs $BASE |"
    echo "|---|---:|---:|---:|---:|"
    for target in "${TARGETS[@]}"; do
      [[ $target == edgeway-* && $target != "edgeway-$BASE" ]] || continue
      printf '| %s | %s | %s | %s | %s |\n' "$target" "$(fmt %.1f "$(column_median "$target" 11)")" \
        "$(over_base "$target" sub | spread %+.2f)" "$(over_base "$target" div | spread %.3f)" \
        "$(over_base "$target" inv | spread %.3f)"
    done
    echo
  fi
  if [[ -s $AFTER_NOTES ]]; then
    echo "## After-run checks"
    echo
    cat "$AFTER_NOTES"
  fi
  echo "## Machine"
  echo
  echo "- CPU: $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo) ($(nproc) cores)"
  echo "- kernel: $(uname -r)"
  echo "- java: $(java -version 2>&1 | head -n 1)"
  echo "- nginx: $("$NGINX" -v 2>&1 | sed 's/^nginx version: //')"
  if [[ " ${TARGETS[*]} " == *" haproxy "* ]]; then echo "- haproxy: $("$HAPROXY" -v 2>&1 | head -n 1 | awk '{print $3}'), nbthread 1"; fi
  if [[ " ${TARGETS[*]} " == *" vertx-proxy "* ]]; then
    echo "- vertx-proxy: $(grep -m1 '^vertx-http-proxy peer:' "$WORK/vertx-proxy/proxy.log" | sed 's/^.*upstream [^,]*, //')"
  fi
  echo "- wrk: $(wrk -v 2>&1 | head -n 1 | awk '{print $1, $2}')"
  echo "- load average before measuring (1/5/15 min): $LOAD_BEFORE"
  echo "- JVM options (Edgeway, vertx-proxy): -XX:ActiveProcessorCount=1 $EDGEWAY_JAVA_OPTS"
  for variant in "${VARIANTS[@]}"; do echo "- variant @$variant: the same, then ${VARIANT_OPTS[$variant]}"; done
  echo
  echo "## Every run"
  echo
  echo "JIT ms: CPU time of the JVM's compiler threads in the round (part of CPU s; - for nginx and HAProxy)."
  echo
  echo "| round | target | req/s | requests | CPU s | JIT ms | wall s | CPU µs/req | req/s per core | core share | p50 ms | p99 ms | errors | RSS KiB |"
  echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  awk -F'\t' 'FNR == NR { jit[$1 FS $2] = $3; next }
    { printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
      $1, $2, $3, $8, $9, ($1 FS $2 in jit ? jit[$1 FS $2] : "-"), $10, $11, $12, $13, $4, $5, $6, $7 }' \
    "$JIT_TSV" "$ROUNDS_TSV"
  echo
  echo "## First response of each target"
  for target in "${TARGETS[@]}"; do
    echo
    echo "$target:"
    echo '```'
    tr -d '\r' <"$WORK/$target.headers"
    echo '```'
  done
} >"$REPORT"

sed -n '1,/^## Machine/p' "$REPORT" | sed '$d'
echo "loadtest: report written to ${REPORT#"$PROJECT_DIR"/}" >&2
