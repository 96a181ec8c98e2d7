#!/usr/bin/env bash
# bench/control.sh: what the control server costs, and how fast it answers, beside supervisord.
#
# What it measures (each section prints one Markdown table to stdout):
#   1. Idle cost of `corral run` with 10 `sleep` services, read from /proc of the corral
#      process after SETTLE seconds: VmRSS; USS (Private_Clean + Private_Dirty of smaps_rollup,
#      both shown; one corral at a time, so that no two share the executable's pages); threads; and wake-ups (voluntary + nonvoluntary context switches summed
#      over all threads) across IDLE seconds. Five states:
#        - OLD: a build without the control server (CORRAL_OLD, if given);
#        - off: `control: {socket: false}`;
#        - asleep: the socket is listening, nobody has connected yet (the server is not started);
#        - awake: measured right after `corral ctl status` (idle_stop: 1h keeps it up);
#        - asleep again: idle_stop: 2s; measured after one request, once the server has stopped
#          and RETIRE more seconds have passed (the runtime's idle pool threads retire after ~20 s).
#      And supervisord (python) with the same 10 programs and its unix_http_server, for scale.
#   2. Answer time: hyperfine (-N, WARMUP, RUNS) of `corral ctl status` against a server already
#      awake, and of `supervisorctl status` against supervisord; then COLD requests that each
#      have to wake the server (idle_stop: 1s, a 2 s pause before each), timed one by one.
#   3. Start-up of the single-child init with and without the control server in the binary:
#      hyperfine of `CORRAL -s -- /bin/true` for CORRAL_OLD, the current build and tini.
#   4. Log relay with the recent-lines buffer: a oneshot main service `cat`s LOG_FILE (200 MB
#      of 100-byte lines, made by bench/supervisor.sh or here), stdout to /dev/null; wall time,
#      median of 3, for CORRAL_OLD, the current build with `control: {socket: false}` (no
#      buffer) and with the control socket on (every line also kept in the buffer); and
#      `cat FILE | cat` for scale.
#
# How to run (Debian, as root, on a quiet machine; about 2 minutes):
#   apt-get install -y supervisor hyperfine tini
#   dotnet publish src/Corral/Corral.csproj -c Release -o out
#   CORRAL_OLD=/path/to/corral-without-control bench/control.sh > results.md
# Knobs: CORRAL (default out/corral) CORRAL_OLD SETTLE=2 IDLE=10 RETIRE=45 RUNS=100 WARMUP=10 COLD=5
#   LOG_FILE=/tmp/corral-bench-lines.txt

set -euo pipefail
export LC_ALL=C
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CORRAL=${CORRAL:-$ROOT/out/corral}
CORRAL_OLD=${CORRAL_OLD:-}
SETTLE=${SETTLE:-2} IDLE=${IDLE:-10} RETIRE=${RETIRE:-45} LOG_FILE=${LOG_FILE:-/tmp/corral-bench-lines.txt} RUNS=${RUNS:-100} WARMUP=${WARMUP:-10} COLD=${COLD:-5}
TMP=$(mktemp -d /tmp/corral-bench-control.XXXXXX)
PIDS=()
say() { printf '%s\n' "$*" >&2; }
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 0.5; for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$TMP"; }
trap cleanup EXIT
[ -x "$CORRAL" ] || { say "no $CORRAL: publish it first"; exit 1; }

