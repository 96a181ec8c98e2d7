#!/usr/bin/env bash
# bench/init.sh: compare Corral's single-child init with Debian's tini, dumb-init and catatonit.
#
# What it measures (each section prints one Markdown table to stdout):
#   1. Start-up: hyperfine -N (no shell) timing of each init running /bin/true, against bare
#      /bin/true; mean ± σ, median, and the overhead over bare /bin/true (mean difference).
#   2. Peak RSS: "Maximum resident set size" from /usr/bin/time -v of each init running
#      /bin/true (median of PEAK_RUNS runs). This is getrusage's ru_maxrss, i.e. the largest
#      of the init and its waited-for children, so the /bin/true row is the floor.
#   3. Idle: each init supervising `sleep 30`, once as a real PID 1 (unshare --pid --fork
#      --mount-proc) and once as a plain child of this script (subreaper flag where the init
#      has one). After SETTLE seconds it reads, from /proc of the init process: VmRSS, USS
#      (Private_Clean + Private_Dirty of smaps_rollup), Threads, and the wake-ups over
#      IDLE seconds (delta of voluntary + nonvoluntary context switches, summed over
#      /proc/PID/task/*/status). The inits of one mode run side by side (they are idle, so
#      they do not disturb each other); that keeps the whole run near 30 s.
#
# How to run (Debian, as root, on an otherwise quiet machine; takes about 30 s):
#   apt-get install -y tini dumb-init catatonit hyperfine time util-linux
#   dotnet publish src/Corral/Corral.csproj -c Release -o out    # if out/corral is missing
#   bench/init.sh > results.md
# Knobs (environment): CORRAL=path/to/corral  RUNS=300  WARMUP=20  PEAK_RUNS=5  SETTLE=1  IDLE=10
# Progress and warnings go to stderr; only the report goes to stdout.

set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CORRAL=${CORRAL:-$ROOT/out/corral}
RUNS=${RUNS:-300}
WARMUP=${WARMUP:-20}
PEAK_RUNS=${PEAK_RUNS:-5}
SETTLE=${SETTLE:-1}
IDLE=${IDLE:-10}

say() { printf '%s\n' "$*" >&2; }
die() { say "init.sh: $*"; exit 1; }

[[ $(id -u) == 0 ]] || die "run as root (unshare --pid needs it)"
for tool in tini dumb-init catatonit hyperfine unshare awk; do
    command -v "$tool" >/dev/null || die "$tool missing: apt-get install -y tini dumb-init catatonit hyperfine util-linux"
done
[[ -x /usr/bin/time ]] || die "/usr/bin/time missing: apt-get install -y time"
if [[ ! -x $CORRAL ]]; then
    say "building $CORRAL ..."
    dotnet publish "$ROOT/src/Corral/Corral.csproj" -c Release -o "$ROOT/out" >&2
    [[ -x $CORRAL ]] || die "no executable at $CORRAL"
fi

TINI=$(command -v tini); DUMB=$(command -v dumb-init); CATA=$(command -v catatonit)
TRUE=/bin/true; SLEEP=$(command -v sleep)
TMP=$(mktemp -d)
PIDS=()   # background processes to clean up
cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT

pkgver() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo '?'; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

LOAD_BEFORE=$(load)
echo "# Init benchmark"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); kernel $(uname -r); $(nproc) CPUs;" \
     "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "- corral: $CORRAL ($("$CORRAL" --version 2>&1 | head -1)); tini $(pkgver tini);" \
     "dumb-init $(pkgver dumb-init); catatonit $(pkgver catatonit); hyperfine $(pkgver hyperfine)"
echo "- load average before: $LOAD_BEFORE"
if awk -v l="${LOAD_BEFORE%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
    echo "- **warning: the machine was busy when the run started; timings are noisy**"
fi
echo

# ---------------------------------------------------------------- 1. start-up
say "1/3 start-up (hyperfine, $RUNS runs each) ..."
q() { printf '%q ' "$@"; }
NAMES=(none tini dumb-init catatonit corral)
CMDS=("$(q $TRUE)" "$(q "$TINI" -s -- $TRUE)" "$(q "$DUMB" $TRUE)" "$(q "$CATA" -- $TRUE)"
      "$(q "$CORRAL" -s -- $TRUE)")
