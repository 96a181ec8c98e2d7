namespace Corral.Core.Compat.Supervisord;

/// <summary>
/// Overview: supervisorctl 4.2's commands (supervisor/supervisorctl.py, read for behaviour), on
/// an injected XML-RPC connection and output: the same calls in the same order, the same lines
/// and the same exit status (LSB init codes; status: 3 not running, 4 unknown). No I/O here:
/// the executable supplies the connection (HTTP on a Unix socket or TCP), stdout and the
/// confirmation prompt. A command either prints what supervisorctl prints or, for a failure
/// supervisorctl does not expect, the one line its catch-all prints. Why one long file: one
/// method per command, in the shape of supervisorctl's own, so that each can be checked against
/// it side by side; splitting them across types would need the exit status and the upcheck
/// shared between them.
/// </summary>
public sealed class CtlController(CtlSettings settings, Func<CtlSettings, ISupervisorRpc> connect, Action<string> write, Func<string, string?> ask)
{
    // LSB exit statuses supervisorctl uses.
    const int Generic = 1, InvalidArgs = 2, Unimplemented = 3, InsufficientPrivileges = 4, NotInstalled = 5, NotRunningStatus = 7;
    const int StatusNotRunning = 3, StatusUnknown = 4;

    static readonly string[] actions =
        ["add", "avail", "clear", "exit", "fg", "help", "maintail", "open", "pid", "quit", "reload", "remove", "reread",
         "restart", "shutdown", "signal", "start", "status", "stop", "tail", "update", "version", "EOF"];

    CtlSettings settings = settings;

    public int ExitStatus { get; private set; }

    public string Prompt => settings.Prompt + "> ";

    ISupervisorRpc Rpc => connect(settings);

    void Output(string message) => write(message + "\n");

    /// <summary>One command line, as Python's cmd module splits it; true when the shell should end (EOF, quit, exit).</summary>
    public bool OneCmd(string line)
    {
        line = line.Trim();
        if (line.Length == 0) return false;
        if (line[0] == '?') line = "help " + line[1..];
        var i = 0;
        while (i < line.Length && (char.IsAsciiLetterOrDigit(line[i]) || line[i] == '_')) i++;
        var (command, arg) = (line[..i], line[i..].Trim());
        if (command.Length == 0 || !actions.Contains(command))
        {
            Output($"*** Unknown syntax: {line}");
            ExitStatus = Generic;
            return false;
        }
        try
        {
            try
            {
                return Do(command, arg);
            }
            catch (RpcHttpError e) when (e.Status == 401)
            {
                Output("Server requires authentication");
                ExitStatus = Generic;
            }
            // supervisorctl runs the command a second time after a refused login (outside the
            // shell); that one fails too and its catch-all prints the error.
            return Do(command, arg);
        }
        catch (Exception e) when (e is XmlRpcFault or RpcHttpError or RpcConnectionError or InvalidDataException or InvalidCastException or FormatException)
        {
            Output(CtlFormat.Unexpected(e));
            ExitStatus = Generic;
            return false;
        }
    }

    bool Do(string command, string arg)
    {
        switch (command)
        {
            case "EOF" or "quit" or "exit": Output(""); return true;
            case "help": Help(arg); break;
            case "status": Status(arg); break;
            case "pid": Pid(arg); break;
            case "start": Start(arg); break;
            case "stop": Stop(arg); break;
            case "restart": Restart(arg); break;
            case "signal": Signal(arg); break;
            case "tail": Tail(arg); break;
            case "maintail": Maintail(arg); break;
            case "clear": Clear(arg); break;
            case "avail": Avail(arg); break;
            case "reread": Reread(arg); break;
            case "add": Add(arg); break;
            case "remove": Remove(arg); break;
            case "update": Update(arg); break;
            case "shutdown": Shutdown(arg); break;
            case "reload": Reload(arg); break;
            case "version": Version(arg); break;
            case "open": Open(arg); break;
            case "fg": Fg(arg); break;
        }
        return false;
    }

    static string[] Words(string arg) => arg.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    void HelpOf(string action) => Output(CtlHelp.Of(action)!);

    void Help(string arg)
    {
        if (arg.Length == 0) write(CtlHelp.Topics);
        else if (CtlHelp.Of(arg) is { } text) Output(text);
        else Output($"*** No help on {arg}");
    }

