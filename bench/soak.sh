#!/usr/bin/env bash
# bench/soak.sh: 100 services for a long while, with crashes, probes, log files and control
# requests; then: was a line lost, did anything leak, did anything outlive Corral?
#
# The services (SERVICES=100 by default, roles in fixed shares):
#   steady-NN  print numbered lines at a steady pace (10 a second)
#   crash-NN   the same, then end after a random 3-45 s: exit 1, exit 3 or SIGKILL itself
#              (restart: always, short backoff)
#   probe-NN   steady writers with probes: an exec readiness probe failing 20% of the time,
#              an exec liveness probe failing 20% of the time (2 in a row restart it), or an
#              http readiness probe (a 500 30% of the time) and a tcp liveness probe, both
#              against the `http` service (a small python3 server)
#   file-NN    100 lines a second into a log file rotated at 64 KB (3 backups), also_stdout
#   burst-NN   steady writers that now and then write 2,000 lines at once
# Every numbered line is "soak NAME ID SEQ" (ID: process id and a random number, as pids are
# reused; SEQ counts from 1). After printing line SEQ a writer records SEQ in state/NAME.ID,
# so a writer killed at any point has printed at least the number its file holds.
#
# While it runs: one control request every CTL_EVERY seconds, drawn at random: `ctl restart`,
# `ctl stop` then `ctl start`, `ctl signal` (USR1, which writers trap, or TERM or HUP, which end
# them), `ctl status`, `ctl status --json`. Every SAMPLE seconds, from /proc: Corral's open fds,
# threads, VmRSS and Pss (smaps_rollup); the processes below Corral, and the zombies among them.
#
# At the end: `ctl status --json` (the restarts), SIGTERM to Corral (time until it has exited,
# and its exit code), then a check of Corral's captured stdout against the writers' records:
#   lost    = per writer process, the lines it wrote (the highest of its recorded number and the
#             highest number seen) that are not in Corral's output: gaps in its sequence and a
#             missing tail. A process killed mid-line has recorded only what it had printed.
#   mangled = lines that are not exactly one writer's line under its own name (cut, interleaved
#             or relayed under another service's prefix)
#   the log files: every line whole, and within the files kept, no writer's sequence has a gap
#   drops   = what Corral itself said it dropped ("dropped" in its stderr)
# and any process of the run still alive once Corral has exited.
#
# It exits 1 when a line was lost beyond the drops Corral reported, a line was mangled, fds,
# threads or memory (PSS) grew past their slack (the median of the last five samples against
# the median of five from the first sample after WARMUP),
# a process outlived Corral, Corral died or exited with a code other than 0, or a control
# request failed (exit 2, 4, 124 or a crash; 1 and 3 are answers: a signal to a service in
# backoff is refused, status says some service is not healthy).
#
# How to run (Debian, python3; root is not needed):
#   bench/soak.sh                    # 2 minutes; builds Corral first (dotnet publish, to a temp dir)
#   bench/soak.sh --minutes 30 --corral out/corral > soak.md
# Options: --minutes N | --seconds N (or SOAK_SECONDS), --corral PATH (or CORRAL), --keep
#   (keep the scratch directory: corral's stdout and stderr, samples.tsv, ctl.log, the logs).
# Knobs (environment): SERVICES=100  SAMPLE (seconds; 5, or 15 from 10 minutes on)
#   CTL_EVERY=1  WARMUP (seconds; 180, or 10% of the run when shorter)
#   FD_SLACK=10  THREAD_SLACK=4  MEM_SLACK_KB=32768 (growth allowed from the baseline sample)
# The summary (Markdown) goes to stdout, progress to stderr.

