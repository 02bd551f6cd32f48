#!/usr/bin/env bash
# HTTP/2 load test: h2load (h2c with prior knowledge) against Edgeway and nginx, both proxying to
# the same HTTP/1.1 upstream, on 127.0.0.1.
#
#   loadtest/h2/run.sh [--rounds N] [--requests 200000] [--clients 10] [--streams 10]
#                      [--warmup-requests 200000] [--jar target/edgeway.jar]
#
# Targets, each measured with the same h2load command (h2load -t1 -cC -mM -nN, pinned to core 0):
#   nginx    h2load -> nginx (listen ... http2, no TLS: h2c prior knowledge; core 1) -> upstream
#   edgeway  h2load -> Edgeway with loadtest/scenarios/h2c.yaml (core 1) -> upstream
# The upstream is an nginx answering a fixed small response (HTTP/1.1 keep-alive, core 0 with
# h2load), as in loadtest/run.sh. One warm-up run per target, then N interleaved rounds. Prints
# req/s and the proxy's CPU µs per request (utime + stime of its process and children over the
# run, from /proc/PID/stat, as loadtest/run.sh measures it) per round, the medians, and the ratios
# Edgeway/nginx per round (median): raw req/s, and req/s per proxy core (the bar is per core, and
# h2load on core 0 can be the limit before either proxy is).
set -euo pipefail

H2_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PROJECT_DIR=$(cd "$H2_DIR/../.." && pwd)
# shellcheck source=../../scripts/lib/background-process.sh
source "$PROJECT_DIR/scripts/lib/background-process.sh"

ROUNDS=3
REQUESTS=200000
WARMUP_REQUESTS=200000
CLIENTS=10
STREAMS=10
JAR=$PROJECT_DIR/target/edgeway.jar
while [[ $# -gt 0 ]]; do
  case $1 in
    --rounds) ROUNDS=${2:?}; shift 2 ;;
    --requests) REQUESTS=${2:?}; shift 2 ;;
    --warmup-requests) WARMUP_REQUESTS=${2:?}; shift 2 ;;
    --clients) CLIENTS=${2:?}; shift 2 ;;
    --streams) STREAMS=${2:?}; shift 2 ;;
    --jar) JAR=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
    *) die "option: $1 (expected: --rounds, --requests, --warmup-requests, --clients, --streams, --jar)" ;;
  esac
done
command -v h2load >/dev/null || die "h2load missing (apt-get install nghttp2-client)"
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[[ -x $NGINX ]] || die "nginx missing (apt-get install nginx)"
[[ -f $JAR ]] || die "$JAR missing (mvn -B package -DskipTests)"
ON_CLIENT_CORE=(taskset -c 0)
ON_PROXY_CORE=(taskset -c 1)

WORK=$(mktemp -d /tmp/edgeway-h2load.XXXXXX)
chmod 755 "$WORK"
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  sleep 1
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

wait_port() { # PORT
  local i
  for (( i = 0; i < 300; i++ )); do
    accepts_connections "$1" && return 0
    sleep 0.2
  done
  die "port $1 not accepting connections"
}

start_nginx() { # NAME BODY CORE...
  local name=$1 body=$2; shift 2
  local dir=$WORK/$name
  mkdir -p "$dir/tmp"
  cat >"$dir/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 75s;
  http2_max_requests 1000000;
  $body
}
CONF
  "$@" "$NGINX" -p "$dir" -c "$dir/nginx.conf" >"$dir/stdout.log" 2>&1 &
  PIDS+=($!)
}

UPSTREAM_PORT=$(free_port)
start_nginx upstream "
  server {
    listen 127.0.0.1:$UPSTREAM_PORT;
    location / { default_type text/plain; return 200 'edgeway loadtest upstream: a small fixed response body\n'; }
  }" "${ON_CLIENT_CORE[@]}"
wait_port "$UPSTREAM_PORT"

