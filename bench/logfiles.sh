#!/usr/bin/env bash
# bench/logfiles.sh: log-file write throughput with rotation, Corral against supervisord.
#
# What it measures (one Markdown table to stdout): a service `cat`s a LOG_MB MB file of
# 100-byte lines (generated once as $LOG_FILE and kept) into its stdout, which the supervisor
# writes to DIR/app.log rotated at MAX_MB MB keeping BACKUPS old files. Time from starting the
# supervisor until the input's last line is the last line of app.log (polled every 5 ms), as
# MB/s of input, median of RUNS; the supervisor's own CPU time (utime + stime from
# /proc/PID/stat at that moment) for the same run. Then each run's files are checked: every
# kept file holds whole lines only (size a multiple of 100), app.log.1 … app.log.BACKUPS exist
# and are at most MAX_MB MB, and the kept files joined are the tail of the input.
#   corral, rotated:     logs: {stdout: {file: DIR/app.log, max_bytes: MAX_MB MB, backups: BACKUPS}}
#   corral, plain file:  logs: {stdout: DIR/app.log} (the service's own descriptor, no rotation)
#   supervisord:         stdout_logfile=DIR/app.log, stdout_logfile_maxbytes=MAX_MB MB,
#                        stdout_logfile_backups=BACKUPS
#   cat > file:          the floor: cat FILE > DIR/app.log
# The service sleeps after cat, so that no supervisor's exit path is timed.
#
# How to run (Debian, as root, quiet machine; about a minute):
#   apt-get install -y supervisor
#   bench/logfiles.sh > results.md
# Knobs: CORRAL=path (default out/corral, else tests/Corral.Tests/bin/corral/corral)
#   LOG_MB=200 MAX_MB=10 BACKUPS=5 RUNS=3 LOG_FILE=/tmp/corral-bench-lines.txt SCRATCH=/tmp
# Every process the script starts is stopped (then killed, by PID) when it exits.

set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CORRAL=${CORRAL:-$ROOT/out/corral}
[[ -x $CORRAL ]] || CORRAL=$ROOT/tests/Corral.Tests/bin/corral/corral
LOG_MB=${LOG_MB:-200}
MAX_MB=${MAX_MB:-10}
BACKUPS=${BACKUPS:-5}
RUNS=${RUNS:-3}
LOG_FILE=${LOG_FILE:-/tmp/corral-bench-lines.txt}
WORK=$(mktemp -d "${SCRATCH:-/tmp}/corral-logfiles-XXXXXX")
say() { echo "$@" >&2; }

PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    sleep 0.3
    for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

lines=$((LOG_MB * 1024 * 1024 / 100))
if [[ ! -f $LOG_FILE || $(stat -c %s "$LOG_FILE") != $((lines * 100)) ]]; then
    say "generating $LOG_FILE ($lines lines of 100 bytes) ..."
    awk -v n="$lines" 'BEGIN { pad = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnop";
        for (i = 0; i < n; i++) printf "%010d %s\n", i, substr(pad, 1, 88) }' > "$LOG_FILE.tmp"
    mv "$LOG_FILE.tmp" "$LOG_FILE"
fi
BYTES=$(stat -c %s "$LOG_FILE")
LAST=$(tail -n 1 "$LOG_FILE")
cat "$LOG_FILE" > /dev/null   # into the page cache
TICK=$(getconf CLK_TCK)

now() { date +%s.%N; }
cpu_of() { awk -v t="$TICK" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$1/stat"; }

# Waits until the newest file ends with the input's last line (app.log, or app.log.1 when
# supervisord rotated just after the last write and left app.log empty); prints nothing.
wait_last() {
    local f=$1/app.log
    while :; do
        [[ -f $f && "$(tail -n 1 "$f" 2>/dev/null)" == "$LAST" ]] && return
        [[ -f $f && ! -s $f && "$(tail -n 1 "$f.1" 2>/dev/null)" == "$LAST" ]] && return
        sleep 0.005
    done
}

setup() {   # TOOL DIR
    local tool=$1 dir=$2
    mkdir -p "$dir"
    case $tool in
        corral-rotated) cat > "$dir/corral.yaml" <<EOF
services:
  log:
    command: sh -c 'cat $LOG_FILE; exec sleep 1000'
    logs:
      stdout: {file: $dir/app.log, max_bytes: ${MAX_MB}MB, backups: $BACKUPS}
EOF
        ;;
        corral-plain) cat > "$dir/corral.yaml" <<EOF
services:
  log:
    command: sh -c 'cat $LOG_FILE; exec sleep 1000'
    logs:
      stdout: $dir/app.log
