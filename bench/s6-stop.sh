#!/usr/bin/env bash
# bench/s6-stop.sh: time to stop an s6-overlay-style tree. Corral reading the tree
# (`corral run --format s6 --root DIR`, what /init does) against Debian's s6-svscan running the
# same longrun scripts as a scan directory (s6-overlay itself, s6-rc and s6-linux-init are not
# Debian packages: its stage 3 cannot be run here).
#
# The tree: a oneshot, three longruns in a dependency chain (each exits at once on TERM, one
# with a finish script), the user bundle, a cont-finish.d script. Each supervisor runs as PID 1
# of a new PID namespace (unshare --pid --fork --mount-proc), as in a container. Measured: from
# the stop command (SIGTERM to Corral; `s6-svscanctl -t` for s6-svscan, its "stop everything")
# until the supervisor has exited; median of REPS runs, in ms.
#
# How to run (Debian, root): apt-get install -y s6; bench/s6-stop.sh
# Knobs: CORRAL=out/corral REPS=5

set -euo pipefail
export LC_ALL=C
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CORRAL=$(readlink -f "${CORRAL:-$ROOT/out/corral}")
REPS=${REPS:-5}
TMP=$(mktemp -d /tmp/corral-s6stop.XXXXXX)
trap 'pkill -KILL -f "^$TMP/" 2>/dev/null; rm -rf "$TMP"' EXIT
say() { printf '%s\n' "$*" >&2; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", (b - a) * 1000 }'; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

serve() { printf '#!/bin/sh\ntrap "exit 0" TERM\necho %s up\nwhile :; do %s/svc 1000 & wait; done\n' "$1" "$TMP"; }
ln -s "$(command -v sleep)" "$TMP/svc"
T=$TMP/tree/etc/s6-overlay/s6-rc.d
mkdir -p "$T/init/dependencies.d" "$T/user/contents.d" "$TMP/tree/etc/cont-finish.d" "$TMP/scan"
echo oneshot > "$T/init/type"; echo "/bin/true" > "$T/init/up"; touch "$T/init/dependencies.d/base"
prev=init
for s in db app web; do
    mkdir -p "$T/$s/dependencies.d" "$TMP/scan/$s"
    echo longrun > "$T/$s/type"; serve "$s" > "$T/$s/run"; chmod +x "$T/$s/run"
    touch "$T/$s/dependencies.d/$prev" "$T/user/contents.d/$s"; prev=$s
    cp "$T/$s/run" "$TMP/scan/$s/run"
done
printf '#!/bin/sh\necho finished\n' > "$T/web/finish"; chmod +x "$T/web/finish"; cp "$T/web/finish" "$TMP/scan/web/finish"
touch "$T/user/contents.d/init"; echo bundle > "$T/user/type"
printf '#!/bin/sh\necho bye\n' > "$TMP/tree/etc/cont-finish.d/bye"; chmod +x "$TMP/tree/etc/cont-finish.d/bye"

up3() { [[ $(pgrep -c -f "^$TMP/svc 1000") -ge 3 ]]; }
one() {  # corral|s6 -> ms
    local t0 t1 pid
    case $1 in
        corral) unshare --pid --fork --mount-proc "$CORRAL" run --format s6 --root "$TMP/tree" > "$TMP/out" 2>&1 & ;;
        s6) unshare --pid --fork --mount-proc s6-svscan "$TMP/scan" > "$TMP/out" 2>&1 & ;;
    esac
    pid=$!
    until up3; do sleep 0.01; done
    t0=$(date +%s.%N)
    case $1 in
        corral) pkill -TERM -f "^$CORRAL run --format s6 --root $TMP/tree" ;;
        s6) s6-svscanctl -t "$TMP/scan" ;;
    esac
    wait "$pid" || true
    t1=$(date +%s.%N)
    ms "$t0" "$t1"
}
echo "| supervisor | stop (median of $REPS, ms) | runs |"
echo "|---|---|---|"
for tool in corral s6; do
    runs=(); for _ in $(seq 1 "$REPS"); do runs+=("$(one "$tool")"); done
    printf '| %s | %s | %s |\n' "$([[ $tool == corral ]] && echo "corral run --format s6" || echo "s6-svscan $(dpkg-query -W -f='${Version}' s6)")" \
        "$(printf '%s\n' "${runs[@]}" | median)" "${runs[*]}"
done
