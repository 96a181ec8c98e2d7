using System.Runtime.InteropServices;

namespace Corral.Os.Native;

/// <summary>
/// string.h: glibc's words for errno values and signals. (Named StringH, not String, so it
/// never shadows System.String where this namespace is imported.)
/// </summary>
public static partial class StringH
{
    [LibraryImport(Libc.Name, EntryPoint = "strerror")]
    public static partial IntPtr strerror(int errnum);

    [LibraryImport(Libc.Name, EntryPoint = "strsignal")]
    public static partial IntPtr strsignal(int sig);
}
