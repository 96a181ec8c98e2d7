#!/bin/sh
# Test helper: a child and a grandchild in the same process group, both reporting the signals
# named on the command line ("child ready", "grandchild ready", "... got SIG").
# A non-interactive shell starts background jobs with INT and QUIT ignored, and a shell cannot
# trap what it started with ignored: env --default-signal gives the grandchild a clean slate.
here=$(dirname "$0")
REPORT_LABEL=grandchild env --default-signal=INT,QUIT "$here/trap-report.sh" "$@" &
REPORT_LABEL=child exec "$here/trap-report.sh" "$@"