    /// <summary>supervisorctl's check that a supervisord with API 3.0 answers, before most commands.</summary>
    bool Upcheck()
    {
        try
        {
            var api = Rpc.Call("supervisor.getVersion");
            if (api is not "3.0")
            {
                Output($"Sorry, this version of supervisorctl expects to talk to a server with API version 3.0, but the remote version is {CtlFormat.Text(api)}.");
                ExitStatus = NotInstalled;
                return false;
            }
        }
        catch (XmlRpcFault e) when (e.Code == Faults.UnknownMethod)
        {
            Output("Sorry, supervisord responded but did not recognize the supervisor namespace commands that supervisorctl uses to control it.  Please check that the [rpcinterface:supervisor] section is enabled in the configuration file (see sample.conf).");
            ExitStatus = Unimplemented;
            return false;
        }
        catch (XmlRpcFault)
        {
            ExitStatus = Generic;
            throw;
        }
        catch (RpcConnectionError e) when (e.Errno is RpcConnectionError.Refused or RpcConnectionError.NoFile)
        {
            Output(e.Errno == RpcConnectionError.Refused ? $"{settings.ServerUrl} refused connection" : $"{settings.ServerUrl} no such file");
            ExitStatus = e.Errno == RpcConnectionError.Refused ? InsufficientPrivileges : NotRunningStatus;
            return false;
        }
        catch (RpcConnectionError)
        {
            ExitStatus = Generic;
            throw;
        }
        return true;
    }

    /// <summary>A result's fault code as the exit status: success or the ignored code leave it, a dead program is 7, else 1.</summary>
    void ExitFrom(int code, int? ignored = null)
    {
        if (code == ignored || code == Faults.Success) return;
        ExitStatus = code is Faults.SpawnError or Faults.AbnormalTermination or Faults.NotRunning ? NotRunningStatus : Generic;
    }

    static IReadOnlyList<XmlRpcStruct> Structs(object? value) => ((IReadOnlyList<object?>)value!).Cast<XmlRpcStruct>().ToList();

    static string Namespec(XmlRpcStruct r) => CtlFormat.Namespec(CtlFormat.Text(r["group"]), CtlFormat.Text(r["name"]));

    static int Code(XmlRpcStruct r) => (int)r["status"]!;

    void Status(string arg)
    {
        if (!Upcheck())
        {
            ExitStatus = StatusUnknown;
            return;
        }
        var all = Structs(Rpc.Call("supervisor.getAllProcessInfo"));
        var names = Words(arg);
        var matching = new List<XmlRpcStruct>();
        if (names.Length == 0 || names.Contains("all")) matching.AddRange(all);
        else
        {
            foreach (var name in names)
            {
                var (group, process) = CtlFormat.SplitNamespec(name);
                var found = all.Where(i => CtlFormat.Text(i["group"]) == group && (process is null || CtlFormat.Text(i["name"]) == process)).ToList();
                matching.AddRange(found);
                if (found.Count > 0) continue;
                Output(process is null ? $"{group}: ERROR (no such group)" : $"{name}: ERROR (no such process)");
                ExitStatus = StatusUnknown;
            }
        }
        foreach (var line in CtlFormat.StatusLines(matching)) Output(line);
        if (matching.Any(i => ProcessStates.IsStopped((int)i["state"]!))) ExitStatus = StatusNotRunning;
    }

    void Pid(string arg)
    {
        if (!Upcheck()) return;
        var names = Words(arg);
        if (names.Length == 0)
        {
            Output(CtlFormat.Text(Rpc.Call("supervisor.getPID")));
            return;
        }
        if (names.Contains("all"))
        {
            foreach (var info in Structs(Rpc.Call("supervisor.getAllProcessInfo"))) Output(CtlFormat.Text(info["pid"]));
            return;
        }
        foreach (var name in names)
        {
            try
            {
                var pid = ((XmlRpcStruct)Rpc.Call("supervisor.getProcessInfo", name)!)["pid"];
                Output(CtlFormat.Text(pid));
                if (pid is 0) ExitStatus = NotRunningStatus;
            }
            catch (XmlRpcFault e)
            {
                ExitStatus = Generic;
                if (e.Code != Faults.BadName) throw;
                Output($"No such process {name}");
            }
        }
    }