NGINX_PORT=$(free_port)
NGINX_PROXY_INDEX=${#PIDS[@]}
start_nginx nginx "
  upstream bench_upstream { server 127.0.0.1:$UPSTREAM_PORT; keepalive 64; }
  server {
    listen 127.0.0.1:$NGINX_PORT http2;
    location / {
      proxy_pass http://bench_upstream;
      proxy_http_version 1.1;
      proxy_set_header Connection '';
      proxy_set_header X-From-Gateway 1;
      add_header X-Served-By nginx always;
    }
  }" "${ON_PROXY_CORE[@]}"
wait_port "$NGINX_PORT"

EDGEWAY_PORT=$(free_port)
ADMIN_PORT=$(free_port)
(
  export EDGEWAY_PORT ADMIN_PORT EDGEWAY_ADMIN_PORT=$ADMIN_PORT UPSTREAM_URL="http://127.0.0.1:$UPSTREAM_PORT"
  export EDGEWAY_ACCESS_LOG=OFF
  exec "${ON_PROXY_CORE[@]}" java -XX:ActiveProcessorCount=1 -Xms64m -Xmx256m \
    -jar "$JAR" --config "$PROJECT_DIR/loadtest/scenarios/h2c.yaml"
) >"$WORK/edgeway.log" 2>&1 </dev/null &
PIDS+=($!)
EDGEWAY_PID=$!
wait_port "$EDGEWAY_PORT"

declare -A PORT=([nginx]=$NGINX_PORT [edgeway]=$EDGEWAY_PORT)
declare -A PROXY_PID=([nginx]=${PIDS[$NGINX_PROXY_INDEX]} [edgeway]=$EDGEWAY_PID)
declare -A RESULTS=() CPU_US=()
CLK_TCK=$(getconf CLK_TCK)

cpu_ticks() { # PID: utime + stime of the process and its children (nginx's worker), in clock ticks
  local pid=$1 total=0 ticks child
  for child in $pid $(pgrep -P "$pid" 2>/dev/null || true); do
    # Fields after the command name, which may hold spaces: utime is 12, stime 13.
    ticks=$(sed 's/^.*) //' "/proc/$child/stat" 2>/dev/null | awk '{ print $12 + $13 }')
    total=$(( total + ${ticks:-0} ))
  done
  echo "$total"
}

h2load_rps() { # PORT REQUESTS -> req/s
  local out
  out=$("${ON_CLIENT_CORE[@]}" h2load -t1 -c"$CLIENTS" -m"$STREAMS" -n"$2" "http://127.0.0.1:$1/bench/x" 2>&1)
  grep -q "0 failed, 0 errored" <<<"$out" || { echo "$out" >&2; die "h2load against port $1 had errors"; }
  grep -q "2xx: $2," <<<"$out" || grep -q "status codes: $2 2xx" <<<"$out" || { echo "$out" >&2; die "port $1: not every answer was 2xx"; }
  awk '/^finished in/ { gsub(",", "", $4); print $4 }' <<<"$out"
}

echo "h2load -t1 -c$CLIENTS -m$STREAMS -n$REQUESTS; warm-up $WARMUP_REQUESTS per target" >&2
for target in nginx edgeway; do h2load_rps "${PORT[$target]}" "$WARMUP_REQUESTS" >/dev/null; done
RATIOS="" PER_CORE_RATIOS=""
for (( round = 1; round <= ROUNDS; round++ )); do
  for target in nginx edgeway; do
    before=$(cpu_ticks "${PROXY_PID[$target]}")
    rps=$(h2load_rps "${PORT[$target]}" "$REQUESTS")
    after=$(cpu_ticks "${PROXY_PID[$target]}")
    us=$(awk -v t=$(( after - before )) -v hz="$CLK_TCK" -v n="$REQUESTS" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }')
    RESULTS[$target]+="$rps "
    CPU_US[$target]+="$us "
    echo "round $round $target $rps req/s, $us CPU us/req" >&2
    declare "round_rps_$target=$rps" "round_us_$target=$us"
  done
  RATIOS+="$(awk -v e="$round_rps_edgeway" -v n="$round_rps_nginx" 'BEGIN { printf "%.3f", e / n }') "
  PER_CORE_RATIOS+="$(awk -v e="$round_us_edgeway" -v n="$round_us_nginx" 'BEGIN { printf "%.3f", (e > 0) ? n / e : 0 }') "
done

median() { tr ' ' '\n' <<<"$1" | sed '/^$/d' | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
echo "| target | rounds (req/s) | median req/s | rounds (CPU µs/req) | median CPU µs/req |"
echo "|---|---|---:|---|---:|"
echo "| nginx $("$NGINX" -v 2>&1 | sed 's/.*nginx\///') | ${RESULTS[nginx]}| $(median "${RESULTS[nginx]}") | ${CPU_US[nginx]}| $(median "${CPU_US[nginx]}") |"
echo "| edgeway | ${RESULTS[edgeway]}| $(median "${RESULTS[edgeway]}") | ${CPU_US[edgeway]}| $(median "${CPU_US[edgeway]}") |"
echo
echo "Edgeway / nginx, per round then median: req/s $(median "$RATIOS") (rounds: $RATIOS); req/s per proxy core $(median "$PER_CORE_RATIOS") (rounds: $PER_CORE_RATIOS)"
