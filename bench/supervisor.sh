#!/usr/bin/env bash
# bench/supervisor.sh: compare Corral's supervisor (`corral run -c FILE`) with Debian's
# supervisord, s6 (s6-svscan) and runit (runsvdir).
#
# What it measures (each section prints one Markdown table to stdout):
#   1. Idle: each supervisor keeps N `sleep` services up (N = 10, then 100). Once all N are
#      running and SETTLE more seconds have passed, it reads from /proc, summed over the
#      supervisor's own processes (not the services): VmRSS; USS (Private_Clean +
#      Private_Dirty of smaps_rollup); PSS (shared pages divided among their users: the fair
#      figure for many small processes such as s6-supervise); Private_Dirty; and the wake-ups, i.e. the increase of voluntary +
#      nonvoluntary context switches summed over /proc/PID/task/*/status, across IDLE seconds
#      (and the number of threads). VmRSS summed over many processes counts their shared
#      libraries many times; USS is the figure to compare.
#      The supervisor's processes are: corral; the supervisord (python) process; s6-svscan
#      and every s6-supervise; runsvdir and every runsv. The four supervisors idle side by
#      side (idle processes do not disturb each other).
#   2. Shutdown: SHUT_N `sleep` services (they die at once on SIGTERM). Time from the stop
#      command until the supervisor has exited and no process of its tree (services,
#      s6-supervise, runsv) remains, polled every 2 ms; median of SHUT_REPS runs. The stop
#      command is each tool's documented "stop everything": SIGTERM to corral; SIGTERM to
#      supervisord; `s6-svscanctl -t SCANDIR`; SIGHUP to runsvdir (which sends SIGTERM to each
#      runsv, which stops its service and exits; SIGTERM to runsvdir would leave them running).
#   3. Restart latency: one service that appends `date +%s.%N` to a file and exits 1, run for
#      RESTART_SECS; the gaps between consecutive time stamps (median, min, count). Corral is
#      given `backoff: {initial: 1ms, factor: 1, max: 1ms}`; supervisord startsecs=0,
#      autorestart=true, startretries=1000000; s6 and runit run with their defaults (both
#      wait 1 s before restarting a service that ran less than a second). For scale, the same
#      `sh -c` run back to back by a bash loop.
#   4. Log throughput: a service `cat`s a LOG_MB MB file of 100-byte lines (generated once as
#      $LOG_FILE and kept), the supervisor's stdout going to /dev/null; wall time (median of
#      LOG_RUNS) from starting the supervisor until it has exited, as MB/s of input. Compared
#      with `cat FILE > /dev/null` and `cat FILE | cat > /dev/null`. Corral: a oneshot `main`
#      service with the default `logs: {prefix: true}`, so every line is relayed as
#      "log | line" (and once more with prefix: false). supervisord: stdout_logfile=/dev/stdout,
#      stdout_logfile_maxbytes=0, the program ends with `kill -TERM $PPID`. s6 and runit: no
#      logger, so the service writes straight into the supervisor's inherited stdout (there is
#      no relay at all); the run script ends with `s6-svscanctl -t ..` / SIGHUP to runsvdir.
#      Two more rows time Corral and supervisord with stdout a pipe into `head -c BYTES`, until
#      the reader has every byte (this leaves out the supervisor's own exit).
#      A separate, untimed run per relaying supervisor pipes the output into a checker that
#      counts the lines and bytes (Corral: also compares the unprefixed text with the file).
#
# How to run (Debian, as root, on an otherwise quiet machine; takes about 100 s):
#   apt-get install -y supervisor s6 runit time
#   dotnet publish src/Corral/Corral.csproj -c Release -o out    # if out/corral is missing
#   bench/supervisor.sh > results.md
# Knobs (environment): CORRAL=path/to/corral (default out/corral)  SETTLE=2  IDLE=10
#   SHUT_N=50  SHUT_REPS=3  RESTART_SECS=5  LOG_MB=200  LOG_RUNS=3
#   LOG_FILE=/tmp/corral-bench-lines.txt  KEEP=1 (keep the scratch directory, for its logs)
# Progress goes to stderr; only the report goes to stdout. Every process the script starts is
# stopped (then killed, by PID) when it exits, also on Ctrl-C.