    void Start(string arg)
    {
        if (!Upcheck()) return;
        var names = Words(arg);
        if (names.Length == 0)
        {
            Output("Error: start requires a process name");
            ExitStatus = InvalidArgs;
            HelpOf("start");
            return;
        }
        if (names.Contains("all"))
        {
            foreach (var r in Structs(Rpc.Call("supervisor.startAllProcesses")))
            {
                Output(CtlFormat.StartResult(Namespec(r), Code(r)));
                ExitFrom(Code(r), Faults.AlreadyStarted);
            }
            return;
        }
        foreach (var name in names)
        {
            var (group, process) = CtlFormat.SplitNamespec(name);
            if (process is null)
            {
                try
                {
                    foreach (var r in Structs(Rpc.Call("supervisor.startProcessGroup", group)))
                    {
                        Output(CtlFormat.StartResult(Namespec(r), Code(r)));
                        ExitFrom(Code(r), Faults.AlreadyStarted);
                    }
                }
                catch (XmlRpcFault e)
                {
                    if (e.Code != Faults.BadName)
                    {
                        ExitStatus = Generic;
                        throw;
                    }
                    Output($"{group}: ERROR (no such group)");
                    ExitStatus = InvalidArgs;
                }
                continue;
            }
            try
            {
                Rpc.Call("supervisor.startProcess", name);
                Output($"{CtlFormat.Namespec(group, process)}: started");
            }
            catch (XmlRpcFault e)
            {
                Output(CtlFormat.StartResult(CtlFormat.Namespec(group, process), e.Code));
                ExitFrom(e.Code, Faults.AlreadyStarted);
            }
        }
    }

    void Stop(string arg)
    {
        if (!Upcheck()) return;
        var names = Words(arg);
        if (names.Length == 0)
        {
            Output("Error: stop requires a process name");
            ExitStatus = Generic;
            HelpOf("stop");
            return;
        }
        if (names.Contains("all"))
        {
            foreach (var r in Structs(Rpc.Call("supervisor.stopAllProcesses")))
            {
                Output(CtlFormat.SignalResult(Namespec(r), Code(r), CtlFormat.Text(r["description"]), "stopped"));
                ExitFrom(Code(r), Faults.NotRunning);
            }
            return;
        }
        foreach (var name in names)
        {
            var (group, process) = CtlFormat.SplitNamespec(name);
            if (process is null)
            {
                try
                {
                    foreach (var r in Structs(Rpc.Call("supervisor.stopProcessGroup", group)))
                    {
                        Output(CtlFormat.SignalResult(Namespec(r), Code(r), CtlFormat.Text(r["description"]), "stopped"));
                        ExitFrom(Code(r), Faults.NotRunning);
                    }
                }
                catch (XmlRpcFault e)
                {
                    ExitStatus = Generic;
                    if (e.Code != Faults.BadName) throw;
                    Output($"{group}: ERROR (no such group)");
                }
                continue;
            }
            try
            {
                Rpc.Call("supervisor.stopProcess", name);
                Output($"{CtlFormat.Namespec(group, process)}: stopped");
            }
            catch (XmlRpcFault e)
            {
                Output(CtlFormat.SignalResult(CtlFormat.Namespec(group, process), e.Code, e.Message, "stopped"));
                ExitFrom(e.Code, Faults.NotRunning);
            }
        }
    }

    void Restart(string arg)
    {
        if (!Upcheck()) return;
        if (Words(arg).Length == 0)
        {
            Output("Error: restart requires a process name");
            ExitStatus = Generic;
            HelpOf("restart");
            return;
        }
        Stop(arg);
        Start(arg);
    }

    void Signal(string arg)
    {
        if (!Upcheck()) return;
        var words = Words(arg);
        if (words.Length < 2)
        {
            Output("Error: signal requires a signal name and a process name");
            HelpOf("signal");
            ExitStatus = Generic;
            return;
        }
        var (signal, names) = (words[0], words[1..]);
        if (names.Contains("all"))
        {
            foreach (var r in Structs(Rpc.Call("supervisor.signalAllProcesses", signal)))
            {
                Output(CtlFormat.SignalResult(Namespec(r), Code(r), CtlFormat.Text(r["description"])));
                ExitFrom(Code(r));
            }
            return;
        }
        foreach (var name in names)
        {
            var (group, process) = CtlFormat.SplitNamespec(name);
            if (process is null)
            {
                try
                {
                    foreach (var r in Structs(Rpc.Call("supervisor.signalProcessGroup", group, signal)))
                    {
                        Output(CtlFormat.SignalResult(Namespec(r), Code(r), CtlFormat.Text(r["description"])));
                        ExitFrom(Code(r));
                    }
                }
                catch (XmlRpcFault e) when (e.Code == Faults.BadName)
                {
                    Output($"{group}: ERROR (no such group)");
                    ExitStatus = Generic;
                }
                continue;
            }
            try
            {
                Rpc.Call("supervisor.signalProcess", name, signal);
                Output($"{CtlFormat.Namespec(group, process)}: signalled");
            }
            catch (XmlRpcFault e)
            {
                Output(CtlFormat.SignalResult(CtlFormat.Namespec(group, process), e.Code, e.Message));
                ExitFrom(e.Code);
            }
        }
    }

