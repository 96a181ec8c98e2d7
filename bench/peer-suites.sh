#!/usr/bin/env bash
# bench/peer-suites.sh: run tini's and dumb-init's own test suites against Corral.
#
# Usage: bench/peer-suites.sh [TINI_CHECKOUT [DUMB_INIT_CHECKOUT [CORRAL]]]
#   defaults (or the environment): TINI_SRC=/work/peers/krallin+tini
#   DUMB_INIT_SRC=/work/peers/Yelp+dumb-init  CORRAL=out/corral  PYTHON=/usr/bin/python3
#   SUITE_TIMEOUT=900 (seconds per suite)
#
# The suites run from their checkouts, unchanged; nothing of them is copied here. Everything
# this script makes lives in one temporary directory, removed at the end:
#   build/tini, bin/dumb-init  Corral under those names (the personality comes from the name)
#   build/sigconf-test         tini's test/sigconf/sigconf-test.c, compiled with cc
#   bin/python3                the Python that has psutil and pytest (the suites' scripts
#                              start with `#!/usr/bin/env python3`)
#   py/bitmap.py               a stand-in, written here, for the one call tini's suite makes
#                              of the PyPI `bitmap` package (not in Debian)
#   py/prctl.py                the same for python-prctl, unless python3-prctl is installed
# tini's suite is two parts: test/run_inner_tests.py, and the smoke checks that its CI
# script (ci/run_build.sh) runs on a freshly built tini; those are restated below as
# commands, one line each. Its `-l` check is the one known difference: Corral prints its own
# licence, not tini's. The hardening-check step inspects how tini's C was compiled and does
# not apply.
#
# Needs (Debian): python3-psutil python3-pytest python3-pexpect python3-mock, cc.
# Prints progress on stderr and the counts on stdout; exits non-zero if anything unexpected failed.

set -uo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TINI_SRC=${1:-${TINI_SRC:-/work/peers/krallin+tini}}
DUMB_INIT_SRC=${2:-${DUMB_INIT_SRC:-/work/peers/Yelp+dumb-init}}
CORRAL=${3:-${CORRAL:-$ROOT/out/corral}}
PYTHON=${PYTHON:-/usr/bin/python3}
SUITE_TIMEOUT=${SUITE_TIMEOUT:-900}   # seconds per suite

say() { printf '%s\n' "$*" >&2; }
die() { say "peer-suites.sh: $*"; exit 2; }

CORRAL=$(realpath "$CORRAL") || die "no corral binary at $CORRAL"
[[ -x $CORRAL ]] || die "$CORRAL is not executable"
[[ -f $TINI_SRC/test/run_inner_tests.py ]] || die "no tini checkout at $TINI_SRC"
[[ -d $DUMB_INIT_SRC/tests ]] || die "no dumb-init checkout at $DUMB_INIT_SRC"
"$PYTHON" -c 'import psutil, pytest, pexpect' 2>/dev/null || die "$PYTHON lacks psutil, pytest or pexpect"

WORK=$(mktemp -d /tmp/peer-suites-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/build" "$WORK/bin" "$WORK/py"
ln -s "$CORRAL" "$WORK/build/tini"
# A hard link or a copy, not a symlink: cwd_test.py runs realpath(which dumb-init), and the
# personality comes from the name the binary is run under.
ln "$CORRAL" "$WORK/bin/dumb-init" 2>/dev/null || cp "$CORRAL" "$WORK/bin/dumb-init"
ln -s "$(command -v "$PYTHON")" "$WORK/bin/python3"
ln -s "$(command -v "$PYTHON")" "$WORK/bin/python"
cc -o "$WORK/build/sigconf-test" "$TINI_SRC/test/sigconf/sigconf-test.c" || die "cannot compile sigconf-test.c"
cat > "$WORK/py/bitmap.py" <<'EOF'
"""Just what tini's run_inner_tests.py uses: BitMap.fromstring('0101').nonzero(), where the
last character of the string is bit 0."""


class BitMap:
    def __init__(self, positions):
        self._positions = sorted(positions)

    @classmethod
    def fromstring(cls, text):
        return cls(i for i, c in enumerate(reversed(text)) if c == "1")

    def nonzero(self):
        return list(self._positions)
EOF
# test/subreaper-proxy.py imports python-prctl (Debian: python3-prctl) for one call.
if ! "$PYTHON" -c 'import prctl' 2>/dev/null; then
    cat > "$WORK/py/prctl.py" <<'EOF'
"""Just what tini's test/subreaper-proxy.py uses: prctl.set_child_subreaper(flag)."""
import ctypes
import os

_PR_SET_CHILD_SUBREAPER = 36
_libc = ctypes.CDLL(None, use_errno=True)


def set_child_subreaper(flag):
    if _libc.prctl(_PR_SET_CHILD_SUBREAPER, int(flag), 0, 0, 0) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, os.strerror(errno))
