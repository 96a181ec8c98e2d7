using System.Globalization;
using System.Text;

namespace Corral.Core.Compat.Supervisord;

/// <summary>
/// What supervisorctl 4.2 prints, from the values supervisord's XML-RPC returns: the status
/// table, avail's table, the one-line results of start/stop/signal/clear, reread's changes,
/// and Python's one-line report of an exception it did not expect. Pure: tested against the
/// real supervisorctl's output (docs/supervisorctl.md, "The supervisorctl personality").
/// </summary>
public static class CtlFormat
{
    /// <summary>supervisord's namespec: the name alone when it is its own group.</summary>
    public static string Namespec(string group, string name) => group == name ? name : $"{group}:{name}";

    /// <summary>"g:*" or "g:" is the group (process null), "g:p" one process, "p" the process p of group p.</summary>
    public static (string Group, string? Process) SplitNamespec(string namespec)
    {
        var colon = namespec.IndexOf(':');
        if (colon < 0) return (namespec, namespec);
        var process = namespec[(colon + 1)..];
        return (namespec[..colon], process is "" or "*" ? null : process);
    }

    /// <summary>The status table: names padded to the longest (at least 30) plus 3, states to 10.</summary>
    public static IEnumerable<string> StatusLines(IReadOnlyList<XmlRpcStruct> infos)
    {
        var names = infos.Select(i => Namespec(Text(i["group"]), Text(i["name"]))).ToList();
        var width = Math.Max(30, names.Count == 0 ? 0 : names.Max(n => n.Length)) + 3;
        for (var i = 0; i < infos.Count; i++)
            yield return names[i].PadRight(width) + Text(infos[i]["statename"]).PadRight(10) + Text(infos[i]["description"]);
    }

    /// <summary>One line of avail: name, in use or avail, auto or manual, group:process priority.</summary>
    public static string AvailLine(XmlRpcStruct info) =>
        Namespec(Text(info["group"]), Text(info["name"])).PadRight(32) + " " +
        (Truthy(info["inuse"]) ? "in use" : "avail").PadRight(9) + " " +
        (Truthy(info["autostart"]) ? "auto" : "manual").PadRight(9) + " " +
        $"{Text(info["group_prio"])}:{Text(info["process_prio"])}";

    /// <summary>reread's report of reloadConfig's [[added, changed, removed]]: sorted by name.</summary>
    public static IEnumerable<string> Changes(IReadOnlyList<string> added, IReadOnlyList<string> changed, IReadOnlyList<string> removed)
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (names, word) in new[] { (added, "available"), (changed, "changed"), (removed, "disappeared") })
            foreach (var n in names) all[n] = word;
        if (all.Count == 0) return ["No config updates to processes"];
        return all.Keys.Order(StringComparer.Ordinal).Select(n => $"{n}: {all[n]}");
    }

    /// <summary>The result of a start, by supervisord's fault code (SUCCESS for a start that worked).</summary>
    public static string StartResult(string namespec, int code) => code switch
    {
        Faults.BadName => Error(namespec, "no such process"),
        Faults.NoFile => Error(namespec, "no such file"),
        Faults.NotExecutable => Error(namespec, "file is not executable"),
        Faults.AlreadyStarted => Error(namespec, "already started"),
        Faults.SpawnError => Error(namespec, "spawn error"),
        Faults.AbnormalTermination => Error(namespec, "abnormal termination"),
        Faults.Success => $"{namespec}: started",
        _ => throw new InvalidDataException($"Unknown result code {code} for {namespec}"),
    };

    /// <summary>The result of a stop ("stopped") or a signal ("signalled"); FAILED prints the fault's own words.</summary>
    public static string SignalResult(string namespec, int code, string description, string success = "signalled") => code switch
    {
        Faults.BadName => Error(namespec, "no such process"),
        Faults.BadSignal => Error(namespec, "bad signal name"),
        Faults.NotRunning => Error(namespec, "not running"),
        Faults.Success => $"{namespec}: {success}",
        Faults.Failed => description,
        _ => throw new InvalidDataException($"Unknown result code {code} for {namespec}"),
    };

    public static string ClearResult(string namespec, int code) => code switch
    {
        Faults.BadName => Error(namespec, "no such process"),
        Faults.Failed => Error(namespec, "failed"),
        Faults.Success => $"{namespec}: cleared",
        _ => throw new InvalidDataException($"Unknown result code {code} for {namespec}"),
    };

    static string Error(string name, string what) => $"{name}: ERROR ({what})";

    /// <summary>
    /// The line supervisorctl prints for an exception no command expects (its onecmd catches all):
    /// Python's class, message, and the innermost file and line, as Debian 12's Python 3.11 and
    /// supervisor 4.2.5 have them, so that scripts matching on the text see the same.
    /// </summary>
    public static string Unexpected(Exception e) => e switch
    {
        XmlRpcFault f => Python("xmlrpc.client.Fault", $"<Fault {f.Code}: {PythonRepr(f.Message)}>", "/usr/lib/python3.11/xmlrpc/client.py", 668),
        RpcHttpError h => Python("xmlrpc.client.ProtocolError", $"<ProtocolError for 127.0.0.1/RPC2: {h.Status} {h.Reason}>", "/usr/lib/python3/dist-packages/supervisor/xmlrpc.py", 539),
        RpcConnectionError { Errno: RpcConnectionError.NoFile } c => Python("FileNotFoundError", "[Errno 2] No such file or directory", ConnectFile(c), ConnectLine(c)),
        RpcConnectionError { Errno: RpcConnectionError.Refused } c => Python("ConnectionRefusedError", "[Errno 111] Connection refused", ConnectFile(c), ConnectLine(c)),
        RpcConnectionError c => Python("OSError", c.Message, ConnectFile(c), ConnectLine(c)),
        _ => Python(e.GetType().Name, e.Message, "supervisorctl", 0),
    };

    static string ConnectFile(RpcConnectionError c) => c.UnixSocket ? "/usr/lib/python3/dist-packages/supervisor/xmlrpc.py" : "/usr/lib/python3.11/socket.py";

    static int ConnectLine(RpcConnectionError c) => c.UnixSocket ? 557 : 836;

    static string Python(string type, string message, string file, int line) =>
        $"error: <class '{type}'>, {message}: file: {file} line: {line.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Python's repr of a str: single quotes unless the text has one and no double quote.</summary>
    public static string PythonRepr(string s)
    {
        var quote = s.Contains('\'') && !s.Contains('"') ? '"' : '\'';
        var b = new StringBuilder().Append(quote);
        foreach (var c in s)
        {
            switch (c)
            {
                case '\\': b.Append(@"\\"); break;
                case '\n': b.Append(@"\n"); break;
                case '\r': b.Append(@"\r"); break;
                case '\t': b.Append(@"\t"); break;
                default:
                    if (c == quote) b.Append('\\');
                    b.Append(c);
                    break;
            }
        }
        return b.Append(quote).ToString();
    }

    /// <summary>A value as Python's str() prints it (ints, strings; True/False).</summary>
    public static string Text(object? value) => value switch
    {
        null => "None",
        string s => s,
        bool b => b ? "True" : "False",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public static bool Truthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        int i => i != 0,
        long l => l != 0,
        string s => s.Length > 0,
        _ => true,
    };
}
