#!/bin/sh
# Test helper: trap every signal named on the command line and print "LABEL got SIG" for each;
# print "LABEL ready" once the traps are set. LABEL comes from $REPORT_LABEL (default "child").
label=${REPORT_LABEL:-child}
for s in "$@"; do trap "echo $label got $s" "$s"; done
echo "$label ready"
sleep 1000 & s=$!
while :; do
  kill -0 "$s" 2>/dev/null || { sleep 1000 & s=$!; }
  wait "$s"
done
