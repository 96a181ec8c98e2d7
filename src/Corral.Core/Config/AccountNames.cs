namespace Corral.Core.Config;

/// <summary>The names in the text of /etc/passwd or /etc/group: the first field of each "name:…" line.</summary>
public static class AccountNames
{
    public static IReadOnlySet<string> Parse(string text) =>
        text.Split('\n')
            .Select(line => line.TrimEnd('\r'))
            .Where(line => line.Length > 0 && line[0] != '#' && line.Contains(':'))
            .Select(line => line[..line.IndexOf(':')])
            .ToHashSet(StringComparer.Ordinal);
}
