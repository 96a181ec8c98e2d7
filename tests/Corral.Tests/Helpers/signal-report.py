#!/usr/bin/env python3
"""Test helper: print "got N" for every catchable signal 1..31 it receives (none ends it; end
it with SIGKILL). Prints "ready" once every signal is being waited for. The signals are
blocked and taken with sigwait, so SIGSEGV or SIGPIPE sent with kill are just numbers here."""
import signal
import sys

catchable = set(range(1, 32)) - {signal.SIGKILL, signal.SIGSTOP}
signal.pthread_sigmask(signal.SIG_BLOCK, catchable)
print("ready", flush=True)
while True:
    got = signal.sigwait(catchable)
    if got != signal.SIGCHLD:
        print("got {}".format(int(got)), flush=True)
