namespace Corral.Config;

/// <summary>Corral's own environment, as the commands and the config's ${VAR} see it.</summary>
public static class ProcessVariables
{
    public static Dictionary<string, string> Read()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
            env[(string)e.Key] = (string?)e.Value ?? "";
        return env;
    }
}
