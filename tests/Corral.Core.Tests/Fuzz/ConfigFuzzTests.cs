using System.Collections.Immutable;
using CsCheck;
using Corral.Core.Config;
using Corral.Core.Config.Procfile;
using Corral.Core.Config.S6;
using Corral.Core.Config.Supervisord;
using Corral.Core.Config.Yaml;

namespace Corral.Core.Tests.Fuzz;

/// <summary>
/// Every config reader on generated and mutated input: a model or diagnostics naming file and
/// line, never an exception, a hang or output out of proportion to the input.
/// </summary>
public class ConfigFuzzTests
{
    static readonly Dictionary<string, string> environment = new() { ["PORT"] = "8080", ["HOME"] = "/root", ["EMPTY"] = "" };

    // ---- corral.yaml ----

    static readonly Gen<string> yamlKey = Gen.OneOf(
        "command", "type", "restart", "depends_on", "environment", "healthcheck", "readiness", "stop_signal", "stop_grace_period",
        "user", "working_dir", "replicas", "shell", "logging", "restart_delay", "autostart", "priority", "x-ext", "<<", "bogus");

    static readonly Gen<string> yamlValue = Gen.OneOf(
        Gen.OneOf("app", "[a, b]", "{}", "[]", "~", "true", "yes", "1s", "-1", "99999999999999999999", "\"${PORT}\"", "${X:?no}",
            "always", "oneshot", "*a", "&a x", "|\n        line", "[CMD, x]", "'q''q'", "\"\\u0000\""),
        Mutations.Odd);

    /// <summary>A corral.yaml made of the format's keys and values, some right, some not.</summary>
    static readonly Gen<string> generatedYaml =
        Gen.Select(Gen.Select(yamlKey, yamlValue).Array[1, 6], Mutations.Word("abcxyz09_.-", 6)).Array[1, 5].Select(services =>
            "services:\n" + string.Concat(services.Select((s, i) =>
                $"  {s.Item2}{i}:\n" + string.Concat(s.Item1.Select(kv => $"    {kv.Item1}: {kv.Item2}\n")))));

    [Fact]
    public void Yaml_reader_answers_every_input_with_a_model_or_diagnostics()
    {
        Fuzzing.Check(Mutations.Of(Gen.OneOf(Gen.OneOf(Corpus.Yaml), generatedYaml)), ReadYaml, text => text, ci: 400);
    }

    static void ReadYaml(string text)
    {
        var loaded = YamlConfigLoader.Load(text, "/app/corral.yaml", environment, "/app");
        Fuzzing.AssertDiagnostics(loaded.Diagnostics, text.Length, "/app/corral.yaml");
        Fuzzing.AssertServices(loaded.Config, text.Length);
        if (loaded.Plan is null && !loaded.Diagnostics.Any(d => d.Severity == Corral.Core.Model.Services.Severity.Error))
            throw new InvalidOperationException("no plan and no error to say why");
    }

    // ---- supervisord.conf ----

    static readonly Gen<string> iniKey = Gen.OneOf(
        "command", "process_name", "numprocs", "numprocs_start", "priority", "autostart", "autorestart", "startsecs", "exitcodes",
        "stopsignal", "stopwaitsecs", "user", "environment", "directory", "umask", "stdout_logfile", "stdout_logfile_maxbytes",
        "redirect_stderr", "files", "programs", "port", "file", "chmod", "username", "password", "bogus");

    static readonly Gen<string> iniValue = Gen.OneOf(
        Gen.OneOf("sleep 1", "%(program_name)s_%(process_num)02d", "%(here)s/x", "%(ENV_PORT)s", "%(ENV_NOPE)s", "%(process_num)d",
            "3", "0", "-5", "2147483647", "99999999999", "true", "unexpected", "0,2", "TERM", "A=\"1\",B=2", "A='x", "022", "0o999",
            "10MB", "9999999999GB", "AUTO", "NONE", "127.0.0.1:9001", "*:0", "sh -c 'x", "\"a b\" c", "%(here)99999999999s",
            "%(process_num)2000000000d", "%"),
        Mutations.Odd);

    static readonly Gen<string> section = Gen.OneOf(
        "supervisord", "program:web", "program:w2", "group:g", "include", "unix_http_server", "inet_http_server", "eventlistener:e", "x", "program:");

    /// <summary>A supervisord.conf of sections, options and values, some right, some not.</summary>
    static readonly Gen<string> generatedIni =
        Gen.Select(section, Gen.Select(iniKey, iniValue, Gen.OneOf(" = ", "=", ": ", "\n  ")).Array[0, 6]).Array[1, 6].Select(sections =>
            string.Concat(sections.Select(s => $"[{s.Item1}]\n" + string.Concat(s.Item2.Select(o => $"{o.Item1}{o.Item3}{o.Item2}\n")))));

