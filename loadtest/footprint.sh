#!/usr/bin/env bash
# Memory and start-up of the shipped jar (issue 18, bar 6), on 127.0.0.1 only, pinned like
# loadtest/run.sh (the gateway on core 1 with -XX:ActiveProcessorCount=1, clients on core 0).
#
#   loadtest/footprint.sh [--only start,rss,soak] [--starts 5] [--minutes 10] [--rate 2000]
#                         [--jar target/edgeway.jar]
#
#   start  time from spawning `java -jar edgeway.jar` (no --config: the configuration embedded in
#          the jar, run from an empty directory so no config/edgeway.yaml is picked up) to the
#          first 2xx answer of GET /demo/hello, proxied to the demo echo upstream that
#          configuration starts; median of --starts runs, and the RSS of the idle gateway then.
#   rss    RSS after a full-chain load run: loadtest/run.sh --only edgeway --warmup 30s
#          --rounds 1 --duration 30s fullchain (JWT, rate limit, events to a real Kafka broker,
#          access log to a file), read from its report.
#   soak   --minutes of wrk at about --rate req/s against the baseline scenario, after a 60 s
#          warm-up at the same rate: RSS (VmRSS) and the heap after a full GC (jcmd GC.run, then
#          jstat -gc: survivors + eden + old used) at the start, every minute and at the end,
#          then the growth. wrk has no fixed-rate mode: every connection waits 10 ms before each
#          request (a wrk Lua delay()), with --rate / 100 connections; the rate wrk reached is
#          printed.
#
# JVM options: EDGEWAY_JAVA_OPTS (default -Xms64m -Xmx256m, as loadtest/run.sh). Ports are
# free ones chosen at run time (the embedded config reads EDGEWAY_PORT, EDGEWAY_ADMIN_PORT and
# EDGEWAY_DEMO_PORT). Everything started here is killed at exit. Run it under the shared lock,
# one part at a time to keep each locked run short:
#   flock /tmp/loadtest.lock loadtest/footprint.sh --only start
set -euo pipefail

LOADTEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PROJECT_DIR=$(cd "$LOADTEST_DIR/.." && pwd)
# shellcheck source=../scripts/lib/background-process.sh
source "$PROJECT_DIR/scripts/lib/background-process.sh"

ONLY=start,rss,soak
STARTS=5
MINUTES=10
RATE=2000
JAR=$PROJECT_DIR/target/edgeway.jar
SOAK_WARMUP_S=60
READY_TIMEOUT_S=60
EDGEWAY_JAVA_OPTS=${EDGEWAY_JAVA_OPTS:--Xms64m -Xmx256m}

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
}

while [[ $# -gt 0 ]]; do
  case $1 in
    --only) ONLY=${2:?--only needs a value}; shift 2 ;;
    --starts) STARTS=${2:?--starts needs a value}; shift 2 ;;
    --minutes) MINUTES=${2:?--minutes needs a value}; shift 2 ;;
    --rate) RATE=${2:?--rate needs a value}; shift 2 ;;
    --jar) JAR=${2:?--jar needs a value}; shift 2 ;;
    -h|--help) usage ;;
    *) die "argument: $1 (expected: --only, --starts, --minutes, --rate, --jar)" ;;
  esac
done
for part in ${ONLY//,/ }; do
  case $part in start|rss|soak) ;; *) die "--only: $part (expected: a comma list of start, rss, soak)" ;; esac
done
want() { [[ ",$ONLY," == *",$1,"* ]]; }
[[ $STARTS =~ ^[0-9]+$ ]] && (( STARTS >= 1 && STARTS <= 50 )) || die "--starts: $STARTS (expected: 1..50)"
[[ $MINUTES =~ ^[0-9]+$ ]] && (( MINUTES >= 1 && MINUTES <= 240 )) || die "--minutes: $MINUTES (expected: 1..240)"
[[ $RATE =~ ^[0-9]+$ ]] && (( RATE >= 100 )) || die "--rate: $RATE (expected: >= 100 req/s)"
[[ -f $JAR ]] || die "--jar: $JAR (expected: the shaded gateway jar: mvn -B -o -q -DskipTests package -pl gateway -am)"
for tool in curl wrk nginx taskset jcmd jstat; do
  command -v "$tool" >/dev/null || [[ $tool == nginx && -x /usr/sbin/nginx ]] || die "$tool not found (expected: on PATH)"
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

