#!/usr/bin/env bash
# bench/signals.sh: how fast an init passes SIGTERM on to its child, and how fast it exits once
# the child has exited. Compares Corral (`corral --` and `corral run`) with Debian's tini and
# dumb-init, side by side in one run.
#
# For each init, REPS times: start INIT running a small Python child that blocks SIGTERM and
# waits for it with sigwaitinfo(2) (no handler, no polling); once the child says it is ready,
# read CLOCK_MONOTONIC and send SIGTERM to the init; the child reads the clock as soon as
# sigwaitinfo returns and exits at once, reading the clock just before _exit; the driver reads
# the clock when waitpid(2) returns the init's exit. Reported: median and minimum of
#   forward = child got TERM - TERM sent to the init
#   exit    = init reaped by the driver - child about to _exit
# All three clocks are the same CLOCK_MONOTONIC, read by the processes themselves.
#
# How to run (Debian, root, quiet machine; about 20 s):
#   apt-get install -y tini dumb-init python3
#   dotnet publish src/Corral/Corral.csproj -c Release -o out
#   bench/signals.sh > results.md
# Knobs: CORRAL=path/to/corral  REPS=20
set -euo pipefail
export LC_ALL=C
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CORRAL=${CORRAL:-$ROOT/out/corral}
REPS=${REPS:-20}
PY=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat > "$work/child.py" <<'PY'
import os, signal, sys, time
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
out = sys.argv[1]
with open(out + ".ready", "w") as f: f.write("1")
signal.sigwaitinfo({signal.SIGTERM})
got = time.monotonic_ns()
with open(out, "w") as f: f.write(f"{got} {time.monotonic_ns()}")
os._exit(0)
PY

cat > "$work/config.yaml" <<YAML
services:
  child:
    command: [$PY, $work/child.py, $work/run]
    main: true
YAML

cat > "$work/driver.py" <<'PY'
import os, signal, statistics, sys, time
work, reps, label, argv = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
out = os.path.join(work, "run")
forward, exits = [], []
for _ in range(reps):
    for f in (out, out + ".ready"):
        if os.path.exists(f): os.unlink(f)
    env = dict(os.environ, CORRAL_RUN_DIR=os.path.join(work, "rundir"))
    pid = os.posix_spawn(argv[0], argv, env)
    while not os.path.exists(out + ".ready"): time.sleep(0.002)
    time.sleep(0.05)  # let the init settle back into its wait
    sent = time.monotonic_ns()
    os.kill(pid, signal.SIGTERM)
    _, status = os.waitpid(pid, 0)
    reaped = time.monotonic_ns()
    got, leaving = map(int, open(out).read().split())
    forward.append((got - sent) / 1e6)
    exits.append((reaped - leaving) / 1e6)
print(f"| {label} | {statistics.median(forward):.3f} | {min(forward):.3f} | {statistics.median(exits):.3f} | {min(exits):.3f} |")
PY

child=("$PY" "$work/child.py" "$work/run")
echo "| init | forward median (ms) | forward min | exit median (ms) | exit min |"
echo "|---|---|---|---|---|"
"$PY" "$work/driver.py" "$work" "$REPS" "tini" "$(command -v tini)" -s -- "${child[@]}" 2>/dev/null
"$PY" "$work/driver.py" "$work" "$REPS" "dumb-init" "$(command -v dumb-init)" "${child[@]}"
"$PY" "$work/driver.py" "$work" "$REPS" "corral --" "$CORRAL" -s -- "${child[@]}"
"$PY" "$work/driver.py" "$work" "$REPS" "corral run" "$CORRAL" run -q -c "$work/config.yaml"
