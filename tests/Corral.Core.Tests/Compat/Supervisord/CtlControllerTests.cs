using Corral.Core.Compat.Supervisord;

namespace Corral.Core.Tests.Compat.Supervisord;

/// <summary>
/// supervisorctl's commands on a scripted server; the expected lines are the real
/// supervisorctl 4.2.5's output for the same answers, captured live (tests/Corral.Tests'
/// SupervisorctlPersonalityTests compares the two end to end).
/// </summary>
public class CtlControllerTests
{
    sealed class Scripted(Func<string, object?[], object?> answer) : ISupervisorRpc
    {
        public List<string> Calls { get; } = [];

        public object? Call(string method, params object?[] parameters)
        {
            Calls.Add(method);
            return method == "supervisor.getVersion" ? "3.0" : answer(method, parameters);
        }

        public bool Follow(string path) => false;
    }

    static XmlRpcStruct Info(string group, string name, int state, string desc, int pid = 0) => new()
    {
        ["name"] = name, ["group"] = group, ["state"] = state, ["statename"] = ProcessStates.Name(state), ["description"] = desc, ["pid"] = pid,
    };

    static (string Output, int Exit) Run(string line, Func<string, object?[], object?> answer)
    {
        var output = new System.Text.StringBuilder();
        var c = new CtlController(new CtlSettings("unix:///run/x.sock"), _ => new Scripted(answer), s => output.Append(s), _ => null);
        c.OneCmd(line);
        return (output.ToString(), c.ExitStatus);
    }

    static readonly List<object?> infos =
    [
        Info("failer", "failer", ProcessStates.Exited, "exited with code 3"),
        Info("sleeper", "sleeper", ProcessStates.Running, "pid 42, uptime 0:00:03", 42),
        Info("workers", "ticker", ProcessStates.Running, "pid 43, uptime 0:00:03", 43),
    ];

    [Fact]
    public void Status_pads_names_to_33_and_states_to_10_and_exits_3_when_one_is_stopped()
    {
        var (output, exit) = Run("status", (_, _) => infos);
        Assert.Equal(
            "failer                           EXITED    exited with code 3\n" +
            "sleeper                          RUNNING   pid 42, uptime 0:00:03\n" +
            "workers:ticker                   RUNNING   pid 43, uptime 0:00:03\n", output);
        Assert.Equal(3, exit);
    }

    [Fact]
    public void Status_of_unknown_names_says_so_first_and_exits_4()
    {
        var (output, exit) = Run("status sleeper nosuch nogroup:*", (_, _) => infos);
        Assert.Equal("nosuch: ERROR (no such process)\nnogroup: ERROR (no such group)\nsleeper                          RUNNING   pid 42, uptime 0:00:03\n", output);
        Assert.Equal(4, exit);
    }

    [Fact]
    public void Start_of_one_reports_faults_in_supervisorctls_words_and_exit_codes()
    {
        Assert.Equal(("nosuch: ERROR (no such process)\n", 1), Run("start nosuch", (_, _) => throw Faults.Of(Faults.BadName, "nosuch")));
        Assert.Equal(("sleeper: ERROR (already started)\n", 0), Run("start sleeper", (_, _) => throw Faults.Of(Faults.AlreadyStarted, "sleeper")));
        Assert.Equal(("sleeper: ERROR (spawn error)\n", 7), Run("start sleeper", (_, _) => throw Faults.Of(Faults.SpawnError, "sleeper")));
        Assert.Equal(("workers:ticker: started\n", 0), Run("start workers:ticker", (_, _) => true));
    }

    [Fact]
    public void A_missing_socket_is_reported_with_the_url_and_status_exits_4_others_7()
    {
        var output = new System.Text.StringBuilder();
        var c = new CtlController(new CtlSettings("unix:///run/x.sock"), _ => new Unreachable(), s => output.Append(s), _ => null);
        c.OneCmd("status");
        Assert.Equal(("unix:///run/x.sock no such file\n", 4), (output.ToString(), c.ExitStatus));
        var avail = new CtlController(new CtlSettings("unix:///run/x.sock"), _ => new Unreachable(), s => output.Clear().Append(s), _ => null);
        avail.OneCmd("avail");
        Assert.Equal("error: <class 'FileNotFoundError'>, [Errno 2] No such file or directory: file: /usr/lib/python3/dist-packages/supervisor/xmlrpc.py line: 557\n", output.ToString());
        Assert.Equal(1, avail.ExitStatus);
    }

    sealed class Unreachable : ISupervisorRpc
    {
        public object? Call(string method, params object?[] parameters) => throw new RpcConnectionError(RpcConnectionError.NoFile, "gone", true);

        public bool Follow(string path) => false;
    }

    [Fact]
    public void Avail_and_reread_print_supervisorctls_tables()
    {
        var config = new List<object?> { new XmlRpcStruct { ["name"] = "ticker", ["group"] = "workers", ["inuse"] = true, ["autostart"] = true, ["group_prio"] = 999, ["process_prio"] = 999 } };
        Assert.Equal(("workers:ticker                   in use    auto      999:999\n", 0), Run("avail", (_, _) => config));
        List<object?> changes = [new List<object?> { new List<object?> { "extra" }, new List<object?>(), new List<object?> { "gone" } }];
        Assert.Equal(("extra: available\ngone: disappeared\n", 0), Run("reread", (_, _) => changes));
    }

    [Fact]
    public void Unknown_words_are_unknown_syntax_and_help_prints_the_topics()
    {
        Assert.Equal(("*** Unknown syntax: frobnicate x\n", 1), Run("frobnicate x", (_, _) => null));
        Assert.StartsWith("\ndefault commands (type help <topic>):\n", Run("help", (_, _) => null).Output);
        Assert.Equal(("*** No help on nosuch\n", 0), Run("help nosuch", (_, _) => null));
    }

    [Fact]
    public void Options_end_at_the_first_command_word_and_the_config_section_supplies_the_url()
    {
        var (request, _, _) = CtlOptions.Parse(["-c", "/etc/s.conf", "status", "-s", "x"]);
        Assert.Equal("/etc/s.conf", request!.ConfigFile);
        Assert.Equal(["status", "-s", "x"], request.Command);
        Assert.Equal("option -x not recognized", CtlOptions.Parse(["-x"]).Error);
        var (settings, error) = CtlOptions.Settings(request, "/etc/s.conf", "[supervisorctl]\nserverurl=unix://%(here)s/../run/s.sock\n", new Dictionary<string, string>(), "/");
        Assert.Null(error);
        Assert.Equal("unix:///run/s.sock", settings!.ServerUrl);
        Assert.Equal(".ini file does not include supervisorctl section", CtlOptions.Settings(request, "/etc/s.conf", "[supervisord]\n", new Dictionary<string, string>(), "/").Error);
    }

    [Fact]
    public void A_response_and_a_fault_are_read_back_from_xml()
    {
        Assert.Equal("3.0", XmlRpcCodec.ParseResponse(XmlRpcCodec.Response("3.0")));
        var fault = Assert.Throws<XmlRpcFault>(() => XmlRpcCodec.ParseResponse(XmlRpcCodec.Fault(10, "BAD_NAME: x")));
        Assert.Equal((10, "BAD_NAME: x"), (fault.Code, fault.Message));
        var (method, parameters) = XmlRpcCodec.ParseCall(XmlRpcCodec.Call("supervisor.startProcess", ["a", true]));
        Assert.Equal("supervisor.startProcess", method);
        Assert.Equal(["a", true], parameters);
    }
}
