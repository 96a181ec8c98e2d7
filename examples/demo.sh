#!/bin/sh
# A small stand-in for a real container workload, to watch Corral work as an init:
# it leaves orphans behind (which only an init reaps), answers signals, and exits with a code.
#   out/corral -v -- examples/demo.sh          # runs, exits 3
#   kill -TERM <corral pid>                    # while it runs: a clean stop, exit 0
trap 'echo "demo: got SIGTERM, cleaning up"; exit 0' TERM
trap 'echo "demo: got SIGUSR1"' USR1
echo "demo: pid $$, starting 50 background jobs and leaving them as orphans"
i=0
while [ $i -lt 50 ]; do (sleep 0.2 &); i=$((i + 1)); done
echo "demo: working for 2 seconds (send SIGTERM or SIGUSR1 to Corral to see them forwarded)"
n=0
while [ $n -lt 20 ]; do sleep 0.1; n=$((n + 1)); done
zombies=$(grep -l '^[0-9]* ([^)]*) Z' /proc/[0-9]*/stat 2>/dev/null | wc -l)
echo "demo: zombies left in the system: $zombies"
echo "demo: exiting with code 3; Corral exits with it"
exit 3
