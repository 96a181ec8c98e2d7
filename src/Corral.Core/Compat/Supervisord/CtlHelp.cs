namespace Corral.Core.Compat.Supervisord;

/// <summary>supervisorctl 4.2's help: the list of actions and each action's usage, as it prints them (user-visible strings kept for compatibility).</summary>
public static class CtlHelp
{
    public const string Usage = """
        supervisorctl -- control applications run by supervisord from the cmd line.

        Usage: {0} [options] [action [arguments]]

        Options:
        -c/--configuration FILENAME -- configuration file path (searches if not given)
        -h/--help -- print usage message and exit
        -i/--interactive -- start an interactive shell after executing commands
        -s/--serverurl URL -- URL on which supervisord server is listening
             (default "http://localhost:9001").
        -u/--username USERNAME -- username to use for authentication with server
        -p/--password PASSWORD -- password to use for authentication with server
        -r/--history-file -- keep a readline history (if readline is available)

        action [arguments] -- see below

        Actions are commands like "tail" or "stop".  If -i is specified or no action is
        specified on the command line, a "shell" interpreting actions typed
        interactively is started.  Use the action "help" to find out about available
        actions.


        """;

    /// <summary>`help` alone: Python's cmd module lays the actions out in columns.</summary>
    public const string Topics =
        "\ndefault commands (type help <topic>):\n=====================================\n" +
        "add    exit      open  reload  restart   start   tail   \n" +
        "avail  fg        pid   remove  shutdown  status  update \n" +
        "clear  maintail  quit  reread  signal    stop    version\n\n";

    /// <summary>`help ACTION`, without the final newline.</summary>
    public static string? Of(string action) => action switch
    {
        "add" => "add <name> [...]\tActivates any updates in config for process/group",
        "avail" => "avail\t\t\tDisplay all configured processes",
        "clear" => "clear <name>\t\tClear a process' log files.\nclear <name> <name>\tClear multiple process' log files\nclear all\t\tClear all process' log files",
        "exit" => "exit\tExit the supervisor shell.",
        "fg" => "fg <process>\tConnect to a process in foreground mode\n\t\tCtrl-C to exit",
        "help" => "help\t\tPrint a list of available actions\nhelp <action>\tPrint help for <action>",
        "maintail" => "maintail -f \tContinuous tail of supervisor main log file (Ctrl-C to exit)\nmaintail -100\tlast 100 *bytes* of supervisord main log file\nmaintail\tlast 1600 *bytes* of supervisor main log file\n",
        "open" => "open <url>\tConnect to a remote supervisord process.\n\t\t(for UNIX domain socket, use unix:///socket/path)",
        "pid" => "pid\t\t\tGet the PID of supervisord.\npid <name>\t\tGet the PID of a single child process by name.\npid all\t\t\tGet the PID of every child process, one per line.",
        "quit" => "quit\tExit the supervisor shell.",
        "reload" => "reload \t\tRestart the remote supervisord.",
        "remove" => "remove <name> [...]\tRemoves process/group from active config",
        "reread" => "reread \t\t\tReload the daemon's configuration files without add/remove",
        "restart" => "restart <name>\t\tRestart a process\nrestart <gname>:*\tRestart all processes in a group\nrestart <name> <name>\tRestart multiple processes or groups\nrestart all\t\tRestart all processes\nNote: restart does not reread config files. For that, see reread and update.",
        "shutdown" => "shutdown \tShut the remote supervisord down.",
        "signal" => "signal <signal name> <name>\t\tSignal a process\nsignal <signal name> <gname>:*\t\tSignal all processes in a group\nsignal <signal name> <name> <name>\tSignal multiple processes or groups\nsignal <signal name> all\t\tSignal all processes",
        "start" => "start <name>\t\tStart a process\nstart <gname>:*\t\tStart all processes in a group\nstart <name> <name>\tStart multiple processes or groups\nstart all\t\tStart all processes",
        "status" => "status <name>\t\tGet status for a single process\nstatus <gname>:*\tGet status for all processes in a group\nstatus <name> <name>\tGet status for multiple named processes\nstatus\t\t\tGet all process status info",
        "stop" => "stop <name>\t\tStop a process\nstop <gname>:*\t\tStop all processes in a group\nstop <name> <name>\tStop multiple processes or groups\nstop all\t\tStop all processes",
        "tail" => "tail [-f] <name> [stdout|stderr] (default stdout)\nEx:\ntail -f <name>\t\tContinuous tail of named process stdout\n\t\t\tCtrl-C to exit.\ntail -100 <name>\tlast 100 *bytes* of process stdout\ntail <name> stderr\tlast 1600 *bytes* of process stderr",
        "update" => "update\t\t\tReload config and add/remove as necessary, and will restart affected programs\nupdate all\t\tReload config and add/remove as necessary, and will restart affected programs\nupdate <gname> [...]\tUpdate specific groups",
        "version" => "version\t\t\tShow the version of the remote supervisord process",
        _ => null,
    };
}
