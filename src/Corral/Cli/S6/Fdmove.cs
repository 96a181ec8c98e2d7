using Corral.Core.Compat.S6;
using Corral.Os.Files;

namespace Corral.Cli.S6;

/// <summary><c>fdmove [-c] TO FROM PROG…</c>: FROM becomes TO (closed unless -c), then PROG runs.</summary>
public static class Fdmove
{
    const string Name = "fdmove";

    public static int Run(string[] args)
    {
        var (request, error) = FdmoveRequest.Parse(args);
        if (request is null) return S6Tools.Usage(Name, error!, FdmoveRequest.Usage);
        if (Descriptors.Move(request.From, request.To, request.Copy) is var errno and not 0)
            return S6Tools.Fatal(Name, $"unable to move fd {request.From} to fd {request.To}: {Os.Native.Errno.Describe(errno)}");
        return S6Tools.Exec(Name, S6Tools.Command(request.Command));
    }
}
