using Corral.Core.Supervision.Services;

namespace Corral.Runtime;

/// <summary>An event listener's process wrote this on its stdout (the protocol: READY, RESULT …); read on the pump's thread, handled on the loop.</summary>
public sealed record ListenerOutput(string Service, int Pid, byte[] Data) : SupervisorEvent;
