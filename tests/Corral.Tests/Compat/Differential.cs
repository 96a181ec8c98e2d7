using System.Text.RegularExpressions;
using Corral.Tests.Infrastructure;

namespace Corral.Tests.Compat;

/// <summary>
/// Runs the same command line through the real program (Debian's tini or dumb-init) and
/// through Corral invoked under that program's name, and compares exit code, stdout and
/// stderr after masking what must differ: pids and the version suffix.
/// </summary>
public static partial class Differential
{
    static readonly Lazy<string> realLinks = new(() =>
    {
        var dir = Directory.CreateTempSubdirectory("real-links-").FullName;
        foreach (var (name, target) in new[] { ("tini", "/usr/bin/tini"), ("docker-init", "/usr/bin/tini"), ("dumb-init", "/usr/bin/dumb-init") })
        {
            if (!File.Exists(target)) throw new InvalidOperationException($"{target} is missing: install Debian's tini and dumb-init (.ci/run does)");
            File.CreateSymbolicLink(Path.Combine(dir, name), target);
        }
        return dir;
    });

    public static (Result Real, Result Corral) Run(string personality, string[] args, Dictionary<string, string?>? env = null)
    {
        var real = Infrastructure.Run.ExecWith(Path.Combine(realLinks.Value, personality), env, args);
        var ours = Infrastructure.Run.ExecWith(CorralBinary.As(personality), env, args);
        return (Mask(real, realLinks.Value), Mask(ours, CorralBinary.LinkDirectory));
    }

    static Result Mask(Result r, string linkDir) => r with { Stdout = Mask(r.Stdout, linkDir), Stderr = Mask(r.Stderr, linkDir) };

    static string Mask(string text, string linkDir)
    {
        text = text.Replace(linkDir, "DIR");
        text = TiniPid().Replace(text, "tini (PID)]");
        text = QuotedNumber().Replace(text, "'N'");
        text = PidEquals().Replace(text, "pid=N");
        text = DumbInitPid().Replace(text, "PID N");
        return text.Replace(" - corral 0.1.0", "");
    }

    [GeneratedRegex(@"tini \(\d+\)\]")] private static partial Regex TiniPid();
    [GeneratedRegex(@"'\d+'")] private static partial Regex QuotedNumber();
    [GeneratedRegex(@"pid=\d+")] private static partial Regex PidEquals();
    [GeneratedRegex(@"PID \d+")] private static partial Regex DumbInitPid();
}