    [Fact]
    public void Supervisord_reader_answers_every_input_with_a_model_or_diagnostics()
    {
        var gen = Gen.Select(Mutations.Of(Gen.OneOf(Gen.OneOf(Corpus.Supervisord), generatedIni)), Mutations.Of(generatedIni, 2));
        Fuzzing.Check(gen, t => ReadIni(t.Item1, t.Item2), t => t.Item1 + "\n--- included ---\n" + t.Item2, ci: 400);
    }

    static void ReadIni(string text, string included)
    {
        var loaded = SupervisordConfigReader.Load(text, "/etc/sv/supervisord.conf", "/etc/sv", new SupervisordHost(environment, "box"),
            pattern => new IncludeMatch([new IniText("/etc/sv/conf.d/a.conf", included, "/etc/sv/conf.d")]));
        Fuzzing.AssertDiagnostics(loaded.Diagnostics, text.Length + included.Length, "/etc/sv/");
        Fuzzing.AssertServices(loaded.Config, text.Length + included.Length);
    }

    // ---- s6-overlay trees ----

    static readonly Gen<string> s6Name = Gen.OneOf("user", "user2", "base", "a", "b", "c", "bundle1", "legacy-services", "x y", "", "..");

    static readonly Gen<(string, string)> s6File = Gen.OneOf(
        Gen.Select(Gen.OneOf("type"), Gen.OneOf("longrun\n", "oneshot\n", "bundle\n", "bundle", "", "other\n", "longrun\0")),
        Gen.Select(Gen.OneOf("run", "up", "finish", "down"), Gen.OneOf(Gen.OneOf("#!/bin/sh\nexec x\n", "cmd 'x", "", "  ", "a \"b c\"\n"), Mutations.Odd)),
        Gen.Select(Gen.OneOf("notification-fd", "timeout-up", "timeout-kill", "down-signal", "max-death-tally"),
            Gen.OneOf("3", "0", "1023", "1024", "-1", "99999999999", "SIGTERM", "HUP", "x", "", "3\n\n", "\u0663")),
        Gen.Select(Gen.OneOf("dependencies.d/", "contents.d/", "log/", "data/", ""), s6Name).Select((dir, name) => (dir + name, "")));

    static readonly Gen<S6Definition[]> s6Tree =
        Gen.Select(s6Name, s6File.Array[0, 8]).Array[0, 10].Select(defs => defs
            .DistinctBy(d => d.Item1)
            .Select(d => new S6Definition(d.Item1, $"/etc/s6-overlay/s6-rc.d/{d.Item1}", d.Item2.DistinctBy(f => f.Item1).ToDictionary(f => f.Item1, f => f.Item2)))
            .ToArray());

    [Fact]
    public void S6_reader_answers_every_tree_with_a_model_or_diagnostics()
    {
        var gen = Gen.Select(s6Tree, s6Tree, Gen.OneOf<string>("/etc/cont-init.d/01-a", "/etc/cont-init.d/02 b", "/etc/cont-init.d/").Array[0, 3]);
        Fuzzing.Check(gen, t => ReadS6(t.Item1, t.Item2, t.Item3), t => Show(t.Item1) + "\nlegacy:\n" + Show(t.Item2), ci: 400);
    }

    static void ReadS6(S6Definition[] tree, S6Definition[] legacy, string[] contInit)
    {
        var (config, diagnostics) = S6RcReader.Read(tree, "/etc/s6-overlay/s6-rc.d", contInit, legacy, ["/etc/cont-finish.d/x"]);
        var size = tree.Concat(legacy).Sum(d => d.Name.Length + d.Files.Sum(f => f.Key.Length + f.Value.Length + 1) + 1);
        Fuzzing.AssertDiagnostics(diagnostics, size, "/etc/");
        Fuzzing.AssertServices(config, size);
        if (config is not null) Assert.Equal(config.Services.Length, config.Services.Select(s => s.Name).Distinct().Count());
    }

    static string Show(S6Definition[] tree) =>
        string.Join("\n", tree.Select(d => d.Name + ": " + string.Join(", ", d.Files.Select(f => $"{f.Key}={Fuzzing.Shorten(f.Value)}"))));

    // ---- Procfile and dotenv ----

    static readonly Gen<string> procfileLine = Gen.OneOf(
        Gen.Select(Mutations.Word("abw_-1", 5), Gen.OneOf(": ", ":", " : "), Gen.OneOf("app $PORT", "x", "", "sh -c 'a'")).Select((n, c, v) => n + c + v),
        Mutations.Odd);

    static readonly Gen<string?> formation = Gen.OneOf<string?>(Gen.Const((string?)null),
        Gen.Select(Gen.OneOf("web", "all", "worker", "x", ""), Gen.OneOf("=2", "=0", "=-1", "=99999999999", "=2147483647", "1", "=")).Array[0, 3]
            .Select(parts => (string?)string.Join(",", parts.Select(p => p.Item1 + p.Item2))));

