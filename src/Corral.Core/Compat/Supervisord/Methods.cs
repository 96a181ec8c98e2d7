namespace Corral.Core.Compat.Supervisord;

/// <summary>
/// The XML-RPC methods Corral answers, with supervisord's signatures (return type first) and
/// a line of help each: system.listMethods, methodSignature and methodHelp read this table,
/// and a name not in it is UNKNOWN_METHOD before anything else happens.
/// </summary>
public static class Methods
{
    public sealed record Method(string Name, string[] Signature, string Help);

    public static readonly IReadOnlyList<Method> All =
    [
        new("supervisor.addProcessGroup", ["boolean", "string"], "Update the config for a running process from config file."),
        new("supervisor.clearAllProcessLogs", ["array"], "Clear all process log files"),
        new("supervisor.clearLog", ["boolean"], "Clear the main log."),
        new("supervisor.clearProcessLog", ["boolean", "string"], "Clear the stdout and stderr logs for the named process and reopen them."),
        new("supervisor.clearProcessLogs", ["boolean", "string"], "Clear the stdout and stderr logs for the named process and reopen them."),
        new("supervisor.getAPIVersion", ["string"], "Return the version of the RPC API used by supervisord"),
        new("supervisor.getAllConfigInfo", ["array"], "Get info about all available process configurations."),
        new("supervisor.getAllProcessInfo", ["array"], "Get info about all processes"),
        new("supervisor.getIdentification", ["string"], "Return identifying string of supervisord"),
        new("supervisor.getPID", ["int"], "Return the PID of supervisord"),
        new("supervisor.getProcessInfo", ["struct", "string"], "Get info about a process named name"),
        new("supervisor.getState", ["struct"], "Return current state of supervisord as a struct"),
        new("supervisor.getSupervisorVersion", ["string"], "Return the version of the supervisor package in use by supervisord"),
        new("supervisor.getVersion", ["string"], "Return the version of the RPC API used by supervisord"),
        new("supervisor.readLog", ["string", "int", "int"], "Read length bytes from the main log starting at offset"),
        new("supervisor.readMainLog", ["string", "int", "int"], "Read length bytes from the main log starting at offset"),
        new("supervisor.readProcessLog", ["string", "string", "int", "int"], "Read length bytes from name's stdout log starting at offset"),
        new("supervisor.readProcessStderrLog", ["string", "string", "int", "int"], "Read length bytes from name's stderr log starting at offset"),
        new("supervisor.readProcessStdoutLog", ["string", "string", "int", "int"], "Read length bytes from name's stdout log starting at offset"),
        new("supervisor.reloadConfig", ["array"], "Reload the configuration."),
        new("supervisor.removeProcessGroup", ["boolean", "string"], "Remove a stopped process from the active configuration."),
        new("supervisor.restart", ["boolean"], "Restart the supervisor process"),
        new("supervisor.sendProcessStdin", ["boolean", "string", "string"], "Send a string of chars to the stdin of the process name."),
        new("supervisor.sendRemoteCommEvent", ["boolean", "string", "string"], "Send an event that will be received by event listener subprocesses subscribing to the RemoteCommunicationEvent."),
        new("supervisor.shutdown", ["boolean"], "Shut down the supervisor process"),
        new("supervisor.signalAllProcesses", ["array", "string"], "Send a signal to all processes in the process list"),
        new("supervisor.signalProcess", ["boolean", "string", "string"], "Send an arbitrary UNIX signal to the process named by name"),
        new("supervisor.signalProcessGroup", ["array", "string", "string"], "Send a signal to all processes in the group named 'name'"),
        new("supervisor.startAllProcesses", ["array", "boolean"], "Start all processes listed in the configuration file"),
        new("supervisor.startProcess", ["boolean", "string", "boolean"], "Start a process"),
        new("supervisor.startProcessGroup", ["array", "string", "boolean"], "Start all processes in the group named 'name'"),
        new("supervisor.stopAllProcesses", ["array", "boolean"], "Stop all processes in the process list"),
        new("supervisor.stopProcess", ["boolean", "string", "boolean"], "Stop a process named by name"),
        new("supervisor.stopProcessGroup", ["array", "string", "boolean"], "Stop all processes in the process group named 'name'"),
        new("supervisor.tailProcessLog", ["array", "string", "int", "int"], "Provides a more efficient way to tail the (stdout) log than readProcessStdoutLog."),
        new("supervisor.tailProcessStderrLog", ["array", "string", "int", "int"], "Provides a more efficient way to tail the (stderr) log than readProcessStderrLog."),
        new("supervisor.tailProcessStdoutLog", ["array", "string", "int", "int"], "Provides a more efficient way to tail the (stdout) log than readProcessStdoutLog."),
        new("system.listMethods", ["array"], "Return an array listing the available method names"),
        new("system.methodHelp", ["string", "string"], "Return a string showing the method's documentation"),
        new("system.methodSignature", ["array", "string"], "Return an array describing the method signature in the form [rtype, ptype, ptype...] where rtype is the return data type of the method, and ptypes are the parameter data types that the method accepts in method argument order."),
        new("system.multicall", ["array", "array"], "Process an array of calls, and return an array of results."),
    ];

    public static Method? Find(string name) => All.FirstOrDefault(m => m.Name == name);

    /// <summary>
    /// Checks the number of parameters against the signature (optional trailing booleans, such
    /// as startProcess's wait, may be left out): INCORRECT_PARAMETERS otherwise, as supervisord.
    /// </summary>
    public static void CheckArity(Method m, int given)
    {
        var max = m.Signature.Length - 1;
        var min = max;
        while (min > 0 && m.Signature[min] == "boolean") min--;
        if (given < min || given > max) throw Faults.Of(Faults.IncorrectParameters);
    }
}