set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PY=/usr/bin/python3
SOAK_SECONDS=${SOAK_SECONDS:-120}
CORRAL=${CORRAL:-}
KEEP=${KEEP:-0}
while [[ $# -gt 0 ]]; do
    case $1 in
        --minutes) SOAK_SECONDS=$(($2 * 60)); shift 2 ;;
        --seconds) SOAK_SECONDS=$2; shift 2 ;;
        --corral) CORRAL=$2; shift 2 ;;
        --keep) KEEP=1; shift ;;
        -h|--help) sed -n '2,/^$/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "soak.sh: unknown option $1 (--minutes N, --seconds N, --corral PATH, --keep)" >&2; exit 2 ;;
    esac
done
SERVICES=${SERVICES:-100}
SAMPLE=${SAMPLE:-$(( SOAK_SECONDS >= 600 ? 15 : 5 ))}
CTL_EVERY=${CTL_EVERY:-1}
# The baseline for the leak checks: once every service's recent-lines buffer (1000 lines, kept
# for `ctl logs`) has filled, which takes 100 s at 10 lines a second.
WARMUP=${WARMUP:-$(( SOAK_SECONDS / 10 < 180 ? SOAK_SECONDS / 10 : 180 ))}
FD_SLACK=${FD_SLACK:-10}
THREAD_SLACK=${THREAD_SLACK:-4}
MEM_SLACK_KB=${MEM_SLACK_KB:-32768}

say() { printf '[soak %s] %s\n' "$(date -u +%T)" "$*" >&2; }
die() { say "$*"; exit 1; }
[[ -x $PY ]] || die "$PY missing: apt-get install -y python3"
(( SERVICES >= 10 )) || die "SERVICES must be at least 10"

TMP=$(mktemp -d /tmp/corral-soak.XXXXXX)
SUP="" CTL_PID="" SAMPLER_PID=""
cleanup() {
    local p
    for p in $CTL_PID $SAMPLER_PID $SUP; do kill -KILL "$p" 2>/dev/null || true; done
    # Whatever of the run is left (only after a failure): every process the run started has
    # $TMP in its command line.
    for p in $(pgrep -f "$TMP/" || true); do kill -KILL "$p" 2>/dev/null || true; done
    if [[ $KEEP == 1 ]]; then say "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
mkdir -p "$TMP/state" "$TMP/logs" "$TMP/run"
mkfifo "$TMP/tick"; exec {TICK}<>"$TMP/tick"   # `read -t` on it = a sleep without a fork
nap() { read -t "$1" -u "$TICK" _ || true; }

if [[ -z $CORRAL ]]; then
    say "building corral (dotnet publish) ..."
    dotnet publish "$ROOT/src/Corral/Corral.csproj" -c Release -o "$TMP/publish" >&2
    CORRAL=$TMP/publish/corral
fi
CORRAL=$(readlink -f "$CORRAL")
[[ -x $CORRAL ]] || die "no corral at $CORRAL"
SOCK=$TMP/run/corral.sock
HZ=$(getconf CLK_TCK)
ctl() { timeout 120 "$CORRAL" ctl -s "$SOCK" "$@"; }

# --- the services' programs --------------------------------------------------------------
# One bash writer for every role: no fork per line (read -t on the fifo is the pause), so a
# hundred of them cost little CPU.
cat > "$TMP/writer.sh" <<EOF
#!/bin/bash
# writer.sh NAME MODE PAUSE: see bench/soak.sh
name=\$1 mode=\$2 pause=\$3
id=\$\$.\$SRANDOM
exec {tick}<>"$TMP/tick"
trap 'echo "soak-usr1 \$name \$id"' USR1
(( life = 3 + SRANDOM % 43 ))
i=0
# The record is overwritten in place, fixed width, one write: a kill between the open and the
# write leaves the previous number, never an empty file (as > would, truncating first).
line() { i=\$((i + 1)); echo "soak \$name \$id \$i"; printf '%010d\\n' "\$i" 1<> "$TMP/state/\$name.\$id"; }
while :; do
    if [[ \$mode == burst ]] && (( SRANDOM % 100 == 0 )); then
        for ((k = 0; k < 2000; k++)); do line; done
    fi
    line
    if [[ \$mode == crash ]] && (( SECONDS >= life )); then
        case \$((SRANDOM % 3)) in 0) exit 1 ;; 1) exit 3 ;; 2) kill -KILL \$\$ ;; esac
    fi
    read -t "\$pause" -u "\$tick" _