EOF
fi
export PATH="$WORK/bin:$PATH"
# The suites write no bytecode or pytest cache into their (read-only) checkouts.
export PYTHONDONTWRITEBYTECODE=1

# --- tini: the smoke checks of ci/run_build.sh ----------------------------------------------
tini=$WORK/build/tini
smoke_pass=0 smoke_fail=0 smoke_known=0
check() { # check DESCRIPTION COMMAND...: the command must succeed
    local what=$1; shift
    if ( "$@" ) >/dev/null 2>&1; then smoke_pass=$((smoke_pass + 1)); say "  ok    $what"
    else smoke_fail=$((smoke_fail + 1)); say "  FAIL  $what"; fi
}
exits() { local want=$1; shift; "$@"; [[ $? == "$want" ]]; }
fails() { ! "$@"; }
say "tini smoke checks (ci/run_build.sh)"
check "--version names tini" sh -c '"$0" --version | grep -q "tini version"' "$tini"
check "no arguments fails" fails "$tini"
check "no arguments prints the help" sh -c '"$0" 2>&1 | grep -q "supervision of a valid init process"' "$tini"
check "-h succeeds" "$tini" -h
check "-vvv true succeeds" "$tini" -vvv true
check "-vvv false fails" fails "$tini" -vvv false
check "the usage mentions -v" sh -c '"$0" 2>&1 | grep -q "more verbose"' "$tini"
check "-vvv -- true succeeds" "$tini" -vvv -- true
check "-vvv -- -- true fails" fails "$tini" -vvv -- -- true
check "TINI_VERBOSITY=3 logs SIGCHLD" sh -c 'TINI_VERBOSITY=3 "$0" true 2>&1 | grep -q "Received SIGCHLD"' "$tini"
check "a missing command exits 127" exits 127 "$tini" foobar123
check "a non-executable command exits 126" exits 126 "$tini" /etc
check "stdin reaches the child" sh -c 'echo "exit 0" | "$0" sh' "$tini"
if "$tini" -l | diff -q - "$TINI_SRC/LICENSE" >/dev/null; then smoke_pass=$((smoke_pass + 1))
else smoke_known=$((smoke_known + 1)); say "  known -l prints Corral's licence, not tini's"; fi

# --- tini: test/run_inner_tests.py -------------------------------------------------------------
say "tini test/run_inner_tests.py"
inner_log=$WORK/tini-inner.log
SOURCE_DIR=$TINI_SRC BUILD_DIR=$WORK/build FORCE_SUBREAPER=1 PYTHONPATH=$WORK/py \
    timeout "$SUITE_TIMEOUT" "$PYTHON" "$TINI_SRC/test/run_inner_tests.py" >"$inner_log" 2>&1
inner_rc=$?
sed 's/^/  /' "$inner_log" >&2
inner_steps=$(grep -c '^Running\|^running' "$inner_log")

# --- dumb-init: pytest tests/ ------------------------------------------------------------------
say "dumb-init pytest tests/"
dumb_log=$WORK/dumb-init.log
# Under a subreaper that reaps (Corral's own -s): child_processes_test.py counts a zombie as
# alive, and orphans go to this machine's PID 1, which may never reap them (upstream's CI runs
# in a container whose init does). Real dumb-init fails those two tests here without it too.
# Its pytest.ini sets a per-test timeout for pytest-timeout, which Debian does not package: a
# whole-run deadline stands in for it.
(cd "$DUMB_INIT_SRC" && timeout "$SUITE_TIMEOUT" "$CORRAL" -s -- "$PYTHON" -m pytest -p no:cacheprovider -q tests) >"$dumb_log" 2>&1
dumb_rc=$?
tail -n 30 "$dumb_log" | sed 's/^/  /' >&2
dumb_summary=$(grep -E '^=*.*[0-9]+ (passed|failed|error)' "$dumb_log" | tail -n 1 | tr -d '=' | sed 's/^ *//; s/ *$//')

echo "tini $(git -C "$TINI_SRC" rev-parse HEAD 2>/dev/null || echo '(no git)')"
echo "  ci/run_build.sh smoke checks: $smoke_pass passed, $smoke_fail failed, $smoke_known known difference (-l licence)"
if [[ $inner_rc == 0 ]]; then
    echo "  test/run_inner_tests.py: all $inner_steps steps passed (\"All done, tests as expected\")"
else
    echo "  test/run_inner_tests.py: FAILED (exit $inner_rc) after $inner_steps steps"
fi
echo "dumb-init $(git -C "$DUMB_INIT_SRC" rev-parse HEAD 2>/dev/null || echo '(no git)')"
echo "  pytest tests/: ${dumb_summary:-no summary (exit $dumb_rc)}"
[[ $smoke_fail == 0 && $inner_rc == 0 && $dumb_rc == 0 ]]
