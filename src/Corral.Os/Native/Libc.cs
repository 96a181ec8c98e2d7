// Overview: every P/Invoke of Corral lives in this folder, one file per C header (the header its
// man page includes), with the C names so that the man pages apply. Errors come back as errno;
// Errno turns them into text once. Code outside Corral.Os calls the typed wrappers, never these.
namespace Corral.Os.Native;

internal static class Libc
{
    public const string Name = "libc";
}
