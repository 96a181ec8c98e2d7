namespace Corral.Core.Compat.S6;

/// <summary>
/// <c>s6-svscanctl [-zabhitqnN0678] SCANDIR</c>: what s6-svscan would be told, for Corral: stop
/// everything and exit (t, q, b, 0, 6, 7, 8, s, p, the ways s6-overlay images end a container),
/// read the services again (a, h, n, N: a rescan is a reload), or nothing (z: reap, which
/// Corral always does).
/// </summary>
public sealed record SvscanctlRequest(SvscanctlAction Action, string ScanDir)
{
    public const string Usage = "s6-svscanctl: usage: s6-svscanctl [ -zabhitqnN0678 ] svscandir\n";

    public static (SvscanctlRequest? Request, string? Error) Parse(IReadOnlyList<string> args)
    {
        var read = Subgetopt.Parse(args, "zabhitqnNspr0678");
        if (read.Error is { } error) return (null, error);
        if (read.Rest.Length != 1) return (null, read.Rest.IsEmpty ? "no scan directory" : "one scan directory only");
        var action = SvscanctlAction.None;
        foreach (var (letter, _) in read.Options)
        {
            var next = letter switch
            {
                'a' or 'h' or 'n' or 'N' => SvscanctlAction.Reload,
                'z' or 'i' => SvscanctlAction.None,
                _ => SvscanctlAction.Shutdown,
            };
            if (next > action) action = next;
        }
        return (new SvscanctlRequest(action, read.Rest[0]), null);
    }
}
