using Corral.Core.Compat.Supervisord;

namespace Corral.Core.Tests.Compat.Supervisord;

public class MethodsTests
{
    [Fact]
    public void Lists_the_methods_supervisord_4_2_5_lists()
    {
        // system.listMethods() in the golden transcript rpc_system.txt.
        string[] supervisord =
        [
            "supervisor.addProcessGroup", "supervisor.clearAllProcessLogs", "supervisor.clearLog", "supervisor.clearProcessLog",
            "supervisor.clearProcessLogs", "supervisor.getAPIVersion", "supervisor.getAllConfigInfo", "supervisor.getAllProcessInfo",
            "supervisor.getIdentification", "supervisor.getPID", "supervisor.getProcessInfo", "supervisor.getState",
            "supervisor.getSupervisorVersion", "supervisor.getVersion", "supervisor.readLog", "supervisor.readMainLog",
            "supervisor.readProcessLog", "supervisor.readProcessStderrLog", "supervisor.readProcessStdoutLog", "supervisor.reloadConfig",
            "supervisor.removeProcessGroup", "supervisor.restart", "supervisor.sendProcessStdin", "supervisor.sendRemoteCommEvent",
            "supervisor.shutdown", "supervisor.signalAllProcesses", "supervisor.signalProcess", "supervisor.signalProcessGroup",
            "supervisor.startAllProcesses", "supervisor.startProcess", "supervisor.startProcessGroup", "supervisor.stopAllProcesses",
            "supervisor.stopProcess", "supervisor.stopProcessGroup", "supervisor.tailProcessLog", "supervisor.tailProcessStderrLog",
            "supervisor.tailProcessStdoutLog", "system.listMethods", "system.methodHelp", "system.methodSignature", "system.multicall",
        ];
        Assert.Equal(supervisord, Methods.All.Select(m => m.Name));
        Assert.Equal(["boolean", "string", "boolean"], Methods.Find("supervisor.startProcess")!.Signature);
        Assert.Null(Methods.Find("supervisor._update"));
    }

    [Theory]
    [InlineData("supervisor.getProcessInfo", 0, false)]
    [InlineData("supervisor.getProcessInfo", 1, true)]
    [InlineData("supervisor.getProcessInfo", 2, false)]
    [InlineData("supervisor.startProcess", 1, true)]
    [InlineData("supervisor.startProcess", 2, true)]
    [InlineData("supervisor.stopAllProcesses", 0, true)]
    [InlineData("supervisor.readLog", 1, false)]
    [InlineData("supervisor.getAPIVersion", 1, false)]
    public void Wrong_numbers_of_parameters_are_INCORRECT_PARAMETERS(string method, int given, bool fine)
    {
        var m = Methods.Find(method)!;
        if (fine) Methods.CheckArity(m, given);
        else Assert.Equal(Faults.IncorrectParameters, Assert.Throws<XmlRpcFault>(() => Methods.CheckArity(m, given)).Code);
    }

    [Fact]
    public void Faults_are_worded_as_supervisord_words_them()
    {
        Assert.Equal("BAD_NAME: nosuch", Faults.Of(Faults.BadName, "nosuch").Message);
        Assert.Equal("UNKNOWN_METHOD", Faults.Of(Faults.UnknownMethod).Message);
        Assert.Equal(91, Faults.Of(Faults.StillRunning).Code);
    }
}
