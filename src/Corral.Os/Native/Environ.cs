using System.Runtime.InteropServices;

namespace Corral.Os.Native;

/// <summary>
/// unistd.h's <c>environ</c>: the process environment as the C library holds it. Children
/// inherit this array untouched (the runtime's Environment class keeps a separate copy);
/// <see cref="Pid1.ProcessEnvironment"/> reads it as strings.
/// </summary>
/// <remarks>
/// <c>environ</c> is a variable, which a P/Invoke cannot bind, and loading libc.so.6 to look it
/// up fails in a static executable in a root without a C library. The runtime's own native shim,
/// linked in statically, returns the variable itself.
/// </remarks>
public static unsafe partial class Environ
{
    public static byte** Current => SystemNative_GetEnviron();

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_GetEnviron")]
    private static partial byte** SystemNative_GetEnviron();
}
