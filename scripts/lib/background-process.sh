# shellcheck shell=bash
# Helpers shared by scripts/kafka.sh and scripts/redis.sh to run one test service per directory:
# the service runs detached in its own session (so a signal to its process group reaches every
# child and nothing ties it to the caller's terminal or pipes), and DIR/pid names it.

die() { echo "$(basename "$0"): $*" >&2; exit 1; }

# port_in_use PORT: true if any IPv4/IPv6 TCP socket on this machine has PORT as its local port.
# Reads /proc instead of needing ss/netstat/python on a fresh machine.
port_in_use() {
  local hex
  hex=$(printf ':%04X ' "$1")
  grep -q -- "$hex" /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# free_port: a port below Linux's ephemeral range (32768+), so outgoing connections do not race
# for it between choosing it here and the service binding it.
free_port() {
  local port tries=0
  while (( tries++ < 200 )); do
    port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 12000 ))
    if ! port_in_use "$port"; then echo "$port"; return 0; fi
  done
  die "free_port: no free port found in 20000-31999 after 200 tries"
}

# accepts_connections PORT: true if something accepts a TCP connection on 127.0.0.1:PORT.
accepts_connections() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# running_pid DIR MARKER: prints the pid from DIR/pid if that process is alive and its command line
# contains MARKER (guards against a recycled pid after a reboot or a crash).
running_pid() {
  local dir=$1 marker=$2 pid
  [[ -f $dir/pid ]] || return 1
  pid=$(<"$dir/pid")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$marker" || return 1
  # A zombie is dead for our purposes (its parent has not reaped it yet).
  [[ $(awk '/^State:/ {print $2}' "/proc/$pid/status" 2>/dev/null) != Z ]] || return 1
  echo "$pid"
}

# spawn_detached DIR LOG CMD...: runs CMD in a new session whose leader is CMD itself, with every
# standard stream on files, and writes its pid to DIR/pid.
spawn_detached() {
  local dir=$1 log=$2; shift 2
  rm -f "$dir/pid"
  setsid bash -c 'echo $$ > "$0"; exec "$@"' "$dir/pid" "$@" </dev/null >>"$log" 2>&1 &
  local waited=0
  while [[ ! -s $dir/pid ]] && (( waited++ < 100 )); do sleep 0.05; done
  [[ -s $dir/pid ]] || die "spawn_detached: $dir/pid not written (expected: the pid of $1)"
}

# process_exited PID: true once PID is gone, or a zombie whose other threads have exited too.
# The command line alone does not tell: a dying process loses it before its sockets are closed,
# and a multi-threaded process's leader turns zombie while other threads still hold the files;
# a port that still accepts for that moment would break an immediate restart on the same port.
process_exited() {
  local status
  status=$(awk '/^(State|Threads):/ {printf "%s ", $2}' "/proc/$1/status" 2>/dev/null) || return 0
  [[ -z $status || $status == "Z 1 " || $status == X* ]]
}

# terminate DIR MARKER GRACE_SECONDS: SIGTERM to the process group, SIGKILL after the grace time.
terminate() {
  local dir=$1 marker=$2 grace=$3 pid i
  if ! pid=$(running_pid "$dir" "$marker"); then rm -f "$dir/pid"; return 0; fi
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for (( i = 0; i < grace * 10; i++ )); do
    process_exited "$pid" && { rm -f "$dir/pid"; return 0; }
    sleep 0.1
  done
  echo "$(basename "$0"): pid $pid still running after ${grace}s SIGTERM; sending SIGKILL" >&2
  kill_now "$dir" "$marker"
}

# kill_now DIR MARKER: SIGKILL to the process group, then wait until the process is gone.
kill_now() {
  local dir=$1 marker=$2 pid i
  if ! pid=$(running_pid "$dir" "$marker"); then rm -f "$dir/pid"; return 0; fi
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  for (( i = 0; i < 100; i++ )); do
    process_exited "$pid" && { rm -f "$dir/pid"; return 0; }
    sleep 0.05
  done
  die "kill_now: pid $pid survived SIGKILL for 5s"
}

# run_service_command EXTRA MARKER ADDRESS_FILE ARGS...: the command line every service script
# shares: "EXTRA" (the script's own preparation command: fetch, ensure), "start" (the script's
# start function; DIR and PORT are set for it), "stop", "kill", "status" (prints
# "running HOST:PORT pid N", exit 0, or "stopped", exit 3). Needs usage() and STOP_GRACE.
# DIR and PORT are globals the calling script's start() reads.
# shellcheck disable=SC2034
run_service_command() {
  local extra=$1 marker=$2 address_file=$3 command pid
  shift 3
  [[ $# -ge 1 ]] || usage
  command=$1; shift
  DIR=""; PORT=""
  while [[ $# -gt 0 ]]; do
    case $1 in
      --dir) [[ $# -ge 2 ]] || die "--dir: missing value (expected: a directory)"; DIR=$2; shift 2 ;;
      --port) [[ $# -ge 2 ]] || die "--port: missing value (expected: 1-65535)"; PORT=$2; shift 2 ;;
      -h|--help) usage ;;
      *) die "argument: $1 (expected: --dir DIR or --port P)" ;;
    esac
  done
  case $command in
    "$extra") "$extra" ;;
    start|stop|kill|status)
      [[ -n $DIR ]] || die "$command: --dir is required (expected: --dir DIR)"
      case $command in
        start) start ;;
        stop) if [[ -d $DIR ]]; then terminate "$(cd "$DIR" && pwd)" "$marker" "$STOP_GRACE"; fi ;;
        kill) if [[ -d $DIR ]]; then kill_now "$(cd "$DIR" && pwd)" "$marker"; fi ;;
        status)
          if [[ -d $DIR ]] && pid=$(running_pid "$DIR" "$marker"); then
            echo "running $(<"$DIR/$address_file") pid $pid"
          else
            echo "stopped"
            return 3
          fi ;;
      esac ;;
    -h|--help|help) usage ;;
    *) die "command: $command (expected: $extra, start, stop, kill or status)" ;;
  esac
}