done
EOF
# An exec probe that fails PERCENT% of the time.
cat > "$TMP/probe.sh" <<'EOF'
#!/bin/bash
(( SRANDOM % 100 >= $1 ))
EOF
# The target of the http and tcp probes: /ok is 200, /flaky a 500 30% of the time.
cat > "$TMP/httpd.py" <<'EOF'
import http.server, random, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        code = 500 if self.path == "/flaky" and random.random() < 0.3 else 200
        self.send_response(code); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
EOF
chmod +x "$TMP/writer.sh" "$TMP/probe.sh"
PORT=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# --- corral.yaml -------------------------------------------------------------------------
# Shares of SERVICES-1 (one is `http`): crash 20%, probe 12%, file 8%, burst 5%, steady the rest.
n=$((SERVICES - 1)); n_crash=$((n * 20 / 100)); n_probe=$((n * 12 / 100)); n_file=$((n * 8 / 100)); n_burst=$((n * 5 / 100))
n_steady=$((n - n_crash - n_probe - n_file - n_burst))
writer() { printf '  %s:\n    command: ["%s", "%s", "%s", "%s"]\n' "$1" "$TMP/writer.sh" "$1" "$2" "$3"; }
{
    echo "shutdown_timeout: 9s"
    echo "log_format: text"
    echo "color: never"
    echo "services:"
    echo "  http:"
    echo "    command: [\"$PY\", \"$TMP/httpd.py\", \"$PORT\"]"
    echo "    backoff: {initial: 100ms, factor: 2, max: 2s}"
    for i in $(seq -w 1 "$n_steady"); do writer "steady-$i" steady 0.1; done
    for i in $(seq -w 1 "$n_crash"); do
        writer "crash-$i" crash 0.1
        echo "    backoff: {initial: 100ms, factor: 2, max: 2s, reset_after: 10s}"
    done
    for i in $(seq -w 1 "$n_probe"); do
        writer "probe-$i" steady 0.1
        case $((10#$i % 3)) in
            0) echo "    readiness_probe: {exec: [\"$TMP/probe.sh\", \"20\"], period: 2s, timeout: 2s}" ;;
            1) echo "    liveness_probe: {exec: [\"$TMP/probe.sh\", \"20\"], period: 2s, timeout: 2s, failure_threshold: 2}" ;;
            2) echo "    readiness_probe: {http: {port: $PORT, path: /flaky}, period: 1s, timeout: 2s}"
               echo "    liveness_probe: {tcp: {port: $PORT}, initial_delay: 5s, period: 2s, timeout: 2s, failure_threshold: 3}" ;;
        esac
        echo "    backoff: {initial: 100ms, factor: 2, max: 2s}"
    done
    for i in $(seq -w 1 "$n_file"); do
        writer "file-$i" steady 0.01
        echo "    logs: {stdout: {file: ./logs/file-$i.log, max_bytes: 64KB, backups: 3, also_stdout: true}}"
    done
    for i in $(seq -w 1 "$n_burst"); do writer "burst-$i" burst 0.1; done
} > "$TMP/corral.yaml"
mapfile -t NAMES < <(awk '/^  [a-z]/ { sub(":", "", $1); print $1 }' "$TMP/corral.yaml")
"$CORRAL" check -c "$TMP/corral.yaml" >&2 || die "corral check failed on the generated config"

