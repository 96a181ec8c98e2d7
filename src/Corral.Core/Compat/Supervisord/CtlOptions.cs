using Corral.Core.Config.Supervisord;

namespace Corral.Core.Compat.Supervisord;

/// <summary>What supervisorctl's command line asked: its options and the command words (none: the shell).</summary>
public sealed record CtlRequest(string? ConfigFile, bool Interactive, string? ServerUrl, string? Username, string? Password, string? HistoryFile, IReadOnlyList<string> Command);

/// <summary>
/// supervisorctl's command line (Python getopt: options end at the first word that is not one,
/// long options may be abbreviated) and its config file's [supervisorctl] section. An error
/// is what supervisorctl prints on stderr before exiting 2.
/// </summary>
public static class CtlOptions
{
    static readonly (char Short, string Long, bool Valued, string Name)[] table =
    [
        ('c', "configuration", true, "configuration"),
        ('h', "help", false, "help"),
        ('i', "interactive", false, "interactive"),
        ('s', "serverurl", true, "serverurl"),
        ('u', "username", true, "username"),
        ('p', "password", true, "password"),
        ('r', "history-file", true, "history_file"),
    ];

    /// <summary>The request, or (help, error): help true for -h; error the message after "Error: ".</summary>
    public static (CtlRequest? Request, bool Help, string? Error) Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>();
        var interactive = false;
        var i = 0;
        for (; i < args.Count; i++)
        {
            var a = args[i];
            if (a == "--") { i++; break; }
            if (!a.StartsWith('-') || a == "-") break;
            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                var eq = a.IndexOf('=');
                var word = eq < 0 ? a[2..] : a[2..eq];
                var matches = table.Where(o => o.Long.StartsWith(word, StringComparison.Ordinal)).ToList();
                var exact = matches.FirstOrDefault(o => o.Long == word);
                if (exact.Long is not null) matches = [exact];
                if (matches.Count == 0) return (null, false, $"option --{word} not recognized");
                if (matches.Count > 1) return (null, false, $"option --{word} not a unique prefix");
                var o = matches[0];
                string? value = null;
                if (o.Valued)
                {
                    if (eq >= 0) value = a[(eq + 1)..];
                    else if (i + 1 < args.Count) value = args[++i];
                    else return (null, false, $"option --{o.Long} requires argument");
                }
                else if (eq >= 0) return (null, false, $"option --{o.Long} must not have an argument");
                if (Set(o, value, $"--{o.Long}") is { } error) return (null, false, error);
                if (o.Name == "help") return (null, true, null);
                continue;
            }
            for (var j = 1; j < a.Length; j++)
            {
                var o = table.FirstOrDefault(t => t.Short == a[j]);
                if (o.Long is null) return (null, false, $"option -{a[j]} not recognized");
                string? value = null;
                if (o.Valued)
                {
                    if (j + 1 < a.Length) value = a[(j + 1)..];
                    else if (i + 1 < args.Count) value = args[++i];
                    else return (null, false, $"option -{a[j]} requires argument");
                    j = a.Length;
                }
                if (Set(o, value, $"-{o.Short}") is { } error) return (null, false, error);
                if (o.Name == "help") return (null, true, null);
            }
        }

        string? Set((char Short, string Long, bool Valued, string Name) o, string? value, string spelling)
        {
            if (o.Name == "interactive") { interactive = true; return null; }
            if (o.Name == "help") return null;
            if (o.Name == "serverurl" && !IsUrl(value!)) return $"invalid value for {spelling} {CtlFormat.PythonRepr(value!)}: value {CtlFormat.PythonRepr(value!)} is not a URL";
            if (values.ContainsKey(o.Name)) return $"conflicting command line option {CtlFormat.PythonRepr(spelling)}";
            values[o.Name] = value!;
            return null;
        }

        return (new CtlRequest(values.GetValueOrDefault("configuration"), interactive, values.GetValueOrDefault("serverurl"),
            values.GetValueOrDefault("username"), values.GetValueOrDefault("password"), values.GetValueOrDefault("history_file"), [.. args.Skip(i)]), false, null);
    }

    /// <summary>supervisor's url(): a scheme, and a host or a path after it.</summary>
    static bool IsUrl(string value)
    {
        var colon = value.IndexOf(':');
        if (colon <= 0 || !char.IsAsciiLetter(value[0]) || value[..colon].Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))) return false;
        return value.Length > colon + 1;
    }

    /// <summary>
    /// The settings from the command line over the config file's [supervisorctl] section
    /// (serverurl with %(here)s and %(ENV_X)s, username, password, prompt) over the defaults.
    /// Null config text: no config file was found. An error is supervisorctl's message.
    /// </summary>
    public static (CtlSettings? Settings, string? Error) Settings(CtlRequest request, string? configPath, string? configText, IReadOnlyDictionary<string, string> env, string cwd)
    {
        string? url = null, user = null, password = null, prompt = null;
        if (configText is not null)
        {
            var here = Path.GetDirectoryName(Absolute(configPath!, cwd)) ?? "/";
            var parser = new IniParser();
            parser.Read(new IniText(configPath!, configText, here));
            if (parser.Section("supervisorctl") is not { } section) return (null, ".ini file does not include supervisorctl section");
            var names = new IniExpansion.Names().WithEnvironment(env).With("here", here);
            string? Get(string key)
            {
                if (section.Get(key) is not { } e) return null;
                return IniExpansion.Expand(e.Value, names, out _) ?? e.Value;
            }
            url = Get("serverurl");
            if (url is not null && url.StartsWith("unix://", StringComparison.Ordinal)) url = "unix://" + NormalizePath(url[7..], env, cwd);
            (user, password, prompt) = (Get("username"), Get("password"), Get("prompt"));
        }
        return (new CtlSettings(request.ServerUrl ?? url ?? CtlSettings.DefaultServerUrl, request.Username ?? user, request.Password ?? password,
            prompt ?? "supervisor", request.Interactive || request.Command.Count == 0), null);
    }

    /// <summary>Python's normpath(abspath(expanduser(path))).</summary>
    static string NormalizePath(string path, IReadOnlyDictionary<string, string> env, string cwd)
    {
        if (path.StartsWith('~') && env.GetValueOrDefault("HOME") is { } home && (path.Length == 1 || path[1] == '/')) path = home + path[1..];
        return Absolute(path, cwd);
    }

    /// <summary>The path made absolute against cwd, with . and .. resolved in the text (os.path.abspath; no file system).</summary>
    static string Absolute(string path, string cwd)
    {
        var parts = new List<string>();
        foreach (var part in Path.Combine(cwd, path).Split('/'))
        {
            if (part is "" or ".") continue;
            if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); }
            else parts.Add(part);
        }
        return "/" + string.Join('/', parts);
    }
}
