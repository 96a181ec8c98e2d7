#!/usr/bin/env bash
# tests/arm64/run.sh: the static linux-arm64 executable, cross-built on x64, run under Debian's
# qemu-user-static. Checks the version, single-child exit codes and signals, and a small
# `corral run`. Prints one "PASS name" or "FAIL name: why" line per check, then
# "arm64: N passed, N failed"; exits 1 when a check failed.
#   tests/arm64/run.sh [PATH-TO-corral-linux-arm64]
# The programs Corral starts (sh, sleep) are the host's: qemu-user emulates Corral alone.
set -uo pipefail
BIN=${1:-release/corral-linux-arm64}
QEMU=${QEMU:-qemu-aarch64-static}
passed=0 failed=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
check() {   # NAME EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then echo "PASS $1"; passed=$((passed + 1))
    else echo "FAIL $1: expected '$2', got '$3'"; failed=$((failed + 1)); fi
}
corral() { timeout 60 "$QEMU" "$BIN" "$@"; }

check "ELF is aarch64 and static" "yes" "$(file "$BIN" | grep -q 'ARM aarch64.*statically linked' && echo yes || echo no)"
check "version" "corral 0.1.0" "$(corral --version 2>&1)"
for code in 0 3 255; do
    corral -q -- sh -c "exit $code"; check "exit code $code passes through" "$code" "$?"
done
corral -q -- sh -c 'kill -TERM $$'; check "a child killed by TERM gives 143" "143" "$?"

# INT to Corral reaches the child's trap; Corral exits with the child's code.
# (Not through timeout(1), which would turn the INT into its own TERM; a background job starts
# with INT ignored, which Corral's handler does not mind.)
"$QEMU" "$BIN" -q -- sh -c "trap 'exit 7' INT; echo up > $work/up; while :; do sleep 1 & wait; done" &
init=$!
( sleep 60; kill -KILL "$init" 2>/dev/null ) &
guard=$!
for _ in $(seq 1 300); do [ -s "$work/up" ] && break; sleep 0.05; done
sleep 0.2
kill -INT "$init"; wait "$init"; check "INT is forwarded and the child's code returned" "7" "$?"
kill "$guard" 2>/dev/null

cat > "$work/corral.yaml" <<YAML
services:
  setup:
    type: oneshot
    command: [sh, -c, "echo setup done; touch $work/setup-done"]
  app:
    command: [sh, -c, "[ -e $work/setup-done ] && echo app ran after setup; exit 4"]
    main: true
    depends_on:
      setup: {condition: completed_successfully}
YAML
out=$(CORRAL_RUN_DIR=$work/run corral run -c "$work/corral.yaml" 2>&1); code=$?
check "corral run: the main service's exit code" "4" "$code"
# By a file the oneshot leaves, not by the order of the two lines: lines from two pipes have no
# order between them (docs/run.md).
check "corral run: the oneshot ran before the main service" "yes" \
    "$(grep -q 'app ran after setup' <<< "$out" && grep -q 'setup done' <<< "$out" && echo yes || echo no)"

# The control socket (its directory's owner and mode are read with lstat, whose struct differs
# on arm64) and corral ctl answering through it.
cat > "$work/ctl.yaml" <<YAML
services:
  sleeper: {command: sleep 1000}
YAML
CORRAL_RUN_DIR=$work/ctl "$QEMU" "$BIN" run -c "$work/ctl.yaml" > "$work/ctl.log" 2>&1 &
init=$!
( sleep 60; kill -KILL "$init" 2>/dev/null ) &
guard=$!
for _ in $(seq 1 600); do [ -S "$work/ctl/corral.sock" ] && break; sleep 0.05; done
status=""
for _ in $(seq 1 100); do
    status=$(CORRAL_RUN_DIR=$work/ctl corral ctl status 2>&1)
    grep -q '^sleeper *running' <<< "$status" && break
    sleep 0.1
done
check "corral ctl status through the control socket" "yes" \
    "$(grep -q '^sleeper *running' <<< "$status" && echo yes || { echo "no: $status $(cat "$work/ctl.log")" | tr '\n' ' '; })"
kill -TERM "$init"; wait "$init"; check "corral run: TERM stops it with 0" "0" "$?"
kill "$guard" 2>/dev/null

echo "arm64: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
