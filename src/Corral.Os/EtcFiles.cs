namespace Corral.Os;

/// <summary>
/// The text of /etc/passwd, /etc/group and /etc/hosts: the only account and host databases a
/// static Corral uses (no NSS). A missing or unreadable file reads as empty, as in a scratch image.
/// </summary>
public static class EtcFiles
{
    public static string Passwd => Read("/etc/passwd");
    public static string Group => Read("/etc/group");
    public static string Hosts => Read("/etc/hosts");

    static string Read(string path)
    {
        try { return File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ""; }
    }
}
