// Overview: the three things about signals that managed code cannot do well in a NativeAOT
// process.
//
// 1. See the signal state Corral was started with. Before Main runs, the runtime installs its
//    own SIGSEGV handler (over an inherited SIG_IGN), ignores SIGPIPE and unblocks glibc's
//    signals 32 and 33. A constructor runs before the runtime starts, so it records the
//    inherited mask and ignored set exactly (tini hands both on to its child).
// 2. Receive the signals Corral honours quickly. The runtime's PosixSignalRegistration passes a
//    signal through its own pipe and thread, then starts a new thread (TERM, INT, QUIT) or
//    borrows a thread-pool thread (the others) for the callback: about 1 ms before a
//    forwarded TERM reached the child, four times tini's. Here the handler writes the signal's
//    number to one pipe, and one thread of Corral's, blocked in poll(2), reads it and posts it
//    to the event loop. Nothing else in Corral initialises the runtime's signal handling (no
//    Console, no Process, no PosixSignalRegistration), so these handlers stay the only ones.
// 3. Receive a "fault" signal that another process sent with kill(2). The runtime needs
//    SIGSEGV and SIGFPE for its own faults, and ILL, TRAP, ABRT, BUS and SYS keep their default
//    action; dumb-init forwards all of them when they are sent. For those, the handler tells
//    the two apart by si_code (SI_FROMUSER: si_code <= 0, sent by a process) and by the
//    sender: a signal sent by another process goes to the pipe like any other; anything else
//    (a real fault, Corral's own abort(), a write to a closed pipe) goes to the action that
//    was in place before, exactly as if this handler did not exist.
//
// Compiled by Corral.csproj at publish time and linked into the executable (NativeAOT).

#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define CORRAL_MAX_SIGNAL 64

static uint64_t start_blocked, start_ignored;

// The kernel's struct sigaction begins with the handler on every Linux architecture; the raw
// system call also answers for 32 and 33, which glibc's sigaction refuses.
struct kernel_sigaction_head { void *handler; unsigned long rest[8]; };

__attribute__((constructor(101)))
static void corral_capture_start_signals(void)
{
    uint64_t mask = 0;
    if (syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &mask, sizeof mask) == 0) start_blocked = mask;
    for (int sig = 1; sig <= CORRAL_MAX_SIGNAL; sig++)
    {
        struct kernel_sigaction_head old;
        memset(&old, 0, sizeof old);
        if (syscall(SYS_rt_sigaction, sig, NULL, &old, sizeof(uint64_t)) == 0 && old.handler == SIG_IGN)
            start_ignored |= 1ULL << (sig - 1);
    }
}

/// Signals blocked when Corral started, bit N-1 for signal N.
uint64_t corral_start_blocked(void) { return start_blocked; }

/// Signals ignored when Corral started, bit N-1 for signal N.
uint64_t corral_start_ignored(void) { return start_ignored; }

static int forward_fd = -1;
static unsigned char only_when_sent[CORRAL_MAX_SIGNAL + 1];
static struct sigaction before[CORRAL_MAX_SIGNAL + 1];

static void corral_on_signal(int sig, siginfo_t *info, void *context)
{
    if (!only_when_sent[sig] || (info != NULL && info->si_code <= 0 && info->si_pid != getpid()))
    {
        int saved = errno;
        unsigned char byte = (unsigned char)sig;
        ssize_t ignored_result = write(forward_fd, &byte, 1);
        (void)ignored_result;
        errno = saved;
        return;
    }
    struct sigaction *prior = &before[sig];
    if (prior->sa_flags & SA_SIGINFO)
    {
        prior->sa_sigaction(sig, info, context);
        return;
    }
    if (prior->sa_handler == SIG_IGN) return;
    if (prior->sa_handler != SIG_DFL)
    {
        prior->sa_handler(sig);
        return;
    }
    // The default action: put it back and raise again. The signal is blocked while this
    // handler runs, so the new one is delivered, with its default action, as we return.
    sigaction(sig, prior, NULL);
    raise(sig);
}

/// Sends the given signals as one byte each to fd (a non-blocking pipe): every delivery, or,
/// with only_sent, only those another process sent (see 3. above). Every call must pass the
/// same fd. Returns 0, or the errno of the first sigaction that failed.
int corral_forward_signals(int fd, const int *signals, int count, int only_sent)
{
    forward_fd = fd;
    for (int i = 0; i < count; i++)
    {
        int sig = signals[i];
        if (sig < 1 || sig > CORRAL_MAX_SIGNAL) return EINVAL;
        // Only a signal that is forwarded when sent needs the action it replaces (start-up
        // time: one system call less for each of the ~60 other signals).
        if (only_sent && sigaction(sig, NULL, &before[sig]) != 0) return errno;
        only_when_sent[sig] = only_sent != 0;
        struct sigaction mine;
        memset(&mine, 0, sizeof mine);
        mine.sa_sigaction = corral_on_signal;
        // Keep the alternate stack the runtime uses to report a stack overflow.
        mine.sa_flags = SA_SIGINFO | SA_RESTART | (before[sig].sa_flags & SA_ONSTACK);
        sigemptyset(&mine.sa_mask);
        if (sigaction(sig, &mine, NULL) != 0) return errno;
    }
    return 0;
}