HF_ARGS=(-N --warmup "$WARMUP" --runs "$RUNS" --style none --export-csv "$TMP/startup.csv")
for i in "${!NAMES[@]}"; do HF_ARGS+=(-n "${NAMES[$i]}" "${CMDS[$i]}"); done
hyperfine "${HF_ARGS[@]}" >/dev/null

echo "## Start-up: \`INIT -- /bin/true\` (hyperfine -N, $WARMUP warm-up, $RUNS runs)"
echo
echo "| init | command | mean ± σ (µs) | median (µs) | min (µs) | overhead over /bin/true (µs) | overhead ÷ tini's |"
echo "|---|---|---:|---:|---:|---:|---:|"
awk -F, -v cmds="$(printf '%s\n' "${CMDS[@]}")" '
    BEGIN { n = split(cmds, c, "\n") }
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    {
        k++; name[k] = $col["command"]; mean[k] = $col["mean"] * 1e6; sd[k] = $col["stddev"] * 1e6
        med[k] = $col["median"] * 1e6; mn[k] = $col["min"] * 1e6
        if (name[k] == "none") base = mean[k]
        if (name[k] == "tini") tini = mean[k]
    }
    END {
        for (i = 1; i <= k; i++) {
            cmd = c[i]; sub(/ +$/, "", cmd); gsub(/[^ ]*\//, "", cmd)
            if (name[i] == "none") { over = "0"; ratio = "" }
            else {
                over = sprintf("%+.0f", mean[i] - base)
                ratio = (tini - base > 0) ? sprintf("%.2f×", (mean[i] - base) / (tini - base)) : "n/a"
            }
            printf "| %s | `%s` | %.0f ± %.0f | %.0f | %.0f | %s | %s |\n", name[i], cmd, mean[i], sd[i], med[i], mn[i], over, ratio
        }
    }' "$TMP/startup.csv"
echo

# ---------------------------------------------------------------- 2. peak RSS
say "2/3 peak RSS (/usr/bin/time -v, $PEAK_RUNS runs each) ..."
peak_rss() {   # median over PEAK_RUNS of "Maximum resident set size (kbytes)"
    local i
    for ((i = 0; i < PEAK_RUNS; i++)); do
        /usr/bin/time -v "$@" 2>&1 >/dev/null </dev/null | awk -F': ' '/Maximum resident set size/ { print $2 }'
    done | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
echo "## Peak RSS: \`INIT -- /bin/true\` (/usr/bin/time -v, median of $PEAK_RUNS runs)"
echo
echo "| init | command | max RSS (kB) | over /bin/true (kB) |"
echo "|---|---|---:|---:|"
base_rss=$(peak_rss $TRUE)
echo "| none | \`true\` | $base_rss | 0 |"
row_rss() { local name=$1 cmd=$2; shift 2; local r; r=$(peak_rss "$@"); echo "| $name | \`$cmd\` | $r | $((r - base_rss)) |"; }
row_rss tini      "tini -s -- true"   "$TINI" -s -- $TRUE
row_rss dumb-init "dumb-init true"    "$DUMB" $TRUE
row_rss catatonit "catatonit -- true" "$CATA" -- $TRUE
row_rss corral    "corral -s -- true" "$CORRAL" -s -- $TRUE
echo

# ---------------------------------------------------------------- 3. idle
# One reading of a process: "rss uss threads ctxt", ctxt summed over all its threads.
sample() {
    local pid=$1 rss uss threads ctxt=0 t v n
    rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
    threads=$(awk '/^Threads:/ { print $2 }' "/proc/$pid/status")
    uss=$(awk '/^Private_(Clean|Dirty):/ { s += $2 } END { print s + 0 }' "/proc/$pid/smaps_rollup")
    for t in /proc/"$pid"/task/*/status; do
        n=$(awk '/_ctxt_switches:/ { s += $2 } END { print s + 0 }' "$t" 2>/dev/null) || n=0
        ctxt=$((ctxt + n))
    done
    echo "$rss $uss $threads $ctxt"
}
child_of() {   # first process whose parent is $1 (parses the field after comm's last ')')
    local want=$1 f rest
    for f in /proc/[0-9]*/stat; do
        read -r rest <"$f" 2>/dev/null || continue
        rest=${rest##*) }
        set -- $rest
        if [[ $2 == "$want" ]]; then f=${f#/proc/}; echo "${f%/stat}"; return 0; fi
    done
    return 1
}
wait_child() {   # wait (max ~5 s) until $1 has a child other than one named $2; print its pid
    local parent=$1 notname=$2 c i
    for ((i = 0; i < 500; i++)); do
        if c=$(child_of "$parent") && [[ $(cat "/proc/$c/comm" 2>/dev/null) != "$notname" ]]; then
            echo "$c"; return 0
        fi
        sleep 0.01
    done
    return 1
}

# argv_for MODE NAME: the command line of init NAME supervising `sleep 30` in MODE (into ARGV).
argv_for() {
    local sr=()
    [[ $1 == plain ]] && sr=(-s)   # subreaper flag, plain mode only (PID 1 needs none)
    case $2 in
        none)      ARGV=("$SLEEP" 30) ;;
        tini)      ARGV=("$TINI" "${sr[@]}" -- "$SLEEP" 30) ;;
        dumb-init) ARGV=("$DUMB" "$SLEEP" 30) ;;
        catatonit) ARGV=("$CATA" -- "$SLEEP" 30) ;;
        corral)    ARGV=("$CORRAL" "${sr[@]}" -- "$SLEEP" 30) ;;
    esac
}