set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CORRAL=${CORRAL:-$ROOT/out/corral}
SETTLE=${SETTLE:-2}
IDLE=${IDLE:-10}
SHUT_N=${SHUT_N:-50}
SHUT_REPS=${SHUT_REPS:-3}
RESTART_SECS=${RESTART_SECS:-5}
LOG_MB=${LOG_MB:-200}
LOG_RUNS=${LOG_RUNS:-3}
LOG_FILE=${LOG_FILE:-/tmp/corral-bench-lines.txt}

say() { printf '%s\n' "$*" >&2; }
die() { say "supervisor.sh: $*"; exit 1; }

[[ $(id -u) == 0 ]] || die "run as root"
for tool in supervisord s6-svscan s6-svscanctl runsvdir awk sort; do
    command -v "$tool" >/dev/null || die "$tool missing: apt-get install -y supervisor s6 runit"
done
[[ -x /usr/bin/time ]] || die "/usr/bin/time missing: apt-get install -y time"
if [[ ! -x $CORRAL ]]; then
    say "building $CORRAL ..."
    dotnet publish "$ROOT/src/Corral/Corral.csproj" -c Release -o "$ROOT/out" >&2
    [[ -x $CORRAL ]] || die "no executable at $CORRAL"
fi
CORRAL=$(readlink -f "$CORRAL")

TOOLS=(corral supervisord s6 runit)
TMP=$(mktemp -d /tmp/corral-sv-bench.XXXXXX)
mkdir -p "$TMP/bin"
# Each tool's services run a differently named link to sleep, so their processes can be told
# apart by argv[0] (which is this full path).
for t in "${TOOLS[@]}"; do ln -s "$(command -v sleep)" "$TMP/bin/svc-$t"; done
mkfifo "$TMP/tick"; exec {TICK}<>"$TMP/tick"   # `read -t` on it = a sleep without a fork
nap() { read -t "$1" -u "$TICK" _ || true; }

declare -A SUP=()   # tool -> PID of its running supervisor (a child of this script)

