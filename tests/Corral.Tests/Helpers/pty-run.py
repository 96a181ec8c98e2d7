#!/usr/bin/env python3
"""Test helper: run a command on a new pseudo-terminal, as `docker run -it` does.

Usage: pty-run.py READY INPUT CMD [ARGS...]
Waits until READY appears in the terminal output, then types INPUT (Python escapes such as
\\x03 for Ctrl-C or \\n are honoured), reads until the command exits (at most 30 s), then
prints everything the terminal showed and a last line "exit=N" (128+N for a signal).
"""
import os
import pty
import select
import sys
import time

ready = sys.argv[1].encode()
typed = sys.argv[2].encode().decode("unicode_escape").encode("latin-1")
argv = sys.argv[3:]

pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)

output = b""
sent = False
deadline = time.monotonic() + 30
while time.monotonic() < deadline:
    readable, _, _ = select.select([fd], [], [], 0.5)
    if fd not in readable:
        continue
    try:
        data = os.read(fd, 4096)
    except OSError:
        break
    if not data:
        break
    output += data
    if not sent and ready in output:
        os.write(fd, typed)
        sent = True

# Never hang a test: whatever still runs at the deadline is killed (and shows as a signal).
done, status = os.waitpid(pid, os.WNOHANG)
if done == 0:
    if time.monotonic() >= deadline:
        os.kill(pid, 9)
    _, status = os.waitpid(pid, 0)
sys.stdout.write(output.decode(errors="replace").replace("\r", ""))
print("exit=%d" % os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else "exit=%d" % (128 + os.WTERMSIG(status)))
