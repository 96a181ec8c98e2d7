// Overview: every P/Invoke of Corral lives in this folder, one file per C header (the header its
// man page includes), with the C names so that the man pages apply. Errors come back as errno;
// Errno turns them into text once. Code outside Corral.Os calls the typed wrappers in the other
// folders of Corral.Os, never these; Errno (errno values and their words) is the one type of
// this folder it may use.
namespace Corral.Os.Native;

internal static class Libc
{
    public const string Name = "libc";
}
