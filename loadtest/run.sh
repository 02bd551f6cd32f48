#!/usr/bin/env bash
# Load-test harness: wrk against real processes on 127.0.0.1, Edgeway compared with nginx.
#
#   loadtest/run.sh [--rounds N] [--duration 10s] [--warmup 60s] [--connections 50]
#                   [--only direct,nginx,edgeway] [--jar target/edgeway.jar] [--keep]
#                   [--tls [--handshakes]] [scenario ...]
#
# Targets, each measured with the same wrk command (-t1 -cN --latency, pinned to core 0):
#   direct             wrk -> upstream (the ceiling: no proxy at all)
#   nginx              wrk -> nginx reverse proxy (core 1) -> upstream   (the reference)
#   edgeway-SCENARIO   wrk -> Edgeway with loadtest/scenarios/SCENARIO.yaml (core 1) -> upstream
# The upstream is an nginx answering a fixed small response, pinned to core 0 with wrk, so the
# proxy under test has core 1 to itself. Only one target is under load at a time: one warm-up run
# per target, then N interleaved rounds (direct, nginx, edgeway-..., direct, nginx, ...) so a
# slow drift of the machine hits every target alike. The table shows medians over rounds.
#
# --tls: clients speak TLS to the proxies (nginx and Edgeway serve the same ECDSA P-256
# certificate, generated per run; TLS 1.2 and 1.3), the upstream stays plain; "direct" is
# skipped. Use it with the tls scenario. --handshakes adds "Connection: close" to every wrk
# request, so each request is a new connection and a full handshake: the table then counts
# handshakes per second.
# Scenarios (default: baseline) are files loadtest/scenarios/NAME.yaml; an optional NAME.env is
# sourced by bash right before that gateway starts (see loadtest/README.md).
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
ONLY=direct,nginx,edgeway
DEFAULT_JAR=$PROJECT_DIR/target/edgeway.jar
JAR=$DEFAULT_JAR
KEEP=false
TLS=false
HANDSHAKES=false
SCENARIOS=()
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
    --rounds) ROUNDS=${2:?--rounds needs a value}; shift 2 ;;
    --duration) DURATION=${2:?--duration needs a value}; shift 2 ;;
    --warmup) WARMUP=${2:?--warmup needs a value}; shift 2 ;;
    --connections) CONNECTIONS=${2:?--connections needs a value}; shift 2 ;;
    --only) ONLY=${2:?--only needs a value}; shift 2 ;;
    --jar) JAR=${2:?--jar needs a value}; shift 2 ;;
    --keep) KEEP=true; shift ;;
    --tls) TLS=true; shift ;;
    --handshakes) HANDSHAKES=true; shift ;;
    -h|--help) usage ;;
    -*) die "option: $1 (expected: --rounds, --duration, --warmup, --connections, --only, --jar, --keep, --tls, --handshakes)" ;;
    *) SCENARIOS+=("$1"); shift ;;
  esac
done
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
  case $kind in direct|nginx|edgeway) ;; *) die "--only: $kind (expected: a comma list of direct, nginx, edgeway)" ;; esac
done
if want edgeway; then
  for scenario in "${SCENARIOS[@]}"; do
    [[ $scenario =~ ^[a-z0-9][a-z0-9-]*$ ]] || die "scenario: $scenario (expected: a name like baseline, [a-z0-9-])"
    [[ -f $LOADTEST_DIR/scenarios/$scenario.yaml ]] \
      || die "scenario: $scenario (expected: one of: $(cd "$LOADTEST_DIR/scenarios" && ls -- *.yaml | sed 's/\.yaml$//' | tr '\n' ' '))"
  done
fi

# ---- tools -----------------------------------------------------------------------------------

