using System.Text;
using Corral.Core.Compat.Supervisord;
using Corral.Core.Config.Argv;
using Corral.Os.Logging;
using Microsoft.Win32.SafeHandles;

namespace Corral.Compat;

/// <summary>
/// Corral invoked as <c>supervisorctl</c> (a symlink), for images without Python: the command
/// line and config search of supervisorctl 4.2, then one command (exit status as supervisorctl's)
/// or a minimal shell that reads lines from stdin after a `supervisor> ` prompt. The commands
/// are <see cref="CtlController"/>'s; this class does the I/O: files, stdin, stdout.
/// </summary>
public static class Supervisorctl
{
    public static int Run(string argv0, string[] args, IReadOnlyDictionary<string, string> env)
    {
        var (request, help, error) = CtlOptions.Parse(args);
        if (help)
        {
            StdIo.Out(CtlHelp.Usage.Replace("{0}", argv0));
            return 0;
        }
        if (error is not null) return Usage(argv0, error);
        var cwd = Directory.GetCurrentDirectory();
        var path = request!.ConfigFile ?? SearchPlaces(argv0, env).FirstOrDefault(File.Exists);
        string? text = null;
        if (path is not null)
        {
            if (!File.Exists(path)) return Usage(argv0, $"could not find config file {path}");
            try { text = File.ReadAllText(path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return Usage(argv0, $"could not read config file {path}"); }
        }
        var (settings, problem) = CtlOptions.Settings(request, path, text, env, cwd);
        if (problem is not null) return Usage(argv0, problem);

        using var stdin = new StreamReader(new FileStream(new SafeFileHandle(0, ownsHandle: false), FileAccess.Read, 1), Encoding.UTF8);
        string? Ask(string question)
        {
            StdIo.Out(question);
            return stdin.ReadLine();
        }
        var controller = new CtlController(settings!, s => new SupervisorctlConnection(s), StdIo.Out, Ask);
        if (request.Command.Count > 0)
        {
            controller.OneCmd(string.Join(" ", request.Command));
            return controller.ExitStatus;
        }
        // The shell: status first, as supervisorctl does, then a line at a time until EOF or quit.
        if (controller.OneCmd("status")) return 0;
        while (true)
        {
            StdIo.Out(controller.Prompt);
            if (controller.OneCmd(stdin.ReadLine() ?? "EOF")) return 0;
        }
    }

    /// <summary>supervisorctl's config search: supervisord's places, next to the name it was started by.</summary>
    static IReadOnlyList<string> SearchPlaces(string argv0, IReadOnlyDictionary<string, string> env)
    {
        var started = argv0.Contains('/') ? argv0 : Os.Spawning.ProgramSearch.Find(argv0, env.GetValueOrDefault("PATH"), ".") ?? argv0;
        return SupervisordArgs.DefaultPlaces(Path.GetDirectoryName(Path.GetFullPath(started)) ?? "/");
    }

    static int Usage(string argv0, string message)
    {
        StdIo.Err($"Error: {message}\nFor help, use {argv0} -h\n");
        return 2;
    }
}
