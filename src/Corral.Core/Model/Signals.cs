namespace Corral.Core.Model;

/// <summary>
/// Linux signal numbers (x86-64 and arm64 agree on all of these) and their names.
/// Core names signals by number so that the Os layer can pass them straight to kill(2).
/// </summary>
public static class Signals
{
    public const int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6,
        SIGBUS = 7, SIGFPE = 8, SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12, SIGPIPE = 13,
        SIGALRM = 14, SIGTERM = 15, SIGSTKFLT = 16, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19,
        SIGTSTP = 20, SIGTTIN = 21, SIGTTOU = 22, SIGURG = 23, SIGXCPU = 24, SIGXFSZ = 25,
        SIGVTALRM = 26, SIGPROF = 27, SIGWINCH = 28, SIGIO = 29, SIGPWR = 30, SIGSYS = 31;

    /// <summary>Highest signal number the kernel accepts (real-time signals end here).</summary>
    public const int Max = 64;

    static readonly string[] names =
    [
        "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV",
        "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU",
        "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
    ];

    /// <summary>Signals raised by a fault in the receiving thread; they are never forwarded.</summary>
    public static bool IsSynchronous(int signal) =>
        signal is SIGFPE or SIGILL or SIGSEGV or SIGBUS or SIGABRT or SIGTRAP or SIGSYS;

    /// <summary>"SIGTERM" for 15, "SIGRTMIN+2" for 36, "signal 99" otherwise.</summary>
    public static string NameOf(int signal) => signal switch
    {
        > 0 and < 32 => "SIG" + names[signal],
        >= 34 and <= Max => signal == 34 ? "SIGRTMIN" : $"SIGRTMIN+{signal - 34}",
        _ => $"signal {signal}",
    };

    /// <summary>
    /// Parses "TERM", "SIGTERM", "sigterm", "15", "RTMIN+3" into a signal number.
    /// </summary>
    public static bool TryParse(string text, out int signal)
    {
        signal = 0;
        var t = text.Trim();
        if (int.TryParse(t, System.Globalization.NumberStyles.None, null, out var n))
        {
            if (n is < 1 or > Max) return false;
            signal = n;
            return true;
        }
        t = t.ToUpperInvariant();
        if (t.StartsWith("SIG", StringComparison.Ordinal)) t = t[3..];
        if (t == "POLL") t = "IO";
        if (t == "IOT") t = "ABRT";
        if (t == "CLD") t = "CHLD";
        var i = Array.IndexOf(names, t);
        if (i > 0) { signal = i; return true; }
        if (t.StartsWith("RTMIN", StringComparison.Ordinal))
        {
            var rest = t[5..];
            var offset = 0;
            if (rest.Length > 0 && !(rest[0] == '+' && TryDigits(rest[1..], out offset))) return false;
            signal = 34 + offset;
            return signal <= Max;
        }
        if (t.StartsWith("RTMAX", StringComparison.Ordinal))
        {
            var rest = t[5..];
            var offset = 0;
            if (rest.Length > 0 && !(rest[0] == '-' && TryDigits(rest[1..], out offset))) return false;
            signal = Max - offset;
            return signal >= 34;
        }
        return false;
    }

    static bool TryDigits(string s, out int value)
    {
        value = 0;
        return s.Length is > 0 and < 3 && s.All(char.IsAsciiDigit) && int.TryParse(s, out value);
    }
}