    [Fact]
    public void Procfile_reader_answers_every_input_with_a_model_or_diagnostics()
    {
        var text = Mutations.Of(Gen.OneOf(Gen.OneOf(Corpus.Procfile), procfileLine.Array[0, 8].Select(l => string.Join('\n', l))));
        var gen = Gen.Select(text, formation, Gen.Int[-10, 70000], Gen.OneOf("web", "x", "worker").Array[0, 2]);
        Fuzzing.Check(gen, t =>
        {
            var (config, diagnostics) = ProcfileReader.Read(t.Item1, "Procfile",
                new ProcfileOptions { Formation = t.Item2, BasePort = t.Item3, CanDie = [.. t.Item4] });
            Fuzzing.AssertDiagnostics(diagnostics, t.Item1.Length, "Procfile");
            Fuzzing.AssertServices(config, t.Item1.Length + (t.Item2?.Length ?? 0));
        }, t => $"{t.Item1}\n--- formation {t.Item2}, port {t.Item3}", ci: 300);
    }

    static readonly Gen<string> dotenvLine = Gen.Select(
        Gen.OneOf("A", "export B", "_c", "1x", "", " D "), Gen.OneOf("=", " = ", ""),
        Gen.OneOf("v", "'x", "\"y\\\"", "\"a\nb\"", "'a # b'", "v # c", "\"\\n\\t\"", "\"", "'"), Mutations.Odd).Select((k, e, v, o) => k + e + v + o);

    [Fact]
    public void Dotenv_reader_answers_every_input_with_variables_or_diagnostics()
    {
        var gen = Mutations.Of(Gen.OneOf(Gen.OneOf(Corpus.Dotenv), dotenvLine.Array[0, 10].Select(l => string.Join('\n', l))));
        Fuzzing.Check(gen, text =>
        {
            var (variables, diagnostics) = Dotenv.Parse(text, ".env");
            Fuzzing.AssertDiagnostics(diagnostics, text.Length, ".env");
            Fuzzing.AssertOutput(variables.Sum(v => v.Key.Length + v.Value.Length), text.Length, "variables");
        }, text => text, ci: 300);
    }

    [Fact]
    public void Dotenv_values_in_single_quotes_read_back_as_written()
    {
        var value = Gen.String.Where(v => !v.Contains('\'') && !v.Contains('\r'));
        Gen.Select(Mutations.Word("ABCXYZ_", 8).Where(k => k.Length > 0), value).Sample((key, v) =>
        {
            var (variables, diagnostics) = Dotenv.Parse($"{key}='{v}'\n", ".env");
            Assert.Empty(diagnostics);
            Assert.Equal(new KeyValuePair<string, string>(key, v), Assert.Single(variables));
        }, iter: Fuzzing.Iterations(300), threads: 1);
    }

    // ---- interpolation and shell words ----

    static readonly Gen<string> interpolationText = Gen.OneOf(
        Gen.OneOf(Corpus.Interpolation),
        Gen.OneOf("$", "${", "}", ":-", "-", ":?", "?", ":+", "+", "A", "PORT", "EMPTY", "$$", " ", "x").Array[0, 20].Select(string.Concat));

    [Fact]
    public void Interpolation_answers_every_text_with_a_value_and_problems()
    {
        Fuzzing.Check(Mutations.Of(interpolationText), text =>
        {
            var (value, problems) = Interpolation.Apply(text, name => environment.GetValueOrDefault(name));
            Fuzzing.AssertOutput(value.Length + problems.Sum(p => p.Message.Length), text.Length, "interpolation");
        }, text => text, ci: 400);
    }

    static readonly Gen<string> shellText = Gen.OneOf(
        Gen.OneOf("a", "b c", "'", "\"", "\\", "\\\n", "$HOME", "|", "#", " ", "\t", "\n", "'x y'", "\"a \\\" b\"").Array[0, 16].Select(string.Concat),
        Gen.String);

    [Fact]
    public void Shell_words_split_every_text_or_say_why_not()
    {
        Fuzzing.Check(Mutations.Of(shellText), text =>
        {
            if (ShellWords.TrySplit(text, out var words, out var error)) Fuzzing.AssertOutput(words.Sum(w => w.Length + 1), text.Length, "words");
            else Assert.False(string.IsNullOrEmpty(error));
            ShellWords.FirstShellSyntax(text);
        }, text => text, ci: 400);
    }

    [Fact]
    public void Shell_words_quoted_one_by_one_split_back_into_the_same_words()
    {
        Gen.String.Array[0, 6].Sample(words =>
        {
            var line = string.Join(" ", words.Select(w => "'" + w.Replace("'", "'\\''") + "'"));
            Assert.True(ShellWords.TrySplit(line, out var back, out var error), error);
            Assert.Equal(words, back.ToArray());
        }, iter: Fuzzing.Iterations(300), threads: 1);
    }
}