ctx() { local t=0 f v; for f in /proc/"$1"/task/*/status; do v=$(awk '/ctxt_switches/ { s += $2 } END { print s + 0 }' "$f" 2>/dev/null || echo 0); t=$((t + v)); done; echo "$t"; }
threads() { ls /proc/"$1"/task | wc -l; }
mem() { # PID -> "RSS USS clean dirty" (kB)
  local rss clean dirty
  rss=$(awk '/^VmRSS/ { print $2 }' /proc/"$1"/status)
  clean=$(awk '/^Private_Clean/ { print $2 }' /proc/"$1"/smaps_rollup)
  dirty=$(awk '/^Private_Dirty/ { print $2 }' /proc/"$1"/smaps_rollup)
  echo "$rss $((clean + dirty)) $clean $dirty"
}
# Threads must be counted at the end of the window, when retired ones are gone; wake-ups are
# the sum over the threads alive at both ends (a thread that exits takes its count with it).
ctx_window() { # PID SECONDS -> wake-ups
  local pid=$1 before after t
  declare -A b
  for t in /proc/"$pid"/task/*; do b[$(basename "$t")]=$(awk '/ctxt_switches/ { s += $2 } END { print s + 0 }' "$t/status"); done
  sleep "$2"
  after=0
  for t in /proc/"$pid"/task/*; do
    local id; id=$(basename "$t")
    [ -n "${b[$id]:-}" ] || continue
    after=$((after + $(awk '/ctxt_switches/ { s += $2 } END { print s + 0 }' "$t/status") - b[$id]))
  done
  echo "$after"
}

config() { # FILE CONTROL-YAML
  { printf '%s\n' "$2"; echo "services:"; for i in $(seq 1 10); do echo "  s$i: {command: [sleep, '100000']}"; done; } > "$1"
}

start_corral() { # BIN CONFIG RUNDIR -> pid in STARTED
  CORRAL_RUN_DIR=$3 "$1" run -c "$2" >/dev/null 2>&1 &
  STARTED=$!
  PIDS+=("$STARTED")
  for _ in $(seq 1 100); do [ "$(pgrep -P "$STARTED" -c sleep || true)" -ge 10 ] && break; sleep 0.05; done
}

row() { # LABEL PID: one row, then that corral is stopped (one at a time, so no two share the binary's pages)
  local m w
  m=($(mem "$2"))
  w=$(ctx_window "$2" "$IDLE")
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$1" "${m[0]}" "${m[1]}" "${m[2]}" "${m[3]}" "$(threads "$2")" "$w"
  kill "$2"; wait "$2" 2>/dev/null || true
}

say "section 1: idle cost"
echo "### Idle cost: 10 \`sleep\` services (after ${SETTLE} s; wake-ups over ${IDLE} s)"
echo
echo "| corral | VmRSS (kB) | USS (kB) | of it clean (kB) | of it dirty (kB) | threads | wake-ups in ${IDLE} s |"
echo "|---|---:|---:|---:|---:|---:|---:|"
if [ -n "$CORRAL_OLD" ]; then
  config "$TMP/old.yaml" ""
  start_corral "$CORRAL_OLD" "$TMP/old.yaml" "$TMP/run-old"; sleep "$SETTLE"
  row "build without control server ($(stat -c %s "$CORRAL_OLD") bytes)" "$STARTED"
fi
config "$TMP/off.yaml" "control: {socket: false}"
start_corral "$CORRAL" "$TMP/off.yaml" "$TMP/run-off"; sleep "$SETTLE"
row "control off ($(stat -c %s "$CORRAL") bytes)" "$STARTED"
config "$TMP/asleep.yaml" ""
start_corral "$CORRAL" "$TMP/asleep.yaml" "$TMP/run-asleep"; sleep "$SETTLE"
row "server asleep (never contacted)" "$STARTED"
config "$TMP/awake.yaml" "control: {idle_stop: 1h}"
start_corral "$CORRAL" "$TMP/awake.yaml" "$TMP/run-awake"; sleep "$SETTLE"
CORRAL_RUN_DIR=$TMP/run-awake "$CORRAL" ctl status >/dev/null
row "server awake (after one request)" "$STARTED"
config "$TMP/again.yaml" "control: {idle_stop: 2s}"
start_corral "$CORRAL" "$TMP/again.yaml" "$TMP/run-again"; AGAIN=$STARTED; sleep "$SETTLE"
CORRAL_RUN_DIR=$TMP/run-again "$CORRAL" ctl status >/dev/null
sleep $((2 + RETIRE))
row "server asleep again (2 s idle_stop, then ${RETIRE} s)" "$AGAIN"

# supervisord with the same services and its control socket, for scale.
mkdir -p "$TMP/sd"
cat > "$TMP/sd/supervisord.conf" <<EOF
[unix_http_server]
file=$TMP/sd/supervisor.sock
[supervisord]
nodaemon=true
logfile=$TMP/sd/supervisord.log
pidfile=$TMP/sd/supervisord.pid
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
[supervisorctl]
serverurl=unix://$TMP/sd/supervisor.sock
[program:s]
command=sleep 100000
process_name=%(program_name)s%(process_num)d
numprocs=10
EOF
supervisord -c "$TMP/sd/supervisord.conf" >/dev/null 2>&1 &
SD=$!; PIDS+=("$SD")
for _ in $(seq 1 100); do [ "$(pgrep -P "$SD" -c sleep || true)" -ge 10 ] && break; sleep 0.05; done
sleep "$SETTLE"
m=($(mem "$SD"))
printf '| %s | %s | %s | %s | %s | %s | %s |\n' "supervisord $(dpkg-query -W -f='${Version}' supervisor) (for scale)" "${m[0]}" "${m[1]}" "${m[2]}" "${m[3]}" "$(threads "$SD")" "$(ctx_window "$SD" "$IDLE")"
echo

say "section 2: answer time"
start_corral "$CORRAL" "$TMP/awake.yaml" "$TMP/run-awake"; sleep "$SETTLE"
echo "### Answer time of a status request (hyperfine -N, ${WARMUP} warm-up, ${RUNS} runs; ms)"
echo
echo "| command | against | mean ± σ | min |"
echo "|---|---|---:|---:|"
hf() { # LABEL AGAINST COMMAND...
  local label=$1 against=$2; shift 2
  hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --export-json "$TMP/hf.json" "$*" >/dev/null 2>&1
  python3 -c "import json; r = json.load(open('$TMP/hf.json'))['results'][0]; print('| \`$label\` | $against | %.2f ± %.2f | %.2f |' % (r['mean'] * 1000, r['stddev'] * 1000, r['min'] * 1000))"
}
hf "corral ctl status" "corral, server awake" env CORRAL_RUN_DIR="$TMP/run-awake" "$CORRAL" ctl status
hf "supervisorctl status" "supervisord" supervisorctl -c "$TMP/sd/supervisord.conf" status
echo

config "$TMP/cold.yaml" "control: {idle_stop: 1s}"
start_corral "$CORRAL" "$TMP/cold.yaml" "$TMP/run-cold"; sleep "$SETTLE"
times=()
for _ in $(seq 1 "$COLD"); do
  sleep 2
  a=$EPOCHREALTIME
  CORRAL_RUN_DIR=$TMP/run-cold "$CORRAL" ctl status >/dev/null
  b=$EPOCHREALTIME
  times+=("$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.1f", (b - a) * 1000 }')")
done
echo "Cold requests (each wakes the server: it starts Kestrel first), ms: ${times[*]}"
echo

say "section 3: init start-up"
echo "### Start-up of \`INIT -s -- /bin/true\` (hyperfine -N, 20 warm-up, 300 runs; ms)"
echo
echo "| init | binary (bytes) | mean ± σ | min |"
echo "|---|---:|---:|---:|"
hi() { # LABEL BIN
  hyperfine -N --warmup 20 --runs 300 --export-json "$TMP/hi.json" "$2 -s -- /bin/true" >/dev/null 2>&1
  python3 -c "import json; r = json.load(open('$TMP/hi.json'))['results'][0]; print('| $1 | $(stat -c %s "$(command -v "$2")") | %.2f ± %.2f | %.2f |' % (r['mean'] * 1000, r['stddev'] * 1000, r['min'] * 1000))"
}
hi tini tini
[ -n "$CORRAL_OLD" ] && hi "corral without control server" "$CORRAL_OLD"
hi "corral" "$CORRAL"
echo

say "section 4: log relay"
if [ ! -s "$LOG_FILE" ]; then
  python3 -c "import sys; l = b'x' * 99 + b'\\n'; f = open(sys.argv[1], 'wb'); [f.write(l) for _ in range(2000000)]" "$LOG_FILE"
fi
cat "$LOG_FILE" > /dev/null
mb=$(( $(stat -c %s "$LOG_FILE") / 1000000 ))
echo "### Log relay of ${mb} MB (2 000 000 lines), stdout to /dev/null (median of 3)"
echo
echo "| what | wall (s) | MB/s |"
echo "|---|---:|---:|"
printf 'services:\n  log: {type: oneshot, main: true, command: [cat, %s]}\n' "$LOG_FILE" > "$TMP/log-on.yaml"
{ echo "control: {socket: false}"; cat "$TMP/log-on.yaml"; } > "$TMP/log-off.yaml"
timed() { # LABEL COMMAND...
  local label=$1 a b t=(); shift
  for _ in 1 2 3; do a=$EPOCHREALTIME; "$@" > /dev/null 2>&1; b=$EPOCHREALTIME; t+=("$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", b - a }')"); done
  local m; m=$(printf '%s\n' "${t[@]}" | sort -g | sed -n 2p)
  printf '| %s | %s | %s |\n' "$label" "$m" "$(awk -v m="$m" -v s="$mb" 'BEGIN { printf "%.0f", s / m }')"
}
timed "\`cat FILE | cat\`" sh -c "cat '$LOG_FILE' | cat"
[ -n "$CORRAL_OLD" ] && timed "corral without control server" env CORRAL_RUN_DIR="$TMP/rl" "$CORRAL_OLD" run -c "$TMP/log-on.yaml"
timed "corral, control off (no buffer)" env CORRAL_RUN_DIR="$TMP/rl" "$CORRAL" run -c "$TMP/log-off.yaml"
timed "corral, control on (every line kept in the buffer)" env CORRAL_RUN_DIR="$TMP/rl" "$CORRAL" run -c "$TMP/log-on.yaml"
echo
say "done"
