using System.Collections.Immutable;
using System.Globalization;
using Corral.Core.Config.S6;
using Corral.Os.Logging;
using Corral.Runtime;

namespace Corral.Cli;

/// <summary>
/// Overview: Corral invoked as <c>/init</c> (a symlink or copy named init), as s6-overlay v3
/// images use it: the image's s6 tree under the root (/, or $CORRAL_S6_ROOT for tests) read with
/// the S6_* settings, the arguments as the CMD, run once everything is up, and its exit code the
/// container's. The exit code goes through <c>/run/s6-linux-init-container-results/exitcode</c>
/// as in s6-overlay: a script that writes that file (halt, or <c>echo 3 &gt; …</c>) decides it;
/// otherwise Corral writes the code it ends with there. One line on exit says what decided it.
/// </summary>
public static class S6InitCommand
{
    public const string ResultsDirectory = "run/s6-linux-init-container-results";

    public static int Run(string[] args, IReadOnlyDictionary<string, string> env)
    {
        var root = env.TryGetValue("CORRAL_S6_ROOT", out var given) && given.Length > 0 ? given : "/";
        var options = S6Options.From(env);
        ImmutableArray<string> cmd = [.. args];
        var exitFile = Path.Combine(root, ResultsDirectory, "exitcode");
        var load = () => Config.S6Tree.Load(root, env, options, cmd);
        var (plan, diagnostics) = load();
        // s6-overlay's verbosity: 0 errors only, 1 warnings, 2 (default) information, 3 and more details.
        var verbosity = options.Verbosity switch { <= 0 => 0, <= 2 => 1, _ => 2 };
        foreach (var d in diagnostics.Where(d => d.Severity == Core.Model.Services.Severity.Error || verbosity > 0)) StdIo.Err($"corral: {d}\n");
        if (plan is null)
        {
            StdIo.Err($"corral: {Path.Combine(root, Config.S6Tree.Source)}: cannot boot this s6-overlay tree, nothing started\n");
            return 2;
        }
        Prepare(exitFile, verbosity);
        // /run/s6/container_environment, for with-contenv (S6_KEEP_ENV=0 gives the services a clean one).
        Config.S6Tree.WriteContainerEnvironment(root, env);
        var runner = new SupervisorRunner(plan, Path.Combine(root, "."), load, Config.RunDirectory.Of(env), new LogStyle(plan.Config, env, verbosity));
        var code = runner.Run();
        var why = runner.ExitReason ?? "no shutdown reason recorded";
        if (Written(exitFile) is { } written)
        {
            (code, why) = (written, $"written to {exitFile} by a script (what began the shutdown: {why})");
        }
        else Write(exitFile, code);
        StdIo.Err($"[corral] exit code {code}: {why}\n");
        // Corral writes nothing under / but /run: there is nothing of its own to flush, only the services'.
        if (options.SyncDisks) Os.Files.Disks.Sync();
        return code;
    }

    /// <summary>A fresh results directory: an exitcode file found there later was written by a script of this run.</summary>
    static void Prepare(string exitFile, int verbosity)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(exitFile)!);
            File.Delete(exitFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (verbosity > 1) StdIo.Err($"corral: cannot prepare {exitFile}: {Problems.Describe(e)}; exit codes are Corral's own\n");
        }
    }

    /// <summary>The code a script wrote (s6-overlay reads a decimal number; the low 8 bits count).</summary>
    static int? Written(string exitFile)
    {
        try
        {
            if (!File.Exists(exitFile)) return null;
            var text = File.ReadAllText(exitFile).Trim();
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n & 0xff : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    static void Write(string exitFile, int code)
    {
        try { File.WriteAllText(exitFile, $"{code}\n"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DirectoryNotFoundException) { }
    }
}
