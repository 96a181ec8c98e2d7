#!/bin/sh
# Test helper: create N orphans (double-forked grandchildren that exit at once), then wait
# until the reaper (REAPER: a pid, 1 as PID 1) has no child left but this script, at most 30 s.
# Orphans are re-parented to the reaper; each one left, running or zombie, counts.
# Prints "left=K zombies=Z" and exits 0 when K is 0.
n=$1 reaper=$2
i=0
while [ "$i" -lt "$n" ]; do
  ( /bin/true & )
  i=$((i + 1))
done
# /proc/PID/stat is "pid (comm) state ppid ..."; print "state ppid" for every process.
table() { cat /proc/[0-9]*/stat 2>/dev/null | sed -n 's/^[0-9]* (.*) \([A-Za-z]\) \([0-9]*\) .*/\1 \2/p'; }
left() { echo $(( $(table | grep -c " $reaper\$") - 1 )); }
tries=0
while [ "$(left)" -gt 0 ] && [ "$tries" -lt 600 ]; do sleep 0.05; tries=$((tries + 1)); done
k=$(left)
z=$(table | grep -c "^Z $reaper\$")
echo "left=$k zombies=$z"
[ "$k" -eq 0 ]
