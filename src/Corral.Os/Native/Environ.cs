using System.Runtime.InteropServices;

namespace Corral.Os.Native;

/// <summary>
/// unistd.h's <c>environ</c>: the process environment as the C library holds it. Children
/// inherit this array untouched (the runtime's Environment class keeps a separate copy).
/// </summary>
public static unsafe class Environ
{
    static byte*** location;

    /// <summary>The environment as KEY=VALUE strings.</summary>
    public static List<string> Snapshot()
    {
        var list = new List<string>();
        var p = Current;
        for (var i = 0; p[i] != null; i++)
            list.Add(Marshal.PtrToStringUTF8((IntPtr)p[i]) ?? "");
        return list;
    }

    public static byte** Current
    {
        get
        {
            if (location == null)
            {
                var libc = NativeLibrary.Load("libc.so.6");
                location = (byte***)NativeLibrary.GetExport(libc, "environ");
            }
            return *location;
        }
    }
}
