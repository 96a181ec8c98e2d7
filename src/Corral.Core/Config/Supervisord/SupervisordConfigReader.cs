using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Corral.Core.Config.Yaml;
using Corral.Core.Model.Services;
using Corral.Core.Planning;

namespace Corral.Core.Config.Supervisord;

/// <summary>The files one pattern of [include] files= matched (sorted), or why they could not be read.</summary>
public sealed record IncludeMatch(ImmutableArray<IniText> Files, string? Problem = null);

/// <summary>What supervisord's expansions read from the machine: the environment (ENV_X) and the host's name.</summary>
public sealed record SupervisordHost(IReadOnlyDictionary<string, string> Environment, string HostName);

/// <summary>
/// supervisord.conf to Corral's model: a pure function from the texts (the main file, and the
/// files its [include] matches, found by the caller) to a SupervisorConfig and diagnostics.
/// </summary>
/// <remarks>
/// Overview: supervisord ignores what it does not know; Corral reads everything and says what
/// it does not do: an option Corral does not implement is a warning naming file and line, an
/// option nobody knows is a warning too, and only what would make a program run differently
/// than asked is an error.
/// </remarks>
public static partial class SupervisordConfigReader
{
    /// <param name="directory">The main file's absolute directory: %(here)s, and where [include] patterns start.</param>
    /// <param name="include">Finds and reads the files an absolute glob pattern matches; null: [include] is refused.</param>
    public static ReadResult ReadModel(string text, string fileName, string directory, SupervisordHost host, Func<string, IncludeMatch>? include)
    {
        var parser = new IniParser();
        parser.Read(new IniText(fileName, text, directory));
        var f = new IniFields();
        var names = new IniExpansion.Names().WithEnvironment(host.Environment).With("host_node_name", host.HostName);
        ReadIncludes(parser, fileName, directory, names, include, f);
        foreach (var d in parser.Diagnostics) f.Add(d);

        // supervisord reopens its log files on SIGUSR2 (after logrotate moved them) instead of passing it on.
        var config = new SupervisorConfig { Services = [], Source = fileName, ReopenLogsOnSigusr2 = true };
        var defaults = new ProgramDefaults([], null, null, names);
        if (parser.Section("supervisord") is { } main)
        {
            var (environment, umask, user, pidFile) = ServerSections.ReadSupervisord(main, names, f);
            defaults = defaults with { Environment = environment, Umask = umask, User = user };
            config = config with { PidFile = pidFile };
        }
        else f.Warn(new SourceLocation(fileName, 1), "", "no [supervisord] section (supervisord refuses such a file; Corral reads it)");

        var groups = ReadGroups(parser, names, f);
        var incomplete = new HashSet<string>(StringComparer.Ordinal);
        var services = ImmutableArray.CreateBuilder<ServiceSpec>();
        foreach (var section in parser.Sections)
        {
            var (kind, name) = Split(section.Name);
            switch (kind)
            {
                case "supervisord" or "include" or "supervisorctl" or "ctlplugin":
                    break;
                case "group" when name.Length > 0:
                    break;
                case "rpcinterface" when name == "supervisor":
                    break;
                case "unix_http_server":
                    config = config with { Control = ServerSections.ReadUnix(section, config.Control, names, f) };
                    break;
                case "inet_http_server":
                    config = config with { Control = ServerSections.ReadInet(section, config.Control, names, f) };
                    break;
                case "program" when name.Length > 0:
                    var memberOf = groups.Where(g => g.Programs.Contains(name)).ToList();
                    ImmutableArray<string> groupNames = memberOf.Count > 0 ? [.. memberOf.Select(g => g.Name)] : [name];
                    services.AddRange(ProgramSection.Read(section, name, groupNames, memberOf.FirstOrDefault()?.Priority, defaults, f, incomplete));
                    break;
                case "eventlistener" when name.Length > 0:
                    services.AddRange(ProgramSection.Read(section, name, [name], null, defaults, f, incomplete, listener: true));
                    break;
                case "fcgi-program" or "rpcinterface":
                    f.Warn(section.Where, section.Name, $"not implemented yet by Corral: [{kind}:…] sections; this one is ignored");
                    break;
                default:
                    f.Warn(section.Where, section.Name, $"unknown section [{section.Name}], ignored");
                    break;
            }
        }
        foreach (var g in groups)
            foreach (var (program, where) in g.Programs.Zip(g.Where))
                if (parser.Section("program:" + program) is null)
                    f.Error(where, $"group:{g.Name}.programs", $"no [program:{program}] section");

        config = config with { Services = [.. services.Select(s => WithServerUrl(s, config.Control))] };
        // A shutdown's budget fits the longest stopwaitsecs: supervisord waits that long for each program.
        var longest = config.Services.Select(s => s.Stop.Timeout).DefaultIfEmpty(TimeSpan.Zero).Max();
        if (longest > config.ShutdownTimeout) config = config with { ShutdownTimeout = longest + TimeSpan.FromSeconds(1) };
        return new ReadResult(config, incomplete.ToImmutableHashSet(StringComparer.Ordinal), [.. f.Diagnostics]);
    }

