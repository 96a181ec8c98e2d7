using System.Collections.Immutable;
using Corral.Core.Model.Services;
using Corral.Core.Planning;

namespace Corral.Core.Config.Yaml;

/// <summary>What a config file gave: the services as far as they could be read, the plan when there was no error, and every problem in file order.</summary>
public sealed record LoadedConfig(SupervisorConfig? Config, Plan? Plan, ImmutableArray<Diagnostic> Diagnostics)
{
    /// <summary>The password file the config names (control.tcp.password_file), for the caller to read.</summary>
    public FileReference? PasswordFile => Config?.Control.Tcp?.PasswordFile;

    /// <summary>
    /// The config with the text of its password file put in as control.tcp's password (a trailing
    /// newline dropped), or, when the caller could not read it, <paramref name="problem"/> as an
    /// error at password_file. Core reads no files: this is how their text comes in.
    /// </summary>
    public LoadedConfig WithPasswordFile(string? text, string? problem)
    {
        if (Config?.Control.Tcp is not { PasswordFile: { } file } tcp) return this;
        const string field = "control.tcp.password_file";
        var password = text?.TrimEnd('\r', '\n') ?? "";
        var error = problem is not null ? $"cannot read {file.Path}: {problem}"
            : password.Length == 0 ? $"{file.Path} is empty: a TCP control listener is never open without a password"
            : null;
        if (error is not null)
            return this with { Plan = null, Diagnostics = Diagnostic.InFileOrder([.. Diagnostics, new Diagnostic(file.Where, field, error)]) };
        var control = Config.Control with { Tcp = tcp with { Password = password } };
        return this with { Config = Config with { Control = control }, Plan = Plan?.WithControl(control) };
    }
}

/// <summary>
/// corral.yaml's text to a Plan, the way <c>corral check</c>, <c>corral run</c> and a reload
/// all see it: variables replaced from <paramref name="environment"/>, the file read, and the
/// plan's rules run on whatever was read, so that type errors, unknown dependencies and
/// cycles are all reported in one run. A syntax error that stops the parser is alone.
/// </summary>
public static class YamlConfigLoader
{
    /// <param name="directory">As in <see cref="YamlConfigReader.Read"/>: the absolute directory of the file.</param>
    public static LoadedConfig Load(string text, string fileName, IReadOnlyDictionary<string, string> environment, string? directory = null)
    {
        var read = YamlConfigReader.ReadModel(text, fileName, environment, directory);
        if (read.Config is null) return new(null, null, Diagnostic.InFileOrder(read.Diagnostics));
        var (plan, planDiagnostics) = PlanCompiler.Compile(read.Config, read.Incomplete);
        var diagnostics = read.Diagnostics.AddRange(planDiagnostics);
        var ok = !diagnostics.Any(d => d.Severity == Severity.Error);
        return new(read.Config, ok ? plan : null, Diagnostic.InFileOrder(diagnostics));
    }
}
