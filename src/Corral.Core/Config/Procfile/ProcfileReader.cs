using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Corral.Core.Model.Services;

namespace Corral.Core.Config.Procfile;

/// <summary>
/// How to run a Procfile, as foreman's and overmind's options say it: the formation
/// (<c>web=2,worker=1</c>, <c>all=N</c>), the base port (-p, else $PORT, else 5000), the
/// process types that may end without stopping the rest (--can-die), and the variables of the
/// .env file (already parsed).
/// </summary>
public sealed record ProcfileOptions
{
    public string? Formation { get; init; }
    public int BasePort { get; init; } = 5000;
    public ImmutableArray<string> CanDie { get; init; } = [];
    public ImmutableArray<KeyValuePair<string, string>> Environment { get; init; } = [];
}

/// <summary>
/// Overview: a Procfile as foreman reads it: one <c>name: command</c> per line (other lines are
/// ignored, as foreman ignores them), each command run by the shell. Each process type runs as
/// many copies as the formation says, named <c>web.1</c>, <c>web.2</c> … in the group
/// <c>web</c>, with foreman's PORT (base + 100 per process type in file order, + 1 per copy)
/// and PS (its name). Like foreman and overmind, the whole set stops when one process ends,
/// with its exit code, unless its type may die (--can-die). Nothing is restarted. Pure.
/// </summary>
public static partial class ProcfileReader
{
    /// <summary>The most copies of one process type a formation may ask for.</summary>
    public const int MaxCopies = 1000;

    public static (SupervisorConfig? Config, ImmutableArray<Diagnostic> Diagnostics) Read(string text, string fileName, ProcfileOptions options)
    {
        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        var types = new List<(string Name, string Command, int Line)>();
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (Entry().Match(lines[i]) is not { Success: true } m) continue;
            var name = m.Groups[1].Value;
            if (firstLine.TryGetValue(name, out var first))
            {
                diagnostics.Add(new Diagnostic(new SourceLocation(fileName, i + 1), name, $"process type '{name}' is defined twice (first on line {first})"));
                continue;
            }
            firstLine[name] = i + 1;
            types.Add((name, m.Groups[2].Value.Trim(), i + 1));
        }
        if (types.Count == 0)
            diagnostics.Add(new Diagnostic(new SourceLocation(fileName, 0), "", "no process types: a Procfile has lines like 'web: bundle exec rails server -p $PORT'"));

        var counts = Formation(options.Formation, types.Select(t => t.Name).ToList(), fileName, diagnostics);
        foreach (var canDie in options.CanDie.Where(c => types.All(t => t.Name != c)))
            diagnostics.Add(new Diagnostic(new SourceLocation(fileName, 0), "--can-die", $"'{canDie}' is not a process type of {fileName} ({string.Join(", ", types.Select(t => t.Name))})"));
        if (diagnostics.Any(d => d.Severity == Severity.Error)) return (null, diagnostics.ToImmutable());

        var services = new List<ServiceSpec>();
        for (var index = 0; index < types.Count; index++)
        {
            var (name, command, line) = types[index];
            var mayDie = options.CanDie.Contains(name);
            for (var copy = 1; copy <= counts[name]; copy++)
            {
                var process = $"{name}.{copy}";
                var port = options.BasePort + 100 * index + (copy - 1);
                services.Add(new ServiceSpec
                {
                    Name = process,
                    Command = [command],
                    Shell = true,
                    MemberOf = [name],
                    Restart = RestartPolicy.Never,
                    // foreman: one process ending ends them all, with its code.
                    Main = !mayDie,
                    Environment = [.. options.Environment, new("PORT", port.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("PS", process)],
                    Where = new SourceLocation(fileName, line),
                });
            }
        }
        return (new SupervisorConfig { Services = [.. services], Source = fileName }, diagnostics.ToImmutable());
    }

    /// <summary>How many copies of each type: 1 each by default; <c>all=N</c> for every type; <c>web=2,worker=0</c>.</summary>
    static Dictionary<string, int> Formation(string? formation, List<string> types, string fileName, ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        var counts = types.ToDictionary(t => t, _ => 1, StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(formation)) return counts;
        foreach (var part in formation.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0 || !int.TryParse(part.AsSpan(eq + 1), out var n) || n < 0)
            {
                diagnostics.Add(new Diagnostic(new SourceLocation(fileName, 0), "--formation", $"'{part}' is not TYPE=COUNT (e.g. web=2,worker=1 or all=2)"));
                continue;
            }
            // As corral ctl scale: a count of millions is a typo, and would be millions of services in memory.
            if (n > MaxCopies)
            {
                diagnostics.Add(new Diagnostic(new SourceLocation(fileName, 0), "--formation", $"'{part}': at most {MaxCopies} copies of a process type"));
                continue;
            }
            var type = part[..eq];
            if (type == "all") foreach (var t in types) counts[t] = n;
            else if (counts.ContainsKey(type)) counts[type] = n;
            else diagnostics.Add(new Diagnostic(new SourceLocation(fileName, 0), "--formation", $"'{type}' is not a process type of {fileName} ({string.Join(", ", types)})"));
        }
        return counts;
    }

    // foreman's pattern: a name of letters, digits, '_' or '-', a colon, the command.
    [GeneratedRegex(@"^([A-Za-z0-9_-]+):\s*(.+)$")]
    private static partial Regex Entry();
}