# ---------------------------------------------------------------- /proc helpers
alive() {     # PID: exists and is not a zombie
    local line
    { read -r line < "/proc/$1/stat"; } 2>/dev/null || return 1
    line=${line##*) }
    [[ ${line:0:1} != Z ]]
}
kids() {      # PPID [COMM]: live children of PPID (only those named COMM, if given)
    local want_ppid=$1 want_comm=${2:-} f line comm rest pid
    for f in /proc/[0-9]*/stat; do
        { read -r line < "$f"; } 2>/dev/null || continue
        rest=(${line##*) })
        [[ ${rest[1]} == "$want_ppid" && ${rest[0]} != Z ]] || continue
        comm=${line#*(}; comm=${comm%)*}
        [[ -z $want_comm || $comm == "$want_comm" ]] || continue
        pid=${f#/proc/}; echo "${pid%/stat}"
    done
}
svc_pids() {  # TOOL: live processes whose argv[0] is $TMP/bin/svc-TOOL
    local f a0 pid want="$TMP/bin/svc-$1"
    for f in /proc/[0-9]*/cmdline; do
        { IFS= read -r -d '' a0 < "$f"; } 2>/dev/null || continue
        [[ $a0 == "$want" ]] || continue
        pid=${f#/proc/}; pid=${pid%/cmdline}
        alive "$pid" && echo "$pid"
    done
}
tree_pids() { # TOOL PID: the supervisor's own processes
    echo "$2"
    case $1 in
        s6) kids "$2" s6-supervise ;;
        runit) kids "$2" runsv ;;
    esac
}
mem_of() {    # PIDS... -> "RSS_kB USS_kB PSS_kB PrivateDirty_kB" summed
    local p rss=0 uss=0 pss=0 dirty=0 v
    for p in "$@"; do
        v=$(awk '/^VmRSS:/ { print $2 }' "/proc/$p/status" 2>/dev/null) && rss=$((rss + ${v:-0}))
        v=$(awk '/^Private_(Clean|Dirty):/ { s += $2 } END { print s + 0 }' "/proc/$p/smaps_rollup" 2>/dev/null) && uss=$((uss + ${v:-0}))
        v=$(awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null) && pss=$((pss + ${v:-0}))
        v=$(awk '/^Private_Dirty:/ { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null) && dirty=$((dirty + ${v:-0}))
    done
    echo "$rss $uss $pss $dirty"
}
ctx_of() {    # PIDS... -> total voluntary + nonvoluntary context switches of all their threads
    local p f k v n=0
    for p in "$@"; do
        for f in /proc/"$p"/task/*/status; do
            while read -r k v _; do
                [[ $k == voluntary_ctxt_switches: || $k == nonvoluntary_ctxt_switches: ]] && n=$((n + v))
            done < "$f" 2>/dev/null || true
        done
    done
    echo "$n"
}
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# ---------------------------------------------------------------- starting and stopping
# conf_TOOL DIR N KIND: write the configuration for N services of KIND (sleep | crash) in DIR.
conf_corral() {
    local dir=$1 n=$2 kind=$3 i
    mkdir -p "$dir"
    {
        echo "shutdown_timeout: 9s"
        echo "services:"
        for ((i = 1; i <= n; i++)); do
            echo "  s$i:"
            if [[ $kind == sleep ]]; then
                echo "    command: [\"$TMP/bin/svc-corral\", \"100000\"]"
            else
                echo "    command: [\"sh\", \"-c\", \"date +%s.%N >> $dir/stamps; exit 1\"]"
                echo "    backoff: {initial: 1ms, factor: 1, max: 1ms}"
            fi
            echo "    restart: always"
            echo "    stop: {signal: TERM, timeout: 10s}"
        done
    } > "$dir/corral.yaml"
}
conf_supervisord() {
    local dir=$1 n=$2 kind=$3
    mkdir -p "$dir"
    local cmd="$TMP/bin/svc-supervisord 100000"
    [[ $kind == crash ]] && cmd="sh -c 'date +%%s.%%N >> $dir/stamps; exit 1'"
    cat > "$dir/supervisord.conf" <<EOF
[supervisord]
nodaemon=true
logfile=$dir/supervisord.log
pidfile=$dir/supervisord.pid
childlogdir=$dir
user=root
silent=true

[program:s]
command=$cmd
process_name=%(program_name)s%(process_num)d
numprocs=$n
autostart=true
autorestart=true
startsecs=0
startretries=1000000
stopsignal=TERM
stopwaitsecs=10
stdout_logfile=NONE
stderr_logfile=NONE
EOF
}
conf_svdir() {   # s6 and runit share the layout: one directory with an executable run each
    local dir=$1 n=$2 kind=$3 tool=$4 i
    mkdir -p "$dir"
    for ((i = 1; i <= n; i++)); do
        mkdir -p "$dir/s$i"
        if [[ $kind == sleep ]]; then
            printf '#!/bin/sh\nexec %s 100000\n' "$TMP/bin/svc-$tool" > "$dir/s$i/run"
        else
            printf '#!/bin/sh\ndate +%%s.%%N >> %s/stamps\nexit 1\n' "$dir" > "$dir/s$i/run"
        fi
        chmod +x "$dir/s$i/run"
    done
    # runsvdir waits for the next second before it scans a directory modified this very second
    touch -d '-10 seconds' "$dir"
}
conf_s6() { conf_svdir "$1" "$2" "$3" s6; }
conf_runit() { conf_svdir "$1" "$2" "$3" runit; }

start_sup() {   # TOOL DIR [stdout]: start the supervisor in the background, set SUP[TOOL]
    local tool=$1 dir=$2 out=${3:-/dev/null}
    case $tool in
        corral) "$CORRAL" run -c "$dir/corral.yaml" > "$out" 2> "$dir.stderr" < /dev/null & ;;
        supervisord) supervisord -n -c "$dir/supervisord.conf" > "$out" 2> "$dir.stderr" < /dev/null & ;;
        s6) s6-svscan "$dir" > "$out" 2> "$dir.stderr" < /dev/null & ;;
        runit) runsvdir "$dir" > "$out" 2> "$dir.stderr" < /dev/null & ;;
    esac
    SUP[$tool]=$!
}
stop_cmd() {    # TOOL DIR: the tool's "stop everything"
    case $1 in
        corral | supervisord) kill -TERM "${SUP[$1]}" ;;
        s6) s6-svscanctl -t "$2" ;;
        runit) kill -HUP "${SUP[$1]}" ;;
    esac
}
wait_up() {     # TOOL N: until N services of TOOL run (at most 30 s)
    local i
    for ((i = 0; i < 3000; i++)); do
        (($(svc_pids "$1" | wc -l) >= $2)) && return 0
        nap 0.01
    done
    die "$1: fewer than $2 services came up"
}
wait_gone() {   # PIDS...: until none of them is alive (polled every 2 ms; at most 30 s)
    local left=("$@") next p i
    for ((i = 0; i < 15000 && ${#left[@]}; i++)); do
        next=()
        for p in "${left[@]}"; do alive "$p" && next+=("$p"); done
        left=("${next[@]}")
        ((${#left[@]})) && nap 0.002
    done
    ((${#left[@]} == 0))
}
reap() {        # TOOL: wait for the supervisor (our child), then kill whatever of its tree is left
    local tool=$1 p
    [[ -n ${SUP[$tool]:-} ]] || return 0
    wait "${SUP[$tool]}" 2>/dev/null || true
    unset "SUP[$tool]"
    for p in $(svc_pids "$tool"); do kill -KILL "$p" 2>/dev/null || true; done
}
stop_and_reap() { # TOOL DIR: stop politely, give it 15 s, then kill the rest
    local tool=$1 dir=$2 pids
    [[ -n ${SUP[$tool]:-} ]] || return 0
    pids=$(tree_pids "$tool" "${SUP[$tool]}")
    stop_cmd "$tool" "$dir" 2>/dev/null || true
    if ! wait_gone $pids; then
        say "  $tool did not stop within 30 s; killing it"
        for p in $pids; do kill -KILL "$p" 2>/dev/null || true; done
    fi
    reap "$tool"
}

cleanup() {
    local t p f
    trap - EXIT INT TERM
    for t in "${!SUP[@]}"; do
        for p in $(tree_pids "$t" "${SUP[$t]}"); do kill -KILL "$p" 2>/dev/null || true; done
    done
    # anything still running from our directory: services, orphaned s6-supervise / runsv
    for f in /proc/[0-9]*; do
        p=${f#/proc/}
        [[ $p == $$ ]] && continue
        if [[ $(readlink "$f/cwd" 2>/dev/null) == "$TMP"* || $(readlink "$f/exe" 2>/dev/null) == "$TMP"* ]]; then
            kill -KILL "$p" 2>/dev/null || true
        fi
    done
    for t in "${TOOLS[@]}"; do for p in $(svc_pids "$t"); do kill -KILL "$p" 2>/dev/null || true; done; done
    wait 2>/dev/null || true
    if [[ -n ${KEEP:-} ]]; then say "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pkgver() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo '?'; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
now() { echo "$EPOCHREALTIME"; }
elapsed_ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) * 1000 }'; }

LOAD_BEFORE=$(load)
T_BEGIN=$(now)
echo "# Supervisor benchmark"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); kernel $(uname -r); $(nproc) CPUs;" \
     "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "- corral: $CORRAL ($("$CORRAL" --version 2>&1 | head -1)); supervisor $(pkgver supervisor);" \
     "s6 $(pkgver s6); runit $(pkgver runit); python3 $(pkgver python3)"
echo "- load average before: $LOAD_BEFORE"
if awk -v l="${LOAD_BEFORE%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
    echo "- **warning: the machine was busy when the run started; timings are noisy**"
fi
echo

# ---------------------------------------------------------------- 1. idle
echo "## Idle: N \`sleep\` services (read ${SETTLE} s after all are up; wake-ups over ${IDLE} s)"
echo
echo "| services | supervisor | processes | threads | VmRSS (kB) | USS (kB) | PSS (kB) | Private_Dirty (kB) | USS per service (kB) | wake-ups in ${IDLE} s |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in 10 100; do
    say "1/4 idle with $n services ..."
    for t in "${TOOLS[@]}"; do
        "conf_$t" "$TMP/idle$n-$t" "$n" sleep
        start_sup "$t" "$TMP/idle$n-$t"
    done
    for t in "${TOOLS[@]}"; do wait_up "$t" "$n"; done
    nap "$SETTLE"
    declare -A TREE=() MEM=() C0=()
    for t in "${TOOLS[@]}"; do
        TREE[$t]=$(tree_pids "$t" "${SUP[$t]}" | tr '\n' ' ')
        MEM[$t]=$(mem_of ${TREE[$t]})
        C0[$t]=$(ctx_of ${TREE[$t]})
    done
    nap "$IDLE"
    for t in "${TOOLS[@]}"; do
        c1=$(ctx_of ${TREE[$t]})
        set -- ${MEM[$t]}
        nproc_t=$(wc -w <<< "${TREE[$t]}")
        case $t in
            corral) label="corral" ;;
            supervisord) label="supervisord (python)" ;;
            s6) label="s6-svscan + s6-supervise" ;;
            runit) label="runsvdir + runsv" ;;
        esac
        threads=$(for p in ${TREE[$t]}; do ls "/proc/$p/task"; done | wc -l)
        echo "| $n | $label | $nproc_t | $threads | $1 | $2 | $3 | $4 | $(awk -v u="$2" -v n="$n" 'BEGIN { printf "%.0f", u / n }') | $((c1 - ${C0[$t]})) |"
    done
    for t in "${TOOLS[@]}"; do stop_and_reap "$t" "$TMP/idle$n-$t"; done
done
echo

# ---------------------------------------------------------------- 2. shutdown
say "2/4 shutdown of $SHUT_N services, $SHUT_REPS runs each ..."
echo "## Shutdown: $SHUT_N \`sleep\` services (stop command until the whole tree is gone; ms)"
echo
echo "| supervisor | stop command | median (ms) | runs (ms) |"
echo "|---|---|---:|---|"
for t in "${TOOLS[@]}"; do
    runs=()
    for ((r = 1; r <= SHUT_REPS; r++)); do
        dir="$TMP/shut-$t-$r"
        "conf_$t" "$dir" "$SHUT_N" sleep
        start_sup "$t" "$dir"
        wait_up "$t" "$SHUT_N"
        nap 1
        pids="$(tree_pids "$t" "${SUP[$t]}") $(svc_pids "$t")"
        t0=$(now)
        stop_cmd "$t" "$dir"
        wait_gone $pids || say "  $t: tree still alive after 30 s"
        t1=$(now)
        runs+=("$(elapsed_ms "$t0" "$t1")")
        reap "$t"
    done
    case $t in
        corral) how="SIGTERM to corral" ;;
        supervisord) how="SIGTERM to supervisord" ;;
        s6) how="\`s6-svscanctl -t DIR\`" ;;
        runit) how="SIGHUP to runsvdir" ;;
    esac
    echo "| $t | $how | $(printf '%s\n' "${runs[@]}" | median) | ${runs[*]} |"
done
echo

# ---------------------------------------------------------------- 3. restart latency
say "3/4 restart latency, $RESTART_SECS s each ..."
echo "## Restart latency: a service that writes \`date +%s.%N\` and exits 1 (${RESTART_SECS} s each)"
echo
echo "| supervisor | restart settings | starts | median gap (ms) | min gap (ms) | max gap (ms) |"
echo "|---|---|---:|---:|---:|---:|"
gap_stats() {   # STAMPFILE -> "median min max" of the gaps in ms
    awk 'NR > 1 { print ($1 - prev) * 1000 } { prev = $1 }' "$1" 2>/dev/null | sort -g |
        awk '{ v[NR] = $1 } END {
            if (NR == 0) { print "n/a n/a n/a"; exit }
            m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            printf "%.1f %.1f %.1f\n", m, v[1], v[NR] }'
}
# For scale: the same command run back to back by a bash loop (the cost of sh + date itself).
dir="$TMP/restart-none"; mkdir -p "$dir"
end=$(awk -v t="$EPOCHREALTIME" -v d="$RESTART_SECS" 'BEGIN { printf "%.0f", (t + d) * 1e6 }')
while ((${EPOCHREALTIME/./} < end)); do sh -c "date +%s.%N >> $dir/stamps; exit 1" || true; done
set -- $(gap_stats "$dir/stamps")
echo "| none: a bash loop, for scale | no delay | $(wc -l < "$dir/stamps") | $1 | $2 | $3 |"
for t in "${TOOLS[@]}"; do
    dir="$TMP/restart-$t"
    "conf_$t" "$dir" 1 crash
    start_sup "$t" "$dir"
    nap "$RESTART_SECS"
    stop_and_reap "$t" "$dir"
    case $t in
        corral) how="backoff 1ms × 1, max 1ms" ;;
        supervisord) how="startsecs=0, autorestart=true, startretries=1000000" ;;
        s6) how="defaults" ;;
        runit) how="defaults" ;;
    esac
    set -- $(gap_stats "$dir/stamps")
    echo "| $t | $how | $(wc -l < "$dir/stamps" 2>/dev/null || echo 0) | $1 | $2 | $3 |"
done
echo

# ---------------------------------------------------------------- 4. log throughput
say "4/4 log throughput, $LOG_MB MB ..."
lines=$((LOG_MB * 10000))   # 100-byte lines, LOG_MB * 10^6 bytes
if [[ ! -f $LOG_FILE || $(stat -c %s "$LOG_FILE") != $((lines * 100)) ]]; then
    say "  generating $LOG_FILE ($lines lines of 100 bytes) ..."
    awk -v n="$lines" 'BEGIN {
        pad = "the quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs; sphinx of black quartz"
        for (i = 0; i < n; i++) printf "%010d %s\n", i, substr(pad, 1, 88) }' > "$LOG_FILE.tmp"
    mv "$LOG_FILE.tmp" "$LOG_FILE"
fi
BYTES=$(stat -c %s "$LOG_FILE")
cat "$LOG_FILE" > /dev/null   # into the page cache

conf_log() {    # TOOL DIR [prefix]
    local tool=$1 dir=$2 prefix=${3:-true}
    mkdir -p "$dir"
    case $tool in
        corral)
            printf 'services:\n  log:\n    command: ["cat", "%s"]\n    type: oneshot\n    main: true\n    logs: {prefix: %s}\n' \
                "$LOG_FILE" "$prefix" > "$dir/corral.yaml" ;;
        supervisord)
            cat > "$dir/supervisord.conf" <<EOF
[supervisord]
nodaemon=true
logfile=$dir/supervisord.log
pidfile=$dir/supervisord.pid
childlogdir=$dir
user=root
silent=true

[program:log]
command=sh -c 'cat $LOG_FILE; kill -TERM \$PPID'
autorestart=false
startsecs=0
stdout_logfile=/dev/stdout
stdout_logfile_maxbytes=0
stderr_logfile=NONE
EOF
            ;;
        s6)
            mkdir -p "$dir/log"
            printf '#!/bin/sh\ncat %s\nexec s6-svscanctl -t ..\n' "$LOG_FILE" > "$dir/log/run"
            chmod +x "$dir/log/run" ;;
        runit)
            mkdir -p "$dir/log"
            # SIGHUP to runsvdir, the parent of our runsv ($PPID)
            printf '#!/bin/sh\ncat %s\nset -- $(sed "s/.*) //" /proc/$PPID/stat)\nkill -HUP $2\nexec sleep 5\n' \
                "$LOG_FILE" > "$dir/log/run"
            chmod +x "$dir/log/run"
            touch -d '-10 seconds' "$dir" ;;
    esac
}
log_run() {     # NAME: one timed run, prints wall seconds; the command for NAME goes to stdout /dev/null
    local name=$1 dir="$TMP/log-$1-$RANDOM" t0 t1
    case $name in
        cat) t0=$(now); cat "$LOG_FILE" > /dev/null; t1=$(now) ;;
        catcat) t0=$(now); cat "$LOG_FILE" | cat > /dev/null; t1=$(now) ;;
        corral-noprefix)
            conf_log corral "$dir" false
            t0=$(now); start_sup corral "$dir"; reap corral; t1=$(now) ;;
        *-pipe)   # until the last byte has reached a reader: excludes the supervisor's exit
            local tool=${name%-pipe}
            conf_log "$tool" "$dir"; mkfifo "$dir/out"
            t0=$(now); start_sup "$tool" "$dir" "$dir/out"
            head -c "$BYTES_OUT" < "$dir/out" > /dev/null; t1=$(now)
            reap "$tool" ;;
        *)
            conf_log "$name" "$dir"
            t0=$(now); start_sup "$name" "$dir"; wait "${SUP[$name]}" 2>/dev/null || true; t1=$(now)
            unset "SUP[$name]"
            wait_gone $(svc_pids "$name") || true ;;
    esac
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
}
echo "## Log throughput: a service \`cat\`s $LOG_MB MB of 100-byte lines, supervisor stdout to /dev/null (median of $LOG_RUNS)"
echo
echo "| what | relays lines? | wall (s) | MB/s | ÷ \`cat \\| cat\` |"
echo "|---|---|---:|---:|---:|"
declare -A LOGT=()
for name in cat catcat corral corral-noprefix corral-pipe supervisord supervisord-pipe s6 runit; do
    BYTES_OUT=$BYTES; [[ $name == corral-pipe ]] && BYTES_OUT=$((BYTES + lines * 6))
    LOGT[$name]=$(for ((r = 0; r < LOG_RUNS; r++)); do log_run "$name"; done | median)
done
for name in cat catcat corral corral-noprefix corral-pipe supervisord supervisord-pipe s6 runit; do
    case $name in
        cat) what="\`cat FILE > /dev/null\`"; relay="no" ;;
        catcat) what="\`cat FILE \\| cat > /dev/null\`"; relay="pipe" ;;
        corral) what="corral, \`logs: {prefix: true}\` (default)"; relay="yes, \"log \\| \" prefix" ;;
        corral-noprefix) what="corral, \`logs: {prefix: false}\`"; relay="yes" ;;
        corral-pipe) what="corral (prefix), stdout a pipe, until a \`head -c\` reader has it all"; relay="yes, prefix" ;;
        supervisord) what="supervisord, stdout_logfile=/dev/stdout"; relay="yes" ;;
        supervisord-pipe) what="supervisord, stdout a pipe, until a \`head -c\` reader has it all"; relay="yes" ;;
        s6) what="s6-svscan, no logger"; relay="no (inherited fd)" ;;
        runit) what="runsvdir, no log/"; relay="no (inherited fd)" ;;
    esac
    echo "| $what | $relay | ${LOGT[$name]} | $(awk -v b="$BYTES" -v s="${LOGT[$name]}" 'BEGIN { printf "%.0f", b / 1e6 / s }') | $(awk -v a="${LOGT[catcat]}" -v s="${LOGT[$name]}" 'BEGIN { printf "%.2f", a / s }') |"
done
echo

# Integrity: one untimed run each of the relaying supervisors into a checker.
say "  checking the relayed output ..."
EXP_MD5=$(md5sum < "$LOG_FILE" | cut -d' ' -f1)
echo "Output check (one extra run each, stdout into a pipe; expected $lines lines, $BYTES bytes):"
echo
dir="$TMP/check-corral"; conf_log corral "$dir"
"$CORRAL" run -c "$dir/corral.yaml" 2> "$dir/stderr" < /dev/null | tee >(wc -lc > "$dir/count") | sed 's/^log | //' | md5sum | cut -d' ' -f1 > "$dir/md5" || true
sleep 0.2
read -r cl cb < "$dir/count"
echo "- corral (prefix): $cl lines, $cb bytes (expected $((BYTES + lines * 6)) with the 6-byte prefix);" \
     "text without prefix $( [[ $(cat "$dir/md5") == "$EXP_MD5" ]] && echo identical to the file || echo '**differs from the file**')"
dir="$TMP/check-noprefix"; conf_log corral "$dir" false
"$CORRAL" run -c "$dir/corral.yaml" 2> "$dir/stderr" < /dev/null | md5sum | cut -d' ' -f1 > "$dir/md5" || true
echo "- corral (no prefix): output $( [[ $(cat "$dir/md5") == "$EXP_MD5" ]] && echo identical to the file || echo '**differs from the file**')"
dir="$TMP/check-supervisord"; conf_log supervisord "$dir"
supervisord -n -c "$dir/supervisord.conf" 2> "$dir/stderr" < /dev/null | wc -lc > "$dir/count" || true
read -r sl sb < "$dir/count"
echo "- supervisord: $sl lines, $sb bytes ($((BYTES - sb)) bytes missing)"
echo

LOAD_AFTER=$(load)
echo "- load average after: $LOAD_AFTER; run time $(awk -v a="$T_BEGIN" -v b="$(now)" 'BEGIN { printf "%.0f", b - a }') s"