if (( $(nproc) >= 2 )); then
  ON_CLIENT_CORE=(taskset -c 0)
  ON_PROXY_CORE=(taskset -c 1)
else
  echo "footprint: WARNING: $(nproc) core(s); running unpinned" >&2
  ON_CLIENT_CORE=()
  ON_PROXY_CORE=()
fi

# An upper bound of the whole run, printed up front: start-ups of at most READY_TIMEOUT_S each,
# run.sh's fullchain run (Kafka start, 30 s warm-up, one 30 s round, the after-run check), the soak.
BOUND_S=0
want start && BOUND_S=$(( BOUND_S + STARTS * (READY_TIMEOUT_S + 10) ))
want rss && BOUND_S=$(( BOUND_S + 300 ))
want soak && BOUND_S=$(( BOUND_S + READY_TIMEOUT_S + SOAK_WARMUP_S + MINUTES * 60 + 60 ))
echo "footprint: parts: $ONLY; at most $(( (BOUND_S + 59) / 60 )) min; load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
STARTED_AT=$SECONDS

WORK=$(mktemp -d /tmp/edgeway-footprint.XXXXXX)
chmod 755 "$WORK" # nginx workers run as an unprivileged user when the master is root
STARTED_PIDS=()
cleanup() {
  local pid i alive
  for pid in "${STARTED_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for (( i = 0; i < 50; i++ )); do
    alive=false
    for pid in "${STARTED_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=true; done
    $alive || break
    sleep 0.1
  done
  for pid in "${STARTED_PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# stop PID: SIGTERM, then SIGKILL after 10 s, and wait for it.
stop() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for (( i = 0; i < 100; i++ )); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# heap_after_gc_kib PID: a full GC, then the used heap (survivors + eden + old) in KiB.
heap_after_gc_kib() {
  "${ON_CLIENT_CORE[@]}" jcmd "$1" GC.run >/dev/null
  "${ON_CLIENT_CORE[@]}" jstat -gc "$1" | awk '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    NR == 2 { printf "%.0f\n", $col["S0U"] + $col["S1U"] + $col["EU"] + $col["OU"] }'
}

# ---- start: spawn to first proxied 2xx on the embedded default configuration -----------------

startup_once() { # RUN: sets RUN_MS and RUN_RSS_KIB
  local dir=$WORK/start-$1 port admin_port demo_port pid t0 t1 code deadline
  mkdir -p "$dir"
  port=$(free_port); admin_port=$(free_port); demo_port=$(free_port)
  while [[ $admin_port == "$port" ]]; do admin_port=$(free_port); done
  while [[ $demo_port == "$port" || $demo_port == "$admin_port" ]]; do demo_port=$(free_port); done
  t0=$EPOCHREALTIME
  # An empty working directory: the jar's embedded config, its journal under $dir/data.
  # shellcheck disable=SC2086
  (cd "$dir" && export EDGEWAY_HOST=127.0.0.1 EDGEWAY_PORT=$port EDGEWAY_ADMIN_PORT=$admin_port \
    EDGEWAY_DEMO_PORT=$demo_port && exec "${ON_PROXY_CORE[@]}" java -XX:ActiveProcessorCount=1 \
    $EDGEWAY_JAVA_OPTS -jar "$JAR") >"$dir/gateway.log" 2>&1 </dev/null &
  pid=$!
  STARTED_PIDS+=("$pid")
  deadline=$(( SECONDS + READY_TIMEOUT_S ))
  while :; do
    code=$("${ON_CLIENT_CORE[@]}" curl -s -o /dev/null -w '%{http_code}' --max-time 2 \
      "http://127.0.0.1:$port/demo/hello" 2>/dev/null || true)
    [[ $code == 2* ]] && break
    kill -0 "$pid" 2>/dev/null || { tail -n 20 "$dir/gateway.log" >&2; die "start: the gateway exited during start-up"; }
    (( SECONDS < deadline )) || { tail -n 20 "$dir/gateway.log" >&2; die "start: no 2xx on /demo/hello within ${READY_TIMEOUT_S}s"; }
    sleep 0.005
  done
  t1=$EPOCHREALTIME
  RUN_MS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", (b - a) * 1000 }')
  RUN_RSS_KIB=$(rss_kib "$pid")
  stop "$pid"
}

if want start; then
  echo "footprint: start: $STARTS start(s) on the embedded default config" >&2
  : >"$WORK/starts.txt"
  for (( run = 1; run <= STARTS; run++ )); do
    startup_once "$run"
    echo "footprint: start $run/$STARTS: first 2xx after $RUN_MS ms, RSS $(mib "$RUN_RSS_KIB") MiB" >&2
    echo "$RUN_MS $RUN_RSS_KIB" >>"$WORK/starts.txt"
  done
  START_MS=$(awk '{print $1}' "$WORK/starts.txt" | median)
  START_RSS=$(awk '{print $2}' "$WORK/starts.txt" | median)
  START_ALL=$(awk '{print $1}' "$WORK/starts.txt" | sort -g | tr '\n' ' ')
fi

# ---- rss: after a full-chain load run (loadtest/run.sh) --------------------------------------

if want rss; then
  echo "footprint: rss: loadtest/run.sh --only edgeway --warmup 30s --rounds 1 --duration 30s fullchain" >&2
  EDGEWAY_JAVA_OPTS=$EDGEWAY_JAVA_OPTS "$LOADTEST_DIR/run.sh" --only edgeway --warmup 30s --rounds 1 \
    --duration 30s --jar "$JAR" fullchain >"$WORK/fullchain.md" || die "rss: loadtest/run.sh failed"
  # | target | req/s | vs nginx | CPU µs/req | per core | vs nginx | share | p50 | p99 | vs nginx | RSS MiB | ...
  FULLCHAIN_RSS=$(awk -F'|' '$2 ~ /edgeway-fullchain/ { gsub(/ /, "", $12); print $12; exit }' "$WORK/fullchain.md")
  FULLCHAIN_RPS=$(awk -F'|' '$2 ~ /edgeway-fullchain/ { gsub(/ /, "", $3); print $3; exit }' "$WORK/fullchain.md")
  [[ -n $FULLCHAIN_RSS ]] || { cat "$WORK/fullchain.md" >&2; die "rss: no edgeway-fullchain row in run.sh's table"; }
fi

# ---- soak: a moderate fixed rate against baseline, RSS and heap after GC over time -----------

if want soak; then
  upstream_port=$(free_port)
  mkdir -p "$WORK/upstream/tmp"
  cat >"$WORK/upstream/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $WORK/upstream/nginx.pid;
error_log $WORK/upstream/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/upstream/tmp/body;
  proxy_temp_path $WORK/upstream/tmp/proxy;
  fastcgi_temp_path $WORK/upstream/tmp/fastcgi;
  uwsgi_temp_path $WORK/upstream/tmp/uwsgi;
  scgi_temp_path $WORK/upstream/tmp/scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$upstream_port;
    location / { default_type text/plain; return 200 'edgeway loadtest upstream: a small fixed response body\n'; }
  }
}
CONF
  "${ON_CLIENT_CORE[@]}" "$NGINX" -p "$WORK/upstream" -c "$WORK/upstream/nginx.conf" >"$WORK/upstream/stdout.log" 2>&1 &
  STARTED_PIDS+=("$!")
  port=$(free_port); admin_port=$(free_port)
  while [[ $admin_port == "$port" || $admin_port == "$upstream_port" ]]; do admin_port=$(free_port); done
  # shellcheck disable=SC2086
  (export EDGEWAY_PORT=$port EDGEWAY_ADMIN_PORT=$admin_port UPSTREAM_URL=http://127.0.0.1:$upstream_port \
    EDGEWAY_ACCESS_LOG=OFF
   exec "${ON_PROXY_CORE[@]}" java -XX:ActiveProcessorCount=1 $EDGEWAY_JAVA_OPTS -jar "$JAR" \
     --config "$LOADTEST_DIR/scenarios/baseline.yaml") >"$WORK/soak-gateway.log" 2>&1 </dev/null &
  gateway=$!
  STARTED_PIDS+=("$gateway")
  deadline=$(( SECONDS + READY_TIMEOUT_S ))
  until curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$port/bench/hello"; do
    kill -0 "$gateway" 2>/dev/null || { tail -n 20 "$WORK/soak-gateway.log" >&2; die "soak: the gateway exited during start-up"; }
    (( SECONDS < deadline )) || die "soak: no 2xx on /bench/hello within ${READY_TIMEOUT_S}s"
    sleep 0.2
  done
  connections=$(( RATE / 100 ))
  echo 'function delay() return 10 end' >"$WORK/pace.lua"
  total_s=$(( SOAK_WARMUP_S + MINUTES * 60 ))
  echo "footprint: soak: ${SOAK_WARMUP_S}s warm-up + $MINUTES min, wrk -c$connections with a 10 ms pause per request" >&2
  timeout --kill-after=5 $(( total_s + 30 )) "${ON_CLIENT_CORE[@]}" wrk -t1 "-c$connections" "-d${total_s}s" \
    --timeout 5s -s "$WORK/pace.lua" "http://127.0.0.1:$port/bench/hello" >"$WORK/soak-wrk.txt" 2>&1 &
  wrk_pid=$!
  STARTED_PIDS+=("$wrk_pid")
  soak_start=$SECONDS
  : >"$WORK/soak.tsv"
  # Samples at the end of the warm-up, every minute, and 5 s before wrk stops (still under load).
  for (( minute = 0; minute <= MINUTES; minute++ )); do
    at=$(( SOAK_WARMUP_S + minute * 60 ))
    (( minute < MINUTES )) || at=$(( total_s - 5 ))
    while (( SECONDS - soak_start < at )); do
      kill -0 "$gateway" 2>/dev/null || die "soak: the gateway died (log: $WORK/soak-gateway.log)"
      sleep 1
    done
    heap=$(heap_after_gc_kib "$gateway")
    rss=$(rss_kib "$gateway")
    printf '%s\t%s\t%s\n' "$minute" "$rss" "$heap" >>"$WORK/soak.tsv"
    echo "footprint: soak minute $minute: RSS $(mib "$rss") MiB, heap after GC $(mib "$heap") MiB" >&2
  done
  wait "$wrk_pid" || die "soak: wrk failed: $(cat "$WORK/soak-wrk.txt")"
  SOAK_RPS=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$WORK/soak-wrk.txt")
  SOAK_ERRORS=$(awk '/Non-2xx or 3xx responses:/ { n += $NF }
    /Socket errors:/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) { sub(/,/, "", $i); n += $i } }
    END { print n + 0 }' "$WORK/soak-wrk.txt")
  read -r RSS0 HEAP0 < <(awk -F'\t' 'NR == 1 { print $2, $3 }' "$WORK/soak.tsv")
  read -r RSS1 HEAP1 < <(awk -F'\t' 'END { print $2, $3 }' "$WORK/soak.tsv")
  stop "$gateway"