    void Tail(string arg)
    {
        if (!Upcheck()) return;
        var args = Words(arg).ToList();
        if (args.Count is < 1 or > 3)
        {
            Output(args.Count < 1 ? "Error: too few arguments" : "Error: too many arguments");
            ExitStatus = Generic;
            HelpOf("tail");
            return;
        }
        string? modifier = null;
        if (args[0].StartsWith('-'))
        {
            modifier = args[0];
            args.RemoveAt(0);
        }
        string name, channel;
        if (args.Count == 1) (name, channel) = (args[0], "stdout");
        else if (args.Count == 0)
        {
            Output("Error: tail requires process name");
            ExitStatus = Generic;
            return;
        }
        else
        {
            (name, channel) = (args[0], args[^1].ToLowerInvariant());
            if (channel is not ("stderr" or "stdout"))
            {
                Output($"Error: bad channel {CtlFormat.PythonRepr(channel)}");
                ExitStatus = Generic;
                return;
            }
        }
        int? bytes = 1600;
        if (modifier is not null)
        {
            if (modifier[1..] == "f") bytes = null;
            else if (PythonInt(modifier[1..]) is { } n) bytes = n;
            else
            {
                Output($"Error: bad argument {modifier}");
                ExitStatus = Generic;
                return;
            }
        }
        if (bytes is not { } count)
        {
            Follow($"/logtail/{name}/{channel}");
            return;
        }
        try
        {
            var method = channel == "stdout" ? "supervisor.readProcessStdoutLog" : "supervisor.readProcessStderrLog";
            Output(CtlFormat.Text(Rpc.Call(method, name, -count, 0)));
        }
        catch (XmlRpcFault e) when (e.Code is Faults.NoFile or Faults.Failed or Faults.BadName)
        {
            ExitStatus = Generic;
            Output($"{name}: ERROR ({(e.Code == Faults.NoFile ? "no log file" : e.Code == Faults.Failed ? "unknown error reading log" : "no such process name")})");
        }
        catch (XmlRpcFault)
        {
            ExitStatus = Generic;
            throw;
        }
    }

