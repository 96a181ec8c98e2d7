// Overview: every P/Invoke of Corral lives in this folder, one file per C header, with the C
// names so that the man pages apply. Errors come back as errno; Errno turns them into text once.
namespace Corral.Os.Native;

internal static class Libc
{
    public const string Name = "libc";
}
