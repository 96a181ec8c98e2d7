using Corral.Core.Supervision.Services;

namespace Corral.Runtime;

/// <summary>A service with stdout_events_enabled (stderr_events_enabled) wrote this: a PROCESS_LOG event, handled on the loop.</summary>
public sealed record ProcessLogged(string Service, int Pid, bool Stderr, byte[] Data) : SupervisorEvent;