# --- the control requests ----------------------------------------------------------------
# One at a time (a restart waits until the service runs again), one every CTL_EVERY seconds;
# each logged as "VERB EXIT-CODE" in ctl.log. Stops when the file `stop-ctl` appears.
control_loop() {
    local name verb rc signals=(USR1 USR1 TERM HUP)
    while [[ ! -e $TMP/stop-ctl ]]; do
        name=${NAMES[SRANDOM % ${#NAMES[@]}]} rc=0
        case $((SRANDOM % 5)) in
            0) verb=restart; ctl restart "$name" >/dev/null 2>&1 || rc=$? ;;
            1) verb=stop+start; { ctl stop "$name" && ctl start "$name"; } >/dev/null 2>&1 || rc=$? ;;
            2) verb=signal; ctl signal "${signals[SRANDOM % 4]}" "$name" >/dev/null 2>&1 || rc=$? ;;
            3) verb=status; ctl status >/dev/null 2>&1 || rc=$? ;;
            4) verb=status-json; ctl status --json >/dev/null 2>&1 || rc=$? ;;
        esac
        echo "$verb $rc" >> "$TMP/ctl.log"
        nap "$CTL_EVERY"
    done
}

# --- the samples -------------------------------------------------------------------------
# One line per SAMPLE seconds in samples.tsv: seconds, fds, threads, rss_kb, pss_kb, processes
# below Corral, zombies among them, Corral's CPU time so far (ms), the machine's load average.
# One `ps` per sample finds the descendants.
sample() {
    local t=$1 fds threads rss pss tree cpu load
    fds=$(ls /proc/"$SUP"/fd 2>/dev/null | wc -l)
    threads=$(awk '$1 == "Threads:" { print $2 }' /proc/"$SUP"/status)
    rss=$(awk '$1 == "VmRSS:" { print $2 }' /proc/"$SUP"/status)
    pss=$(awk '$1 == "Pss:" { print $2 }' /proc/"$SUP"/smaps_rollup)
    cpu=$(awk -v hz="$HZ" '{ print int(($14 + $15) * 1000 / hz) }' /proc/"$SUP"/stat)   # user + system
    tree=$(ps -e -o pid=,ppid=,stat= | awk -v root="$SUP" '
        { parent[$1] = $2; stat[$1] = $3 }
        END { for (p in parent) { q = parent[p]; while (q > 1 && q != root) q = parent[q];
                                  if (q == root) { n++; if (stat[p] ~ /^Z/) z++ } }
              print n + 0, z + 0 }')
    load=$(awk '{ print int($1 * 100) }' /proc/loadavg)   # the machine's, x100
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$fds" "$threads" "$rss" "$pss" ${tree% *} ${tree#* } "$cpu" "$load"
}
sample_loop() {
    while [[ ! -e $TMP/stop-sampler ]] && kill -0 "$SUP" 2>/dev/null; do
        sample $((SECONDS - T0)) >> "$TMP/samples.tsv"
        nap "$SAMPLE"
    done
}

# --- the run -----------------------------------------------------------------------------
say "corral $CORRAL, $SERVICES services ($n_steady steady, $n_crash crash, $n_probe probe, $n_file file, $n_burst burst, http), ${SOAK_SECONDS}s, load $(cut -d' ' -f1-3 /proc/loadavg)"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED=$(date -u '+%Y-%m-%d %H:%M UTC')
( cd "$TMP" && CORRAL_RUN_DIR=$TMP/run exec "$CORRAL" run -c "$TMP/corral.yaml" ) > "$TMP/stdout.log" 2> "$TMP/stderr.log" &
SUP=$!
T0=$SECONDS
deadline=$((SECONDS + 60))
until ctl status >/dev/null 2>&1 || [[ $? == 3 ]]; do
    kill -0 "$SUP" 2>/dev/null || die "corral exited at start: $(tail -5 "$TMP/stderr.log")"
    (( SECONDS < deadline )) || die "corral's control socket did not answer within 60 s"
    nap 0.2
done
printf 'seconds\tfds\tthreads\trss_kb\tpss_kb\tprocesses\tzombies\tcpu_ms\tload1x100\n' > "$TMP/samples.tsv"
: > "$TMP/ctl.log"
sample_loop & SAMPLER_PID=$!
control_loop & CTL_PID=$!

end=$((T0 + SOAK_SECONDS))
while (( SECONDS < end )) && kill -0 "$SUP" 2>/dev/null; do
    nap 10
    (( (SECONDS - T0) % 300 < 10 )) && say "$((SECONDS - T0)) s: $(tail -1 "$TMP/samples.tsv" | cut -f2-)  (fds threads rss pss procs zombies)"
done
DIED=0; kill -0 "$SUP" 2>/dev/null || DIED=1
touch "$TMP/stop-ctl" "$TMP/stop-sampler"
wait "$CTL_PID" || true; CTL_PID=""
wait "$SAMPLER_PID" || true; SAMPLER_PID=""
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

STATUS_RC=0 t_term=0
if (( ! DIED )); then
    sample $((SECONDS - T0)) >> "$TMP/samples.tsv"
    ctl status --json > "$TMP/status.json" 2>/dev/null || STATUS_RC=$?
    say "SIGTERM to corral"
    t_term=$(date +%s%N)
    kill -TERM "$SUP"
fi
EXIT_CODE=0; wait "$SUP" || EXIT_CODE=$?
t_exit=$(date +%s%N)
SUP=""
# Anything of the run still alive once Corral has gone (its command line names $TMP).
OUTLIVED=$(pgrep -f "$TMP/" | wc -l || true)
EXIT_MS=$(( DIED ? -1 : (t_exit - t_term) / 1000000 ))
say "corral exited with $EXIT_CODE after ${EXIT_MS} ms; checking ..."

# --- the check ---------------------------------------------------------------------------
export TMP SOAK_SECONDS DIED EXIT_CODE EXIT_MS OUTLIVED STATUS_RC WARMUP FD_SLACK THREAD_SLACK MEM_SLACK_KB
export CORRAL LOAD_BEFORE LOAD_AFTER STARTED SERVICES CTL_EVERY SAMPLE
RESULT=0
$PY - <<'EOF' || RESULT=$?
import collections, glob, json, os, re, sys

E = os.environ
tmp = E["TMP"]
fail = []

# Lines seen in Corral's stdout: "NAME<padding> | soak NAME ID SEQ".
line_re = re.compile(r"^soak (\S+) (\S+) (\d+)$")
seen = collections.defaultdict(set)   # id -> seq numbers
dups = 0; mangled = []; relayed = 0; other = 0; owner = {}
with open(f"{tmp}/stdout.log", "rb") as f:
    for raw in f:
        text = raw.decode("utf-8", "replace").rstrip("\n")
        prefix, bar, body = text.partition(" | ")
        m = line_re.match(body)
        if not bar or not m or m.group(1) != prefix.strip():
            if bar and body.startswith("soak-usr1 ") and body.split()[1] == prefix.strip():
                other += 1
            elif bar and prefix.strip() == "http":
                other += 1
            else:
                mangled.append(text[:200])
            continue
        relayed += 1
        name, pid, seq = m.group(1), m.group(2), int(m.group(3))
        owner[pid] = name
        if seq in seen[pid]: dups += 1
        seen[pid].add(seq)

# What each writer process recorded as printed.
recorded = {}
for path in glob.glob(f"{tmp}/state/*"):
    name, _, pid = os.path.basename(path).partition(".")
    text = open(path).read().strip()
    recorded[pid] = int(text) if text else 0
    owner.setdefault(pid, name)

written_total = 0; lost_total = 0; lost_by = collections.Counter(); tail_lost = 0; gap_lost = 0
for pid in set(recorded) | set(seen):
    s = seen.get(pid, set())
    top = max(s) if s else 0
    written = max(recorded.get(pid, 0), top)
    written_total += written
    lost = written - len(s)
    if lost:
        lost_total += lost; lost_by[owner[pid]] += lost
        gap_lost += top - len(s); tail_lost += written - top

# Corral's own word on drops.
stderr = open(f"{tmp}/stderr.log", encoding="utf-8", errors="replace").read().splitlines()
drop_lines = [l for l in stderr if "dropp" in l]
reported = 0
for l in drop_lines:
    m = re.search(r"dropped (\d+) line", l) or re.search(r"(\d+) of Corral's messages were dropped", l)
    if m: reported += int(m.group(1))
# Corral's warnings other than the ones this run provokes on purpose (exits, probe failures).
expected = re.compile(r"restarting in|liveness probe failed|: not ready$|^\S+\s+\| ")
warnings = [l for l in stderr if ("warning" in l or "error" in l) and not expected.search(l)]

# Log files: every line whole; in the files kept (oldest first), no writer's sequence has a gap.
file_lines = 0; file_bad = 0; file_gaps = 0; file_count = 0
for log in sorted(glob.glob(f"{tmp}/logs/*.log")):
    parts = sorted(glob.glob(log + ".*"), key=lambda p: -int(p.rsplit(".", 1)[1])) + [log]
    file_count += len(parts)
    last = {}
    for p in parts:
        for raw in open(p, "rb"):
            file_lines += 1
            m = line_re.match(raw.decode("utf-8", "replace").rstrip("\n"))
            if raw.startswith(b"soak-usr1 "): continue
            if not m or not raw.endswith(b"\n"): file_bad += 1; continue
            pid, seq = m.group(2), int(m.group(3))
            if pid in last and seq != last[pid] + 1: file_gaps += seq - last[pid] - 1
            last[pid] = seq

# Control requests.
ctl = collections.defaultdict(collections.Counter)
for l in open(f"{tmp}/ctl.log"):
    verb, rc = l.split()
    ctl[verb][int(rc)] += 1
sent = sum(sum(c.values()) for c in ctl.values())
# 0 done; 1 refused (a signal to a service in backoff, a stop racing a crash); 3 status: not all healthy.
failed = sum(n for c in ctl.values() for rc, n in c.items() if rc not in (0, 1, 3))
refused = sum(c[1] for c in ctl.values())

# Restarts.
restarts = None
try:
    restarts = sum(s["restarts"] for s in json.load(open(f"{tmp}/status.json"))["services"])
except Exception as e:
    fail.append(f"no status --json at the end ({e})")

# Samples: first, baseline (first at or after WARMUP), last, max.
rows = [l.rstrip("\n").split("\t") for l in open(f"{tmp}/samples.tsv")][1:]
rows = [[int(x) for x in r] for r in rows if len(r) == 9 and all(x.isdigit() for x in r)]
cols = ["fds", "threads", "rss_kb", "pss_kb", "processes", "zombies"]
warm = int(E["WARMUP"])
base = next((r for r in rows if r[0] >= warm), rows[0]) if rows else None

def row(label, value): print(f"| {label} | {value} |")
dur = int(E["SOAK_SECONDS"])
print(f"### Soak: {E['SERVICES']} services, {dur // 60} min {dur % 60} s, started {E['STARTED']}\n")
print(f"Corral: {E['CORRAL']}. Load average (1, 5, 15 min) before: {E['LOAD_BEFORE']}; at the end: {E['LOAD_AFTER']}.\n")
print("| measure | value |\n|---|---|")
row("restarts (sum of `restarts` in `ctl status --json`)", restarts)
row("control requests sent / refused (exit 1) / failed", f"{sent} / {refused} / {failed}")
for verb in sorted(ctl):
    row(f"&nbsp;&nbsp;{verb}", ", ".join(f"exit {rc}: {n}" for rc, n in sorted(ctl[verb].items())))
row("writer processes", len(set(recorded) | set(seen)))
row("numbered lines written / relayed (unique)", f"{written_total} / {sum(len(s) for s in seen.values())}")
row("numbered lines relayed per second", f"{sum(len(s) for s in seen.values()) / max(1, dur):.0f}")
row("lines lost: gaps / missing tail", f"{lost_total}: {gap_lost} / {tail_lost}" + (f" ({dict(lost_by.most_common(5))})" if lost_by else ""))
row("lines relayed twice", dups)
row("lines mangled or under another name", len(mangled))
row("other lines (USR1 traps, http)", other)
row("log files: files / lines / cut lines / gaps", f"{file_count} / {file_lines} / {file_bad} / {file_gaps}")
row("drops Corral reported", f"{reported} ({len(drop_lines)} messages)")
row("Corral's other warnings and errors", f"{len(warnings)}" + (f", e.g. `{warnings[0][:120]}`" if warnings else ""))
for i, c in enumerate(cols):
    if rows:
        vals = [r[i + 1] for r in rows]
        row(f"{c}: first / after {base[0]} s / last / max", f"{rows[0][i + 1]} / {base[i + 1]} / {rows[-1][i + 1]} / {max(vals)}")
if len(rows) > 1:
    row("Corral's CPU time (share of one core)", f"{(rows[-1][7] - rows[0][7]) / 1000:.1f} s ({(rows[-1][7] - rows[0][7]) / 10 / max(1, rows[-1][0] - rows[0][0]):.1f}%)")
row("SIGTERM to exit", "Corral had died" if E["DIED"] == "1" else f"{E['EXIT_MS']} ms, exit code {E['EXIT_CODE']}")
row("processes that outlived Corral", E["OUTLIVED"])
print()

# The trend: about ten samples spread over the run.
if rows:
    step = max(1, len(rows) // 10)
    pick = rows[::step] + ([rows[-1]] if (len(rows) - 1) % step else [])
    print("| s | " + " | ".join(cols) + " | cpu_s | load |\n|" + "---|" * (len(cols) + 3))
    for r in pick: print("| " + " | ".join(map(str, r[:7])) + f" | {r[7] / 1000:.1f} | {r[8] / 100:.2f} |")
    print()

if E["DIED"] == "1": fail.append("Corral died during the run")
elif E["EXIT_CODE"] != "0": fail.append(f"Corral exited with {E['EXIT_CODE']} after SIGTERM")
if int(E["OUTLIVED"]): fail.append(f"{E['OUTLIVED']} processes outlived Corral")
if lost_total > reported: fail.append(f"{lost_total} lines lost, {reported} drops reported")
if dups: fail.append(f"{dups} lines relayed twice")
if mangled: fail.append(f"{len(mangled)} mangled lines, e.g. {mangled[:3]}")
if file_bad or file_gaps: fail.append(f"log files: {file_bad} cut lines, {file_gaps} missing lines")
if failed: fail.append(f"{failed} control requests failed")
if rows and base:
    # Growth: the median of the last five samples against the median of five from the baseline
    # on, so that one sample catching a restart's pipes or a passing pool thread is not a leak.
    at = rows.index(base)
    def median(rs, i): return sorted(r[i] for r in rs)[len(rs) // 2]
    for i, what, slack in [(1, "fds", "FD_SLACK"), (2, "threads", "THREAD_SLACK"), (4, "PSS (kB)", "MEM_SLACK_KB")]:
        before, after = median(rows[at:at + 5], i), median(rows[-5:], i)
        if after - before > int(E[slack]): fail.append(f"{what} grew from {before} to {after} (medians of five samples)")
    if all(r[6] for r in rows[-3:]): fail.append("zombies in each of the last three samples")
if mangled:
    print("Mangled lines (first 5):\n\n```\n" + "\n".join(mangled[:5]) + "\n```\n")
print("**Result: " + ("FAILED: " + "; ".join(fail) if fail else "passed") + "**")
sys.exit(1 if fail else 0)
EOF
exit "$RESULT"