    /// <summary>Python's int() of a command word: optional sign, digits (underscores between them allowed), surrounding blanks.</summary>
    static int? PythonInt(string text)
    {
        var t = text.Trim();
        if (t.Length == 0 || t.StartsWith('_') || t.EndsWith('_') || t.Contains("__")) return null;
        return int.TryParse(t.Replace("_", ""), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    void Follow(string path)
    {
        Output("==> Press Ctrl-C to exit <==");
        if (Rpc.Follow(path)) Output("");
    }

    void Maintail(string arg)
    {
        if (!Upcheck()) return;
        var args = Words(arg);
        var bytes = 1600;
        if (args.Length > 1)
        {
            Output("Error: too many arguments");
            ExitStatus = Generic;
            HelpOf("maintail");
            return;
        }
        if (args.Length == 1)
        {
            if (args[0] == "-f")
            {
                Follow("/mainlogtail");
                return;
            }
            if (!args[0].StartsWith('-') || PythonInt(args[0][1..]) is not { } n)
            {
                Output($"Error: bad argument {args[0]}");
                ExitStatus = Generic;
                return;
            }
            bytes = n;
        }
        try
        {
            Output(CtlFormat.Text(Rpc.Call("supervisor.readLog", -bytes, 0)));
        }
        catch (XmlRpcFault e)
        {
            ExitStatus = Generic;
            if (e.Code is not (Faults.NoFile or Faults.Failed)) throw;
            Output($"supervisord: ERROR ({(e.Code == Faults.NoFile ? "no log file" : "unknown error reading log")})");
        }
    }

    void Clear(string arg)
    {
        if (!Upcheck()) return;
        var names = Words(arg);
        if (names.Length == 0)
        {
            Output("Error: clear requires a process name");
            ExitStatus = Generic;
            HelpOf("clear");
            return;
        }
        if (names.Contains("all"))
        {
            foreach (var r in Structs(Rpc.Call("supervisor.clearAllProcessLogs")))
            {
                Output(CtlFormat.ClearResult(Namespec(r), Code(r)));
                ExitFrom(Code(r));
            }
            return;
        }
        foreach (var name in names)
        {
            var (group, process) = CtlFormat.SplitNamespec(name);
            var namespec = CtlFormat.Namespec(group, process ?? "None");
            try
            {
                Rpc.Call("supervisor.clearProcessLogs", name);
                Output($"{namespec}: cleared");
            }
            catch (XmlRpcFault e)
            {
                Output(CtlFormat.ClearResult(namespec, e.Code));
                ExitFrom(e.Code);
            }
        }
    }

    bool NoArguments(string command, string arg)
    {
        if (arg.Length == 0) return true;
        Output($"Error: {command} accepts no arguments");
        ExitStatus = Generic;
        HelpOf(command);
        return false;
    }

    void Avail(string arg)
    {
        if (!NoArguments("avail", arg)) return;
        try
        {
            foreach (var info in Structs(Rpc.Call("supervisor.getAllConfigInfo"))) Output(CtlFormat.AvailLine(info));
        }
        catch (XmlRpcFault e)
        {
            ExitStatus = Generic;
            if (e.Code != Faults.ShutdownState) throw;
            Output("ERROR: supervisor shutting down");
        }
    }

    static (List<string> Added, List<string> Changed, List<string> Removed) Changes(object? result)
    {
        var lists = ((IReadOnlyList<object?>)((IReadOnlyList<object?>)result!)[0]!).Select(l => ((IReadOnlyList<object?>)l!).Select(CtlFormat.Text).ToList()).ToList();
        return (lists[0], lists[1], lists[2]);
    }

    void Reread(string arg)
    {
        if (!NoArguments("reread", arg)) return;
        try
        {
            var (added, changed, removed) = Changes(Rpc.Call("supervisor.reloadConfig"));
            foreach (var line in CtlFormat.Changes(added, changed, removed)) Output(line);
        }
        catch (XmlRpcFault e)
        {
            ExitStatus = Generic;
            if (e.Code == Faults.ShutdownState) Output("ERROR: supervisor shutting down");
            else if (e.Code == Faults.CantReread) Output($"ERROR: {e.Message}");
            else throw;
        }
    }

    void Add(string arg)
    {
        foreach (var name in Words(arg))
        {
            try
            {
                Rpc.Call("supervisor.addProcessGroup", name);
                Output($"{name}: added process group");
            }
            catch (XmlRpcFault e)
            {
                switch (e.Code)
                {
                    case Faults.ShutdownState: Output("ERROR: shutting down"); ExitStatus = Generic; break;
                    case Faults.AlreadyAdded: Output("ERROR: process group already active"); break;
                    case Faults.BadName: Output($"ERROR: no such process/group: {name}"); ExitStatus = Generic; break;
                    default: ExitStatus = Generic; throw;
                }
            }
        }
    }

    void Remove(string arg)
    {
        foreach (var name in Words(arg))
        {
            try
            {
                Rpc.Call("supervisor.removeProcessGroup", name);
                Output($"{name}: removed process group");
            }
            catch (XmlRpcFault e)
            {
                ExitStatus = Generic;
                if (e.Code == Faults.StillRunning) Output($"ERROR: process/group still running: {name}");
                else if (e.Code == Faults.BadName) Output($"ERROR: no such process/group: {name}");
                else throw;
            }
        }
    }

    void Update(string arg)
    {
        (List<string> Added, List<string> Changed, List<string> Removed) changes;
        try
        {
            changes = Changes(Rpc.Call("supervisor.reloadConfig"));
        }
        catch (XmlRpcFault e)
        {
            ExitStatus = Generic;
            if (e.Code != Faults.ShutdownState) throw;
            Output("ERROR: already shutting down");
            return;
        }
        var (added, changed, removed) = changes;
        var valid = Words(arg).Distinct().ToList();
        if (valid.Contains("all")) valid.Clear();
        if (valid.Count > 0)
        {
            var groups = Structs(Rpc.Call("supervisor.getAllProcessInfo")).Select(i => CtlFormat.Text(i["group"])).Concat(added).ToHashSet();
            foreach (var g in valid.Where(g => !groups.Contains(g)))
            {
                Output($"ERROR: no such group: {g}");
                ExitStatus = Generic;
            }
        }
        bool Wanted(string g) => valid.Count == 0 || valid.Contains(g);
        foreach (var g in removed.Where(Wanted))
        {
            var results = Structs(Rpc.Call("supervisor.stopProcessGroup", g));
            Output($"{g}: stopped");
            if (results.Any(r => Code(r) == Faults.Failed))
            {
                Output($"{g}: has problems; not removing");
                ExitStatus = Generic;
                continue;
            }
            Rpc.Call("supervisor.removeProcessGroup", g);
            Output($"{g}: removed process group");
        }
        foreach (var g in changed.Where(Wanted))
        {
            Rpc.Call("supervisor.stopProcessGroup", g);
            Output($"{g}: stopped");
            Rpc.Call("supervisor.removeProcessGroup", g);
            Rpc.Call("supervisor.addProcessGroup", g);
            Output($"{g}: updated process group");
        }
        foreach (var g in added.Where(Wanted))
        {
            Rpc.Call("supervisor.addProcessGroup", g);
            Output($"{g}: added process group");
        }
    }

    /// <summary>In the shell, shutdown and reload ask first; end of input is a no.</summary>
    bool Confirmed(string question) => !settings.Interactive || (ask(question) is { } answer && answer.ToLowerInvariant().StartsWith('y'));

    void Shutdown(string arg)
    {
        if (!NoArguments("shutdown", arg)) return;
        if (!Confirmed("Really shut the remote supervisord process down y/N? ")) return;
        try
        {
            Rpc.Call("supervisor.shutdown");
            Output("Shut down");
        }
        catch (XmlRpcFault e)
        {
            if (e.Code != Faults.ShutdownState)
            {
                ExitStatus = Generic;
                throw;
            }
            Output("ERROR: already shutting down");
        }
        catch (RpcConnectionError e)
        {
            ExitStatus = Generic;
            if (e.Errno == RpcConnectionError.Refused) Output($"ERROR: {settings.ServerUrl} refused connection (already shut down?)");
            else if (e.Errno == RpcConnectionError.NoFile) Output($"ERROR: {settings.ServerUrl} no such file (already shut down?)");
            else throw;
        }
    }

    void Reload(string arg)
    {
        if (!NoArguments("reload", arg)) return;
        if (!Confirmed("Really restart the remote supervisord process y/N? ")) return;
        try
        {
            Rpc.Call("supervisor.restart");
            Output("Restarted supervisord");
        }
        catch (XmlRpcFault e)
        {
            ExitStatus = Generic;
            if (e.Code != Faults.ShutdownState) throw;
            Output("ERROR: already shutting down");
        }
    }

    void Version(string arg)
    {
        if (!NoArguments("version", arg)) return;
        if (!Upcheck()) return;
        Output(CtlFormat.Text(Rpc.Call("supervisor.getSupervisorVersion")));
    }

    void Open(string arg)
    {
        var colon = arg.IndexOf(':');
        var scheme = colon > 0 ? arg[..colon].ToLowerInvariant() : "";
        if (scheme is not ("unix" or "http"))
        {
            Output("ERROR: url must be http:// or unix://");
            ExitStatus = Generic;
            return;
        }
        settings = settings with { ServerUrl = arg };
        var saved = ExitStatus;
        Status("");
        ExitStatus = saved;
    }

    /// <summary>fg connects the terminal to a process's stdin; Corral never connects a service's stdin (docs/supervisorctl.md).</summary>
    void Fg(string arg)
    {
        if (!Upcheck()) return;
        var names = Words(arg);
        if (names.Length != 1)
        {
            Output(names.Length == 0 ? "ERROR: no process name supplied" : "ERROR: too many process names supplied");
            ExitStatus = Generic;
            if (names.Length == 0) HelpOf("fg");
            return;
        }
        XmlRpcStruct info;
        try
        {
            info = (XmlRpcStruct)Rpc.Call("supervisor.getProcessInfo", names[0])!;
        }
        catch (XmlRpcFault e)
        {
            if (e.Code == Faults.BadName)
            {
                Output("ERROR: bad process name supplied");
                ExitStatus = Generic;
            }
            else Output($"ERROR: <Fault {e.Code}: {CtlFormat.PythonRepr(e.Message)}>");
            return;
        }
        if (info["state"] is not ProcessStates.Running)
        {
            Output("ERROR: process not running");
            ExitStatus = Generic;
            return;
        }
        Output("ERROR: fg is not supported by Corral's supervisorctl (a service's stdin is not connected)");
        ExitStatus = Generic;
    }
}