    /// <summary>
    /// supervisord's SUPERVISOR_SERVER_URL in every program's environment (childutils and
    /// supervisorctl in a program find supervisord by it): the program's own serverurl, else
    /// the unix socket, else the inet server (localhost for *); unset without either.
    /// </summary>
    static ServiceSpec WithServerUrl(ServiceSpec s, ControlSpec control)
    {
        if (s.Environment.Any(kv => kv.Key == "SUPERVISOR_SERVER_URL")) return s;
        var url = control.Socket is { } socket ? "unix://" + socket
            : control.Tcp is { } tcp ? $"http://{(tcp.Host is "*" or "" or "0.0.0.0" ? "localhost" : tcp.Host)}:{tcp.Port}"
            : null;
        if (url is null) return s;
        // Before the program's own environment, as supervisord sets it (a program's environment= may override it).
        var i = s.Environment.IndexOf(new KeyValuePair<string, string>("SUPERVISOR_ENABLED", "1"));
        return s with { Environment = s.Environment.Insert(i < 0 ? 0 : i + 1, new("SUPERVISOR_SERVER_URL", url)) };
    }

    /// <summary>Reads, compiles and checks, like <see cref="YamlConfigLoader.Load"/>.</summary>
    public static LoadedConfig Load(string text, string fileName, string directory, SupervisordHost host, Func<string, IncludeMatch>? include)
    {
        var read = ReadModel(text, fileName, directory, host, include);
        var (plan, planDiagnostics) = PlanCompiler.Compile(read.Config!, read.Incomplete);
        var diagnostics = read.Diagnostics.AddRange(planDiagnostics);
        var ok = !diagnostics.Any(d => d.Severity == Severity.Error);
        return new(read.Config, ok ? plan : null, Diagnostic.InFileOrder(diagnostics));
    }

    /// <summary>Whether a config's text is supervisord's INI rather than YAML: a line that is one of its section headers.</summary>
    public static bool LooksLikeIni(string text) => SectionHeader().IsMatch(text);

    [GeneratedRegex(@"^[ \t]*\[(supervisord|supervisorctl|include|unix_http_server|inet_http_server|(program|group|eventlistener|fcgi-program|rpcinterface):[^\]]+)\][ \t]*\r?$", RegexOptions.Multiline)]
    private static partial Regex SectionHeader();

    static (string Kind, string Name) Split(string section)
    {
        var colon = section.IndexOf(':');
        return colon < 0 ? (section, "") : (section[..colon], section[(colon + 1)..]);
    }

    /// <summary>
    /// [include] files = globs, relative to the main file's directory, each matched in sorted
    /// order and read into the same sections (supervisord reads the main file's [include] only).
    /// </summary>
    static void ReadIncludes(IniParser parser, string fileName, string directory, IniExpansion.Names names, Func<string, IncludeMatch>? include, IniFields f)
    {
        if (parser.Section("include") is not { } section) return;
        if (section.Get("files") is not { } files)
        {
            f.Error(section.Where, "include.files", "[include] needs 'files = PATTERN …'");
            return;
        }
        foreach (var e in section.Entries.Where(e => e.Key != "files"))
            f.Warn(e.Where, IniFields.Field(section, e), "unknown option, ignored");
        if (f.Text(section, files, names) is not { } patterns) return;
        if (include is null)
        {
            f.Error(files.Where, "include.files", "includes cannot be read here");
            return;
        }
        foreach (var pattern in patterns.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var full = Path.Combine(directory, pattern);
            var match = include(full);
            if (match.Problem is { } problem) f.Error(files.Where, "include.files", problem);
            else if (match.Files.IsEmpty) f.Warn(files.Where, "include.files", $"no file matches '{full}'");
            foreach (var file in match.Files) parser.Read(file);
        }
        if (parser.Section("include")?.Get("files") is { } later && later.Where.File != fileName)
            f.Warn(later.Where, "include.files", "an [include] in an included file is not followed (supervisord reads the main file's only)");
    }

    sealed record GroupSection(string Name, List<string> Programs, List<SourceLocation> Where, int? Priority);

    static List<GroupSection> ReadGroups(IniParser parser, IniExpansion.Names names, IniFields f)
    {
        var groups = new List<GroupSection>();
        foreach (var section in parser.Sections.Where(s => s.Name.StartsWith("group:", StringComparison.Ordinal)))
        {
            var name = section.Name[6..];
            if (!YamlConfigReader.ServiceName().IsMatch(name))
            {
                f.Error(section.Where, section.Name, $"'{name}' is not a valid group name (a letter or digit, then letters, digits, '_', '.', '-')");
                continue;
            }
            var group = new GroupSection(name, [], [], null);
            foreach (var e in section.Entries)
            {
                switch (e.Key)
                {
                    case "programs":
                        foreach (var p in e.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                        {
                            group.Programs.Add(p);
                            group.Where.Add(e.Where);
                        }
                        break;
                    case "priority":
                        group = group with { Priority = f.Integer(section, e, names.Copy().With("group_name", name), int.MinValue) };
                        break;
                    default:
                        f.Warn(e.Where, IniFields.Field(section, e), "unknown option, ignored");
                        break;
                }
            }
            if (section.Get("programs") is null) f.Error(section.Where, section.Name + ".programs", "a group needs 'programs = NAME, …'");
            groups.Add(group);
        }
        return groups;
    }
}