# idle_run MODE: start every init on `sleep 30`, settle, sample, wait IDLE s, sample, stop.
idle_run() {
    local mode=$1 i name pid up kid a b rss uss threads label
    local -a names=(tini dumb-init catatonit corral) inits=() ups=() kids=() first=()
    [[ $mode == plain ]] && names=(none "${names[@]}")
    for name in "${names[@]}"; do
        argv_for "$mode" "$name"
        if [[ $mode == pid1 ]]; then
            unshare --pid --fork --mount-proc "${ARGV[@]}" </dev/null >/dev/null 2>"$TMP/$mode-$name.err" &
            up=$!; PIDS+=("$up")
            pid=$(wait_child "$up" unshare) || die "$name did not start under unshare: $(cat "$TMP/$mode-$name.err")"
        else
            "${ARGV[@]}" </dev/null >/dev/null 2>"$TMP/$mode-$name.err" &
            pid=$!; up=$pid; PIDS+=("$pid")
        fi
        PIDS+=("$pid")
        if [[ $name != none ]]; then
            kid=$(wait_child "$pid" "$(cat "/proc/$pid/comm")") || die "$name started no child"
            PIDS+=("$kid"); kids+=("$kid")
        fi
        inits+=("$pid"); ups+=("$up")
    done
    sleep "$SETTLE"
    for i in "${!inits[@]}"; do first+=("$(sample "${inits[$i]}")"); done
    sleep "$IDLE"
    for i in "${!inits[@]}"; do
        read -r _ _ _ a <<<"${first[$i]}"
        read -r rss uss threads b <<<"$(sample "${inits[$i]}")"
        label=${names[$i]}
        [[ $label == none ]] && label="none (the \`sleep\` itself, for scale)"
        printf '| %s | %s | %s | %s | %s | %s |\n' "$mode" "$label" "$rss" "$uss" "$threads" "$((b - a))"
    done
    # Stop: SIGKILL to a namespace's PID 1 kills the namespace; plain inits forward SIGTERM.
    # Whatever is still there 0.5 s later gets SIGKILL.
    for pid in "${inits[@]}"; do
        if [[ $mode == pid1 ]]; then kill -KILL "$pid" 2>/dev/null || true
        else kill -TERM "$pid" 2>/dev/null || true; fi
    done
    sleep 0.5
    for pid in "${inits[@]}" "${kids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    for up in "${ups[@]}"; do wait "$up" 2>/dev/null || true; done
    PIDS=()
}

say "3/3 idle while supervising sleep 30 ($SETTLE s settle + $IDLE s, twice) ..."
echo "## Idle: INIT supervising \`sleep 30\` (read from /proc after $SETTLE s; wake-ups over $IDLE s)"
echo
echo "pid1 = real PID 1 of a new PID namespace (\`unshare --pid --fork --mount-proc INIT -- sleep 30\`);"
echo "plain = child of the shell, subreaper where the init has a flag for it (\`tini -s\`, \`corral -s\`;"
echo "catatonit registers itself; dumb-init has no such option)."
echo
echo "| mode | init | VmRSS (kB) | USS (kB) | threads | wake-ups in ${IDLE} s |"
echo "|---|---|---:|---:|---:|---:|"
idle_run pid1
idle_run plain
echo
echo "- load average after: $(load)"