ensure_tools() {
  local missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
  command -v curl >/dev/null || missing+=(curl)
  command -v taskset >/dev/null || missing+=(util-linux)
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
  for pid in "${STARTED_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
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

# The one certificate both proxies serve under --tls (ECDSA P-256, like most ACME certificates).
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

start_edgeway() { # SCENARIO
  local scenario=$1 name=edgeway-$1
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
    # Plain assignments in the scenario's .env reach the gateway too.
    set -a
    # shellcheck disable=SC1090
    if [[ -f $env_file ]]; then source "$env_file"; fi
    set +a
    # wrk settings a scenario may give (WRK_PATH, WRK_ARGS array), read back by run_wrk.
    declare -p WRK_PATH WRK_ARGS >"$dir/wrk.vars" 2>/dev/null || true
    # shellcheck disable=SC2086
    exec "${ON_PROXY_CORE[@]}" java -XX:ActiveProcessorCount=1 $EDGEWAY_JAVA_OPTS \
      -jar "$JAR" --config "$LOADTEST_DIR/scenarios/$scenario.yaml"
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
  for scenario in "${SCENARIOS[@]}"; do start_edgeway "$scenario"; done
fi
(( ${#TARGETS[@]} > 0 )) || die "--only: $ONLY selected no target"

# ---- measuring -------------------------------------------------------------------------------

rss_kib() { # PID: VmRSS of the process and its children (nginx master + workers), in KiB
  local pid=$1 total=0 kib child
  for child in $pid $(pgrep -P "$pid" 2>/dev/null || true); do
    kib=$(awk '/^VmRSS:/ {print $2}' "/proc/$child/status" 2>/dev/null || echo 0)
    total=$(( total + ${kib:-0} ))
  done
  echo "$total"
}

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

# run_wrk TARGET SECONDS OUT_FILE
run_wrk() {
  local target=$1 seconds=$2 out=$3
  local port=${TARGET_PORT[$target]}
  local WRK_PATH=/bench/hello WRK_ARGS=()
  # shellcheck disable=SC1090
  [[ -f $WORK/$target/wrk.vars ]] && source "$WORK/$target/wrk.vars"
  WRK_PATH=${WRK_PATH:-/bench/hello}
  if $HANDSHAKES; then WRK_ARGS+=(-H 'Connection: close'); fi
  timeout --kill-after=5 $(( seconds + 30 )) \
    "${ON_CLIENT_CORE[@]}" wrk -t1 "-c$CONNECTIONS" "-d${seconds}s" --latency --timeout 5s \
    "${WRK_ARGS[@]}" "$SCHEME://127.0.0.1:$port$WRK_PATH" >"$out" 2>&1 \
    || { cat "$out" >&2; die "$target: wrk failed (output above)"; }
}

# parse_wrk FILE -> "rps p50_ms p99_ms errors"
parse_wrk() {
  local rps p50 p99 errors
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$1")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$1")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$1")")
  errors=$(awk '
    /Non-2xx or 3xx responses:/ { n += $NF }
    /Socket errors:/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) { sub(/,/, "", $i); n += $i } }
    END { print n + 0 }' "$1")
  echo "${rps:-nan} ${p50:-nan} ${p99:-nan} $errors"
}

# Check every target answers 2xx before spending minutes measuring it (a 404 is fast, not good).
for target in "${TARGETS[@]}"; do
  local_path=/bench/hello
  if [[ -f $WORK/$target/wrk.vars ]]; then
    # shellcheck disable=SC1090
    local_path=$(WRK_PATH=""; source "$WORK/$target/wrk.vars"; echo "${WRK_PATH:-/bench/hello}")
  fi
  code=$(curl -ks -o /dev/null -w '%{http_code}' --max-time 5 "$SCHEME://127.0.0.1:${TARGET_PORT[$target]}$local_path" || true)
  [[ $code == 2* ]] || echo "loadtest: WARNING: $target answers $code on $local_path (expected: 2xx); its errors column will show it" >&2
  curl -ks -D - -o /dev/null --max-time 5 "$SCHEME://127.0.0.1:${TARGET_PORT[$target]}$local_path" >"$WORK/$target.headers" 2>&1 || true
done

# Other work on the machine (a build, a test run) skews every number; say so in the report.
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="${LOAD_BEFORE%% *}" 'BEGIN { exit !(l > 0.5) }'; then
  echo "loadtest: WARNING: load average $LOAD_BEFORE before measuring; other processes will skew the numbers" >&2
fi

RESULTS=$WORK/results.tsv # round target rps p50 p99 errors rss_kib
: >"$RESULTS"
echo "loadtest: targets: ${TARGETS[*]}; warm-up ${WARMUP_S}s each, $ROUNDS round(s) of ${DURATION_S}s, -c$CONNECTIONS" >&2
for target in "${TARGETS[@]}"; do
  echo "loadtest: warm-up $target" >&2
  run_wrk "$target" "$WARMUP_S" "$WORK/$target.warmup.txt"
done
for (( round = 1; round <= ROUNDS; round++ )); do
  for target in "${TARGETS[@]}"; do
    run_wrk "$target" "$DURATION_S" "$WORK/$target.round$round.txt"
    rss=-
    [[ $target == direct ]] || rss=$(rss_kib "${TARGET_PID[$target]}")
    read -r rps p50 p99 errors < <(parse_wrk "$WORK/$target.round$round.txt")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$target" "$rps" "$p50" "$p99" "$errors" "$rss" >>"$RESULTS"
    echo "loadtest: round $round/$ROUNDS $target: $rps req/s, p50 ${p50}ms, p99 ${p99}ms, errors $errors, rss ${rss} KiB" >&2
  done
done

# ---- after the runs: scenario checks (e.g. events: did the topic receive every event?) -------
# A scenario may ship scenarios/NAME.after: run with the gateway still up, its stdout goes into
# the report (ADMIN_URL, SCENARIO_DIR, JAR, SCRIPTS_DIR are set).
AFTER_NOTES=$WORK/after.md
: >"$AFTER_NOTES"
for target in "${TARGETS[@]}"; do
  [[ $target == edgeway-* ]] || continue
  after=$LOADTEST_DIR/scenarios/${target#edgeway-}.after
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

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
column_median() { awk -F'\t' -v t="$1" -v c="$2" '$2 == t { print $c }' "$RESULTS" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0 || a == "nan" || a == "-") print "-"; else printf "%.2f", a / b }'; }

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$LOADTEST_DIR/out"
REPORT=$LOADTEST_DIR/out/$STAMP.md
{
  echo "# Edgeway load test $STAMP"
  echo
  echo "wrk -t1 -c$CONNECTIONS --latency, ${DURATION_S}s per run, $ROUNDS interleaved round(s) after a ${WARMUP_S}s warm-up per target;"
  if $TLS; then echo "clients on TLS ($($HANDSHAKES && echo 'a new connection and full handshake per request: Connection: close' || echo 'keep-alive')), same ECDSA P-256 certificate on both proxies;"; fi
  echo "medians over rounds. wrk + upstream on core 0, proxy under test alone on core 1."
  echo "Ratios are against nginx (req/s: higher is better; p99 and RSS: lower is better)."
  echo
  echo "| target | req/s | req/s vs nginx | p50 ms | p99 ms | p99 vs nginx | RSS MiB | RSS vs nginx | errors |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  nginx_rps=nan; nginx_p99=nan; nginx_rss=nan
  if [[ " ${TARGETS[*]} " == *" nginx "* ]]; then
    nginx_rps=$(column_median nginx 3); nginx_p99=$(column_median nginx 5); nginx_rss=$(column_median nginx 7)
  fi
  for target in "${TARGETS[@]}"; do
    rps=$(column_median "$target" 3); p50=$(column_median "$target" 4); p99=$(column_median "$target" 5)
    errors=$(awk -F'\t' -v t="$target" '$2 == t { n += $6 } END { print n + 0 }' "$RESULTS")
    if [[ $target == direct ]]; then rss=-; rss_mib=-; else
      rss=$(column_median "$target" 7); rss_mib=$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }'); fi
    [[ $errors == 0 ]] || errors="**$errors**"
    printf '| %s | %.0f | %s | %.3f | %.3f | %s | %s | %s | %s |\n' "$target" "$rps" "$(ratio "$rps" "$nginx_rps")" \
      "$p50" "$p99" "$(ratio "$p99" "$nginx_p99")" "$rss_mib" "$(ratio "$rss" "$nginx_rss")" "$errors"
  done
  echo
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
  echo "- wrk: $(wrk -v 2>&1 | head -n 1 | awk '{print $1, $2}')"
  echo "- load average before measuring (1/5/15 min): $LOAD_BEFORE"
  echo "- gateway JVM options: -XX:ActiveProcessorCount=1 $EDGEWAY_JAVA_OPTS"
  echo
  echo "## Every run"
  echo
  echo "| round | target | req/s | p50 ms | p99 ms | errors | RSS KiB |"
  echo "|---:|---|---:|---:|---:|---:|---:|"
  awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7 }' "$RESULTS"
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
