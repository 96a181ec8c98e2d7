#!/usr/bin/env bash
# bench/scale.sh: many services at once. Corral (`corral run -c FILE`) and s6 (s6-svscan, one
# s6-supervise per service), each keeping N `sleep` services up, one after the other.
#
# What it measures, per tool and per N (default N = 1000, then 5000):
#   up_s      seconds from starting the supervisor until all N services are running (their
#             processes exist), polled every 5 ms through /proc/PID/task/*/children (for s6,
#             the grandchildren: s6-svscan -> s6-supervise -> sleep);
#   PSS, Private_Dirty (kB) of the supervisor's own processes (Corral: one; s6: s6-svscan and
#             every s6-supervise), SETTLE seconds after all are up;
#   fds       open descriptors of the supervisor's processes (summed);
#   threads   of the supervisor's processes (summed);
#   wakeups   voluntary + nonvoluntary context switches of those processes over IDLE seconds;
#             (s6-svscan is given -c N+10: its default limit is 500 services.)
#   stop_s    seconds from the stop command (SIGTERM to corral; `s6-svscanctl -t` for s6, the
#             documented "stop everything") until the supervisor has exited and no service
#             process is left.
# One line per run, as a Markdown table row on stdout; progress on stderr.
#
# How to run (Debian, root, an otherwise quiet machine):
#   apt-get install -y s6
#   dotnet publish src/Corral/Corral.csproj -c Release -o out
#   bench/scale.sh > results.md
# Knobs: CORRAL=out/corral  COUNTS="1000 5000"  TOOLS="corral s6"  SETTLE=2  IDLE=10
#   NOFILE (the open-file limit given to the supervisor; default: the hard limit)

set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CORRAL=$(readlink -f "${CORRAL:-$ROOT/out/corral}")
COUNTS=${COUNTS:-"1000 5000"}
TOOLS=${TOOLS:-"corral s6"}
SETTLE=${SETTLE:-2}
IDLE=${IDLE:-10}
NOFILE=${NOFILE:-$(ulimit -Hn)}

say() { printf '%s\n' "$*" >&2; }
die() { say "scale.sh: $*"; exit 1; }
[[ -x $CORRAL ]] || die "no corral at $CORRAL (dotnet publish src/Corral/Corral.csproj -c Release -o out)"
command -v s6-svscan >/dev/null || [[ $TOOLS != *s6* ]] || die "s6-svscan missing: apt-get install -y s6"

TMP=$(mktemp -d /tmp/corral-scale.XXXXXX)
SUP=""
cleanup() {
    [[ -n $SUP ]] && kill -KILL "$SUP" 2>/dev/null || true
    pkill -KILL -f "^$TMP/" 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT
# The services run a link to sleep named after the run, so they can be found and counted.
ln -s "$(command -v sleep)" "$TMP/svc"
mkfifo "$TMP/tick"; exec {TICK}<>"$TMP/tick"   # `read -t` on it = a sleep without a fork
nap() { read -t "$1" -u "$TICK" _ || true; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

children() { cat /proc/"$1"/task/*/children 2>/dev/null | wc -w; }
grandchildren() { local c n=0; for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do n=$((n + $(children "$c"))); done; echo "$n"; }
own_pids() {  # TOOL PID: the supervisor's own processes
    echo "$2"
    [[ $1 == s6 ]] && cat /proc/"$2"/task/*/children 2>/dev/null | tr ' ' '\n' | grep . || true
}
sum_smaps() { local p s=0 v; for p in "${@:2}"; do v=$(awk -v k="$1:" '$1 == k { print $2 }' /proc/"$p"/smaps_rollup 2>/dev/null) && s=$((s + ${v:-0})); done; echo "$s"; }
sum_fds() { local p s=0; for p in "$@"; do s=$((s + $(ls /proc/"$p"/fd 2>/dev/null | wc -l))); done; echo "$s"; }
sum_threads() { local p s=0; for p in "$@"; do s=$((s + $(ls /proc/"$p"/task 2>/dev/null | wc -l))); done; echo "$s"; }
sum_ctx() { cat $(printf '/proc/%s/task/*/status ' "$@") 2>/dev/null | awk '/ctxt_switches/ { s += $2 } END { print s + 0 }'; }
left() { pgrep -c -f "^$TMP/svc" || true; }

run_one() {  # TOOL N
    local tool=$1 n=$2 t0 t1 t2 t3 pids up count
    rm -rf "$TMP/conf" && mkdir -p "$TMP/conf"
    case $tool in
        corral)
            { echo "services:"; for i in $(seq 1 "$n"); do echo "  s$i: {command: [\"$TMP/svc\", '100000'], logs: {prefix: false}}"; done; } > "$TMP/conf/corral.yaml"
            t0=$(now)
            ( ulimit -n "$NOFILE"; CORRAL_RUN_DIR=$TMP/run exec "$CORRAL" run -c "$TMP/conf/corral.yaml" ) > "$TMP/out.log" 2>&1 &
            SUP=$! count=children ;;
        s6)
            for i in $(seq 1 "$n"); do mkdir "$TMP/conf/s$i"; printf '#!/bin/sh\nexec %s 100000\n' "$TMP/svc" > "$TMP/conf/s$i/run"; chmod +x "$TMP/conf/s$i/run"; done
            t0=$(now)
            ( ulimit -n "$NOFILE"; exec s6-svscan -c $((n + 10)) "$TMP/conf" ) > "$TMP/out.log" 2>&1 &
            SUP=$! count=grandchildren ;;
    esac
    local deadline=$((SECONDS + 120))
    while [[ $($count "$SUP") -lt $n ]]; do
        kill -0 "$SUP" 2>/dev/null || { say "$tool died with $n services: $(tail -3 "$TMP/out.log")"; SUP=""; printf '| %s | %s | died: %s |||||||\n' "$tool" "$n" "$(tail -1 "$TMP/out.log")"; return; }
        (( SECONDS < deadline )) || { say "$tool: not all $n up after 120 s"; break; }
        nap 0.005
    done
    t1=$(now); up=$(elapsed "$t0" "$t1")
    nap "$SETTLE"
    mapfile -t pids < <(own_pids "$tool" "$SUP")
    local pss dirty fds threads c0 c1
    pss=$(sum_smaps Pss "${pids[@]}"); dirty=$(sum_smaps Private_Dirty "${pids[@]}")
    fds=$(sum_fds "${pids[@]}"); threads=$(sum_threads "${pids[@]}")
    c0=$(sum_ctx "${pids[@]}"); nap "$IDLE"; c1=$(sum_ctx "${pids[@]}")
    t2=$(now)
    case $tool in
        corral) kill -TERM "$SUP" ;;
        s6) s6-svscanctl -t "$TMP/conf" ;;
    esac
    wait "$SUP" 2>/dev/null || true
    while [[ $(left) -gt 0 ]]; do nap 0.005; done
    t3=$(now); SUP=""
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$tool" "$n" "$up" "$pss" "$dirty" "$fds" "$threads" "$((c1 - c0))" "$(elapsed "$t2" "$t3")"
}

echo "| tool | services | up_s | PSS kB | Private_Dirty kB | fds | threads | wake-ups in ${IDLE} s | stop_s |"
echo "|---|---|---|---|---|---|---|---|---|"
for n in $COUNTS; do
    for tool in $TOOLS; do
        say "$tool, $n services ..."
        run_one "$tool" "$n"
    done
done
