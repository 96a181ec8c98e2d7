namespace Corral.Core.Model.Services;

/// <summary>Where a setting was written: file, line and column (1-based), for diagnostics.</summary>
public sealed record SourceLocation(string File, int Line, int Column = 0)
{
    public static readonly SourceLocation None = new("", 0);

    public override string ToString() => Line > 0 ? $"{File}:{Line}" : File;
}

public enum Severity { Error, Warning }

/// <summary>A problem found in a config: where, which field, and what is wrong.</summary>
public sealed record Diagnostic(SourceLocation Where, string Field, string Message, Severity Severity = Severity.Error)
{
    /// <summary>"corral.yaml:12: services.web.restart: unknown value 'sometimes' (always, on-failure, never)".</summary>
    public override string ToString() =>
        $"{Where}: {(Severity == Severity.Warning ? "warning: " : "")}{(Field.Length > 0 ? Field + ": " : "")}{Message}";

    /// <summary>In the order of the text: by file, then line; problems on one line keep the order they were found in.</summary>
    public static System.Collections.Immutable.ImmutableArray<Diagnostic> InFileOrder(IEnumerable<Diagnostic> diagnostics) =>
        [.. diagnostics.OrderBy(d => d.Where.File, StringComparer.Ordinal).ThenBy(d => d.Where.Line)];
}
