using System.Runtime.InteropServices;
using Corral.Os.Native;

namespace Corral.Os.Pid1;

/// <summary>
/// Corral's environment as the C library holds it: what children inherit untouched (the
/// runtime's Environment class keeps a separate copy).
/// </summary>
public static unsafe class ProcessEnvironment
{
    /// <summary>The environment as KEY=VALUE strings.</summary>
    public static List<string> Snapshot()
    {
        var list = new List<string>();
        var p = Environ.Current;
        for (var i = 0; p[i] != null; i++)
            list.Add(Marshal.PtrToStringUTF8((IntPtr)p[i]) ?? "");
        return list;
    }
}
