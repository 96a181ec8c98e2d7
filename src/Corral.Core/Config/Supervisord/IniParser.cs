using Corral.Core.Model.Services;

namespace Corral.Core.Config.Supervisord;

// Overview: supervisord 4.x reads its files with Python 3's RawConfigParser, configured as
// supervisor's UnhosedConfigParser does: inline_comment_prefixes=(';', '#'), strict=False.
// So: "key = value" and "key: value" (the first '=' or ':' splits), option names lower-cased,
// section names as written, whole-line comments starting with ';' or '#' (also indented, also
// inside a multi-line value), inline comments only where ';' or '#' follows whitespace, a
// line indented deeper than its option's line continues the value (joined with '\n'), and
// blank lines inside a continued value kept. strict=False means a section or option written
// twice is merged, the later value winning: Corral does the same and says so in a warning.

/// <summary>One file's text and the name to report it by; its directory is what %(here)s means in it.</summary>
public sealed record IniText(string FileName, string Text, string Directory);

/// <summary>One option as written: its lower-cased name, its value, where, and the directory %(here)s means there.</summary>
public sealed record IniEntry(string Key, string Value, SourceLocation Where, string Here);

/// <summary>A section, merged over every place it was written; entries in the order first written.</summary>
public sealed class IniSection(string name, SourceLocation where)
{
    readonly List<IniEntry> entries = [];

    public string Name => name;

    public SourceLocation Where => where;

    public IReadOnlyList<IniEntry> Entries => entries;

    public IniEntry? Get(string key) => entries.FirstOrDefault(e => e.Key == key);

    /// <summary>Sets an option; the entry it replaced (a duplicate), if any.</summary>
    internal IniEntry? Set(IniEntry entry)
    {
        var i = entries.FindIndex(e => e.Key == entry.Key);
        if (i < 0)
        {
            entries.Add(entry);
            return null;
        }
        var old = entries[i];
        entries[i] = entry;
        return old;
    }
}

/// <summary>Reads INI text into sections, adding to those already read (the way an include adds to the main file).</summary>
public sealed class IniParser
{
    /// <summary>The longest section name read ([program:NAME] names a service).</summary>
    public const int MaxSectionName = 1024;

    readonly List<IniSection> sections = [];
    readonly List<Diagnostic> diagnostics = [];

    public IReadOnlyList<IniSection> Sections => sections;

    public IReadOnlyList<Diagnostic> Diagnostics => diagnostics;

    public IniSection? Section(string name) => sections.FirstOrDefault(s => s.Name == name);

    public void Read(IniText file)
    {
        var lines = file.Text.Split('\n');
        IniSection? section = null;
        // The option a continuation line would extend: its entry's parts, and its line's indent.
        string? key = null;
        SourceLocation? keyWhere = null;
        var value = new List<string>();
        var keyIndent = 0;
        var blanks = 0;

        void Flush()
        {
            if (section is not null && key is not null)
            {
                var entry = new IniEntry(key, string.Join('\n', value), keyWhere!, file.Directory);
                if (section.Set(entry) is { } old)
                    Warn(keyWhere!, $"{section.Name}.{key}", $"written twice (also at {old.Where}); the later value wins, as in supervisord");
            }
            key = null;
            value.Clear();
            blanks = 0;
        }

        for (var n = 0; n < lines.Length; n++)
        {
            var raw = lines[n].TrimEnd('\r');
            var where = new SourceLocation(file.FileName, n + 1);
            var trimmed = raw.Trim();
            if (trimmed.StartsWith(';') || trimmed.StartsWith('#')) continue;
            var text = WithoutInlineComment(raw).Trim();
            var indent = raw.Length - raw.TrimStart().Length;
            if (text.Length == 0)
            {
                if (key is not null) blanks++;
                continue;
            }
            if (key is not null && indent > keyIndent)
            {
                for (; blanks > 0; blanks--) value.Add("");
                value.Add(text);
                continue;
            }
            Flush();
            if (text.StartsWith('[') && text.LastIndexOf(']') is var close and > 1)
            {
                var name = text[1..close];
                // Every diagnostic of a section names it: a name of 80,000 characters made
                // megabytes of messages. No real section name comes near the limit.
                if (name.Length > MaxSectionName)
                {
                    diagnostics.Add(new Diagnostic(where, "", $"a section name of {name.Length} characters (at most {MaxSectionName}): '{name[..40]}…'"));
                    section = null;
                    continue;
                }
                section = Section(name);
                if (section is null) sections.Add(section = new IniSection(name, where));
                else Warn(where, name, $"section [{name}] written twice (also at {section.Where}); its options are merged, the later value winning, as in supervisord");
                continue;
            }
            if (section is null)
            {
                diagnostics.Add(new Diagnostic(where, "", "expected a section header such as [supervisord] or [program:NAME] before any option"));
                continue;
            }
            var split = text.IndexOfAny(['=', ':']);
            if (split < 0)
            {
                diagnostics.Add(new Diagnostic(where, section.Name, $"expected 'key = value', got '{text}'"));
                continue;
            }
            var optionName = text[..split].TrimEnd().ToLowerInvariant();
            if (optionName.Length == 0)
            {
                diagnostics.Add(new Diagnostic(where, section.Name, $"expected an option name before '{text[split]}'"));
                continue;
            }
            key = optionName;
            keyWhere = where;
            keyIndent = indent;
            value.Add(text[(split + 1)..].TrimStart());
        }
        Flush();
    }

    /// <summary>The line up to a ';' or '#' that follows whitespace (Python 3 configparser's inline comments).</summary>
    static string WithoutInlineComment(string line)
    {
        for (var i = 1; i < line.Length; i++)
            if (line[i] is ';' or '#' && char.IsWhiteSpace(line[i - 1])) return line[..i];
        return line;
    }

    void Warn(SourceLocation where, string field, string message) =>
        diagnostics.Add(new Diagnostic(where, field, message, Severity.Warning));
}
