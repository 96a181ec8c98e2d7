namespace Corral.Tests.Supervisor;

/// <summary>A temporary directory holding a corral.yaml (and whatever files a test needs).</summary>
public sealed class ConfigDir
{
    public string Path { get; } = Directory.CreateTempSubdirectory("corral-run-").FullName;

    public ConfigDir(string yaml) => System.IO.File.WriteAllText(Config, yaml);

    public string Config => System.IO.Path.Combine(Path, "corral.yaml");

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Read(string name) => System.IO.File.Exists(File(name)) ? System.IO.File.ReadAllText(File(name)) : "";

    public string[] Lines(string name) => Read(name).Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