EOF
        ;;
        supervisord) cat > "$dir/supervisord.conf" <<EOF
[supervisord]
nodaemon=true
logfile=$dir/supervisord.log
pidfile=$dir/supervisord.pid
childlogdir=$dir
user=root
silent=true

[program:log]
command=sh -c 'cat $LOG_FILE; exec sleep 1000'
autorestart=false
startsecs=0
stdout_logfile=$dir/app.log
stdout_logfile_maxbytes=${MAX_MB}MB
stdout_logfile_backups=$BACKUPS
EOF
        ;;
    esac
}

one_run() {   # TOOL DIR: prints "seconds cpu"
    local tool=$1 dir=$2 t0 t1 pid cpu
    t0=$(now)
    case $tool in
        corral-*) CORRAL_RUN_DIR=$dir "$CORRAL" run -c "$dir/corral.yaml" > /dev/null 2> "$dir.stderr" < /dev/null & ;;
        supervisord) supervisord -n -c "$dir/supervisord.conf" > /dev/null 2> "$dir.stderr" < /dev/null & ;;
        cat) cat "$LOG_FILE" > "$dir/app.log" & ;;
    esac
    pid=$!
    PIDS+=("$pid")
    wait_last "$dir"
    t1=$(now)
    cpu=$(cpu_of "$pid" 2>/dev/null || echo 0)
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    echo "$(echo "$t1 - $t0" | bc -l) $cpu"
}

check() {   # TOOL DIR: "ok" or what is wrong
    local tool=$1 dir=$2 f problems=""
    [[ $tool == cat || $tool == corral-plain ]] && { cmp -s "$dir/app.log" "$LOG_FILE" && echo "ok (whole input)" || echo "differs"; return; }
    for f in "$dir"/app.log "$dir"/app.log.*; do
        [[ -f $f ]] || continue
        (( $(stat -c %s "$f") % 100 == 0 )) || problems+=" $(basename "$f"):partial-line"
        (( $(stat -c %s "$f") <= MAX_MB * 1024 * 1024 )) || problems+=" $(basename "$f"):over-max"
    done
    for i in $(seq 1 "$BACKUPS"); do [[ -f $dir/app.log.$i ]] || problems+=" app.log.$i:missing"; done
    [[ -f $dir/app.log.$((BACKUPS + 1)) ]] && problems+=" app.log.$((BACKUPS + 1)):kept"
    local kept=0 i
    for i in $(seq 1 "$BACKUPS"); do kept=$((kept + $(stat -c %s "$dir/app.log.$i" 2>/dev/null || echo 0))); done
    kept=$((kept + $(stat -c %s "$dir/app.log")))
    if [[ "$( { for i in $(seq "$BACKUPS" -1 1); do cat "$dir/app.log.$i" 2>/dev/null; done; cat "$dir/app.log"; } | md5sum)" != "$(tail -c "$kept" "$LOG_FILE" | md5sum)" ]]; then
        problems+=" not-the-tail-of-the-input"
    fi
    echo "${problems:-ok (kept $((kept / 100)) lines, the tail of the input)}"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

echo "#### Log files with rotation: $LOG_MB MB of 100-byte lines, rotated at $MAX_MB MB keeping $BACKUPS (median of $RUNS)"
echo
echo "| writer | MB/s | wall s | supervisor CPU s | files |"
echo "|---|---:|---:|---:|---|"
for tool in cat corral-plain corral-rotated supervisord; do
    times=() cpus=() verdict=""
    for r in $(seq 1 "$RUNS"); do
        dir=$WORK/$tool-$r
        setup "$tool" "$dir"
        say "$tool run $r ..."
        one_run "$tool" "$dir" > "$WORK/result"
        read -r t c < "$WORK/result"
        times+=("$t") cpus+=("$c")
        [[ $r == 1 ]] && verdict=$(check "$tool" "$dir")
        rm -rf "$dir"
    done
    t=$(printf '%s\n' "${times[@]}" | median)
    c=$(printf '%s\n' "${cpus[@]}" | median)
    mbs=$(echo "$BYTES / 1048576 / $t" | bc -l)
    case $tool in
        cat) name="cat > file (floor)"; c="-" ;;
        corral-plain) name="corral, plain file (service's own fd)" ;;
        corral-rotated) name="corral, max_bytes ${MAX_MB}MB, backups $BACKUPS" ;;
        supervisord) name="supervisord $(supervisord --version), maxbytes ${MAX_MB}MB, backups $BACKUPS" ;;
    esac
    printf '| %s | %.0f | %.2f | %s | %s |\n' "$name" "$mbs" "$t" "$c" "$verdict"
done