fi

# ---- report ----------------------------------------------------------------------------------

echo
echo "## Footprint $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "JVM: -XX:ActiveProcessorCount=1 $EDGEWAY_JAVA_OPTS, gateway on core 1; $(java -version 2>&1 | head -n 1)"
echo
if want start; then
  echo "- start-up to the first proxied 2xx (embedded default config, GET /demo/hello): **$START_MS ms**" \
    "median of $STARTS (all: ${START_ALL% }); RSS then $(mib "$START_RSS") MiB"
fi
if want rss; then
  echo "- RSS after the fullchain load run (30 s warm-up + 30 s at $FULLCHAIN_RPS req/s): **$FULLCHAIN_RSS MiB**"
fi
if want soak; then
  echo "- soak, baseline at $SOAK_RPS req/s for $MINUTES min after a ${SOAK_WARMUP_S}s warm-up, errors $SOAK_ERRORS:"
  echo "  RSS $(mib "$RSS0") -> $(mib "$RSS1") MiB ($(awk -v a="$RSS0" -v b="$RSS1" 'BEGIN { printf "%+.1f", (b - a) / 1024 }') MiB)," \
    "heap after GC $(mib "$HEAP0") -> $(mib "$HEAP1") MiB ($(awk -v a="$HEAP0" -v b="$HEAP1" 'BEGIN { printf "%+.1f", (b - a) / 1024 }') MiB)"
  echo
  echo "| minute | RSS MiB | heap after GC MiB |"
  echo "|---:|---:|---:|"
  awk -F'\t' '{ printf "| %s | %.1f | %.1f |\n", $1, $2 / 1024, $3 / 1024 }' "$WORK/soak.tsv"
fi
echo
echo "footprint: done in $(( SECONDS - STARTED_AT ))s; load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
